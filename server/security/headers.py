"""Security headers on every HTTP answer, and `Cache-Control: no-store` on the API's.

The web client is plain modules from our own origin, so the policy allows no inline script at all and
no framing (clickjacking). API answers hold personal data: no browser or proxy cache may keep them.
"""

from __future__ import annotations

from typing import Any

from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/api"


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook: it sees every answer, the router's own 404s and 405s included."""
    if message["type"] != "http.response.start":
        return
    no_store = _is_api(scope.get("path", ""))
    headers: list[Any] = [h for h in message.get("headers", []) if not (no_store and h[0].lower() == b"cache-control")]
    present = {h[0].lower() for h in headers}
    headers += [h for h in SECURITY_HEADERS if h[0] not in present]
    if no_store:
        headers.append((b"cache-control", b"no-store"))
    message["headers"] = headers
