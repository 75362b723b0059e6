"""The session state: plain frozen structs that round-trip through JSON.

The runtime stores ``encode_state(state)`` after every accepted intent and rebuilds a room with
``decode_state(data)``. The plan (with its exercise definitions) is embedded, so a stored session can
continue even if the catalogue files change later.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from .intents import Value
from .plans import Plan
from .prompts import DrawnPrompt

Phase = Literal["lobby", "running", "ended"]
PauseKind = Literal["space", "away", "facilitator", "moment"]  # "moment": the short pause, never a break
EndReason = Literal["completed", "ended_early", "abandoned"]


class Answer(msgspec.Struct, frozen=True):
    """One transcript entry: an answer, or a missing answer (``timed_out``)."""

    step_no: int
    exercise_index: int
    exercise_id: str
    step_id: str
    round: int
    speaker: str  # who held the floor that round
    author: str
    role: str
    value: Value
    private: bool
    at: float
    timed_out: bool = False


class SpaceRecord(msgspec.Struct, frozen=True):
    who: str
    requested_at: float
    planned_return_at: float
    returned_at: float | None = None
    from_exercise: bool = False


class ActivePause(msgspec.Struct, frozen=True):
    kind: PauseKind
    who: str
    since: float
    return_at: float | None = None  # space breaks: the agreed return; moments: when the pause lifts by itself
    return_due: bool = False  # space breaks: the return time has come; both are asked to resume
    resumed_by: tuple[str, ...] = ()


class StepState(msgspec.Struct, frozen=True):
    """The current step instance. ``no`` is the per-session step counter that only goes up."""

    no: int
    exercise_index: int
    round: int
    step_id: str
    started_at: float
    remaining: float  # seconds left when paused; while running, deadline - now
    deadline: float | None  # None while the session is paused: time is frozen
    warned: bool
    answers: dict[str, Value] = {}  # both/private steps: answers held until everyone is in
    guide_starts_at: float | None = None
    notice: str | None = None  # said before the step's prompt: "One more piece, then we'll sum up."
    reinvited: bool = False  # a silent share offered once more


class SessionState(msgspec.Struct, frozen=True):
    plan: Plan
    partners: tuple[str, str]
    first_speaker: str
    facilitator: str | None = None
    phase: Phase = "lobby"
    ready: tuple[str, ...] = ()
    started_at: float | None = None
    ended_at: float | None = None
    end_reason: EndReason | None = None
    ended_by: str | None = None
    step: StepState | None = None
    step_counter: int = 0
    exercise_first_speaker: str | None = None  # round 1 speaker of the current exercise
    branch_counts: dict[str, int] = {}  # "step>goto" -> times taken this round
    pauses: tuple[ActivePause, ...] = ()
    answers: tuple[Answer, ...] = ()
    spaces: tuple[SpaceRecord, ...] = ()
    skipped_steps: tuple[int, ...] = ()  # step_no of steps a facilitator skipped
    prompts: dict[str, DrawnPrompt] = {}  # slot key ("exercise index.step id") -> the prompt drawn for it
    round_started_at: float | None = None
    closed_branches: tuple[str, ...] = ()  # loops whose last pass has begun this round ("step>goto")
    facilitator_away: bool = False  # a facilitator's absence pauses nothing, but their return is announced
    schema_version: int = 1

    @property
    def paused(self) -> bool:
        return bool(self.pauses)

    def other(self, partner: str) -> str:
        a, b = self.partners
        return b if partner == a else a


def encode_state(state: SessionState) -> bytes:
    return msgspec.json.encode(state)


def decode_state(data: bytes | str) -> SessionState:
    return msgspec.json.decode(data, type=SessionState)


# The plan (with its exercise definitions) is the same for the whole session and is most of the state's size,
# so the runtime stores it once per session and writes only the rest on every change.
_body_type: type[msgspec.Struct] | None = None


def _state_body_type() -> type[msgspec.Struct]:
    """`SessionState` without its plan, derived from the state's own fields so the two never drift."""
    global _body_type
    if _body_type is None:
        fields = [
            (f.name, f.type)
            if f.required
            else (
                f.name,
                f.type,
                f.default if f.default is not msgspec.NODEFAULT else msgspec.field(default_factory=f.default_factory),
            )
            for f in msgspec.structs.fields(SessionState)
            if f.name != "plan"
        ]
        _body_type = msgspec.defstruct("SessionStateBody", fields, frozen=True)
    return _body_type


def encode_plan(plan: Plan) -> bytes:
    return msgspec.json.encode(plan)


def decode_plan(data: bytes | str) -> Plan:
    return msgspec.json.decode(data, type=Plan)


def encode_state_without_plan(state: SessionState) -> bytes:
    return msgspec.json.encode(msgspec.structs.replace(state, plan=None))  # type: ignore[arg-type]


def decode_state_with_plan(body: bytes | str, plan: Plan) -> SessionState:
    decoded = msgspec.json.decode(body, type=_state_body_type())
    return SessionState(plan=plan, **msgspec.structs.asdict(decoded))
