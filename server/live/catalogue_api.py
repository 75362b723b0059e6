"""The session rules as clients see them (GET /api/rules)."""

from __future__ import annotations

from typing import Any

import msgspec

from rooms.catalogue import builtin_catalogue


def rules() -> dict[str, Any]:
    """The rules the engine reads (``exercises/rules.toml``): how long a break may last, the short pause."""
    return msgspec.to_builtins(builtin_catalogue().rules)
