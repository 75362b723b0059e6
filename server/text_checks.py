"""Checks on text people type, shared by every feature that stores it (one rule for the whole app)."""

from __future__ import annotations

import unicodedata

# Characters that reorder text: one line must read on screen exactly as it is stored.
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_MESSAGE = "Please use ordinary letters and punctuation (no control characters)."
ONE_LINE_CONTROL_MESSAGE = "Please use ordinary letters and punctuation (no control or direction characters)."


def has_control_characters(value: str, *, multi_line: bool) -> bool:
    """NUL and other control characters (PostgreSQL cannot store NUL; none of them is writing), and lone
    surrogates. Tab is fine anywhere, a newline only in multi-line text; one line refuses bidi overrides."""
    allowed = {"\t", "\n"} if multi_line else {"\t"}
    for ch in value:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or (not multi_line and ch in _BIDI_OVERRIDES):
            return True
    return False
