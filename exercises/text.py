"""Counting text the way people see it: one emoji, one accented letter or one flag is one character.

A close, dependency-free approximation of Unicode's extended grapheme clusters (UAX #29), enough for
the joiners, modifiers and marks people actually type. The web client counts with `Intl.Segmenter`;
both must agree, so a limit shown as "400 characters" is the limit the engine enforces.
"""

from __future__ import annotations

import unicodedata

_ZWJ = 0x200D
_REGIONAL = range(0x1F1E6, 0x1F200)


def _extends(code: int) -> bool:
    """Code points that belong to the character before them."""
    return (
        0xFE00 <= code <= 0xFE0F  # variation selectors (text/emoji style)
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag sequences (subdivision flags)
        or code == 0x20E3  # keycap
        or code == _ZWJ
        or unicodedata.category(chr(code)) in ("Mn", "Me", "Mc")
    )


def visible_length(text: str) -> int:
    """How many characters a person sees in `text`."""
    count = 0
    previous = -1
    open_flag = False  # a first regional indicator waiting for its pair
    for char in text:
        code = ord(char)
        if count and (_extends(code) or previous == _ZWJ or (previous == 0x0D and code == 0x0A)):
            previous = code
            continue
        if code in _REGIONAL and open_flag:
            open_flag = False
            previous = code
            continue
        open_flag = code in _REGIONAL
        count += 1
        previous = code
    return count
