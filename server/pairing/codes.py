"""Invite codes people can read aloud or type: no 0/O, 1/I/L or U/V look-alikes."""

from __future__ import annotations

import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 10
GROUP = 5
BITS_OF_RANDOMNESS = CODE_LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """Accept what a person types: any case, spaces or dashes between groups."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def display_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
