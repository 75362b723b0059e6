"""Events the engine emits, each with its audience.

An event is deliberately one small generic struct: ``type`` (snake_case), a JSON-ready ``payload``
and ``audience``: ``None`` means everyone in the session (partners and facilitator); a tuple names
exactly who may receive it. Private content is only ever in events addressed to its author.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Event(msgspec.Struct, frozen=True):
    type: str
    payload: dict[str, Any]
    audience: tuple[str, ...] | None = None  # None = everyone

    def visible_to(self, participant: str) -> bool:
        return self.audience is None or participant in self.audience


def everyone(type_: str, **payload: Any) -> Event:
    return Event(type_, payload)


def only(recipients: tuple[str, ...] | list[str], type_: str, **payload: Any) -> Event:
    return Event(type_, payload, tuple(recipients))
