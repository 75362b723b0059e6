"""Draws the app's icons (web/icons/*.png) with the standard library only: two overlapping circles,
two voices, on Duologue's calm teal. Run again after changing the design: python scripts/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

TEAL = (0x2F, 0x5D, 0x62)
CREAM = (0xFB, 0xF8, 0xF4)
SOFT = (0xE8, 0xF1, 0xF0)
OUT = Path(__file__).resolve().parent.parent / "web" / "icons"
SAMPLES = 3  # per axis: simple anti-aliasing


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _colour_at(x: float, y: float, *, maskable: bool) -> tuple[int, int, int, int]:
    """x, y in 0..1. Maskable icons fill the square; the others are a rounded square."""
    if not maskable:
        r = 0.18
        cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
        if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
            return (0, 0, 0, 0)
    # Content within the central 60% so a maskable icon's safe zone (a circle of 80%) keeps all of it.
    scale = 0.6 if maskable else 0.75
    u, v = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
    left = (u - 0.38) ** 2 + (v - 0.5) ** 2 <= 0.26**2
    right = (u - 0.62) ** 2 + (v - 0.5) ** 2 <= 0.26**2
    if left and right:
        return (*SOFT, 255)
    if left or right:
        return (*CREAM, 255)
    return (*TEAL, 255)


def draw(size: int, *, maskable: bool) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x, y = (px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size
                    c = _colour_at(x, y, maskable=maskable)
                    for i in range(3):
                        acc[i] += c[i] * c[3]
                    acc[3] += c[3]
            alpha = acc[3] / (SAMPLES * SAMPLES)
            rgb = [round(acc[i] / acc[3]) if acc[3] else 0 for i in range(3)]
            row += bytes((*rgb, round(alpha)))
        rows.append(bytes(row))
    return _png(size, size, rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(draw(size, maskable=False))
        (OUT / f"icon-maskable-{size}.png").write_bytes(draw(size, maskable=True))


if __name__ == "__main__":
    main()
