"""Events the engine emits, each with its audience.

An event is deliberately one small generic struct: ``type`` (snake_case), a JSON-ready ``payload``
and ``audience``: ``None`` means everyone in the session (partners and facilitator); a tuple names
exactly who may receive it. Private content is only ever in events addressed to its author.

``EVENT_TYPES`` is the closed list of event names; docs/protocol.md documents each one, and the
constructors refuse any other name, so the engine cannot emit an undocumented event.
"""

from __future__ import annotations

from typing import Any

import msgspec

EVENT_TYPES: frozenset[str] = frozenset(
    {
        # lobby and session
        "ready_recorded",
        "first_speaker_chosen",
        "session_started",
        "session_ended",
        # exercises, rounds and steps
        "exercise_started",
        "round_swapped",
        "exercise_completed",
        "step_started",  # one per recipient, each with their own role and prompt
        "warning",
        "step_completed",
        "step_skipped",
        "extended",
        # answers
        "answer_shared",
        "answer_received",
        "answers_revealed",
        "private_answer_saved",  # only ever to its author
        # pauses, breaks and presence
        "paused",
        "resumed",
        "space_requested",
        "space_return_due",
        "resume_recorded",
        "space_ended",
        "participant_away",
        "participant_back",
        "moment_started",  # the short pause: not a break, not counted as one
        "moment_ended",
        "facilitator_paused",
        "facilitator_resumed",
    }
)


class Event(msgspec.Struct, frozen=True):
    type: str
    payload: dict[str, Any]
    audience: tuple[str, ...] | None = None  # None = everyone

    def visible_to(self, participant: str) -> bool:
        return self.audience is None or participant in self.audience


def _checked(type_: str) -> str:
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}: add it to EVENT_TYPES and document it in docs/protocol.md")
    return type_


def everyone(type_: str, **payload: Any) -> Event:
    return Event(_checked(type_), payload)


def only(recipients: tuple[str, ...] | list[str], type_: str, **payload: Any) -> Event:
    return Event(_checked(type_), payload, tuple(recipients))
