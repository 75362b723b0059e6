"""What one ended session says about one person: counts only, never anyone's words.

``measures_from_events`` reads the session's events (as the engine emitted them, or as stored) and
counts, for one partner: what they shared (small truths, mirror pieces, stress talked through, answers
revealed together), how reflections of their words landed, how understood they felt, breathing guides
completed, breaks they asked for and came back from, their check-in and check-out, and whether they
attended and finished. Private reflections are never read: they count for nothing and say nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import msgspec

# (exercise id, step id) of a speaker's step in which they share something of themselves.
DISCLOSURE_STEPS = frozenset(
    {
        ("small_truths", "feeling"),  # a small, true feeling, named (the words follow in "share")
        ("mirror", "share"),  # each piece shared in turn
        ("stress_reducing", "stress"),  # a stress from outside, talked through
    }
)
# "Both answer, then both see": an answer counts once it is revealed to both.
REVEAL_STEPS = frozenset({"answer"})
# Did a reflection of the speaker's words land? (exercise id, step id) -> the answers that mean yes.
LANDED_STEPS = {("small_truths", "landed"): {"yes", "mostly"}, ("mirror", "got_it"): {"yes"}}
UNDERSTOOD_STEP = ("mirror", "understood")  # 1-5
GUIDE_STEPS = frozenset({("breathe", "guide")})
CHECK_IN, CHECK_OUT = "check_in", "check_out"
CHECK_STEPS = ("connected", "calm")


class EventLike(Protocol):
    type: str
    payload: dict[str, Any]

    @property
    def audience(self) -> tuple[str, ...] | list[str] | None: ...


class SessionMeasures(msgspec.Struct, frozen=True):
    attended: bool = False
    completed: bool = False
    with_facilitator: bool = False
    self_disclosure: int = 0
    reflections_total: int = 0
    reflections_landed: int = 0
    understood_sum: int = 0
    understood_count: int = 0
    breathing_completed: int = 0
    breaks_taken: int = 0
    breaks_returned: int = 0
    connected_start: int | None = None
    connected_end: int | None = None
    calm_start: int | None = None
    calm_end: int | None = None


def measures_from_events(
    events: Iterable[EventLike], participant_id: str, *, facilitator: str | None = None
) -> SessionMeasures:
    """One partner's measures from one session's events (the whole stream, in order)."""
    me = participant_id
    events = list(events)
    # answers_revealed does not say which exercise it belongs to; its step_completed (same step_no) does.
    exercise_of_step = {
        e.payload.get("step_no"): e.payload.get("exercise_id") for e in events if e.type == "step_completed"
    }
    started = took_part = False
    reason = None
    counts = {
        "self_disclosure": 0,
        "reflections_total": 0,
        "reflections_landed": 0,
        "understood_sum": 0,
        "understood_count": 0,
        "breathing_completed": 0,
        "breaks_taken": 0,
        "breaks_returned": 0,
    }
    checks: dict[str, int | None] = {}
    for e in events:
        p = e.payload
        if e.audience is not None and me not in e.audience:
            continue  # only what this person could see; a partner's private event is never read
        if e.type == "session_started":
            started = True
        elif e.type == "session_ended":
            reason = p.get("reason")
        elif e.type == "ready_recorded" and p.get("participant") == me:
            took_part = True
        elif e.type == "answer_shared" and p.get("author") == me:
            took_part = True
            key = (p.get("exercise_id"), p.get("step_id"))
            if key in DISCLOSURE_STEPS:
                counts["self_disclosure"] += 1
            if key in LANDED_STEPS:
                counts["reflections_total"] += 1
                counts["reflections_landed"] += p.get("value") in LANDED_STEPS[key]
            if key == UNDERSTOOD_STEP and type(p.get("value")) is int:
                counts["understood_sum"] += p["value"]
                counts["understood_count"] += 1
        elif e.type == "answers_revealed" and me in (p.get("answers") or {}):
            took_part = True
            value = p["answers"][me]
            exercise = exercise_of_step.get(p.get("step_no"))
            if p.get("step_id") in REVEAL_STEPS and isinstance(value, str) and value.strip():
                counts["self_disclosure"] += 1
            if exercise in (CHECK_IN, CHECK_OUT) and p.get("step_id") in CHECK_STEPS and type(value) is int:
                checks[f"{p['step_id']}_{'start' if exercise == CHECK_IN else 'end'}"] = value
        elif e.type == "step_completed" and (p.get("exercise_id"), p.get("step_id")) in GUIDE_STEPS:
            counts["breathing_completed"] += p.get("outcome") == "completed"
        elif e.type == "space_requested" and p.get("who") == me:
            took_part = True
            counts["breaks_taken"] += 1
        elif e.type == "space_ended" and p.get("who") == me:
            counts["breaks_returned"] += 1
        elif (e.type in ("resume_recorded", "answer_received") and p.get("participant") == me) or (
            e.type == "moment_started" and p.get("who") == me
        ):
            # "answer_received" says only that someone answered (everyone sees it), never what.
            took_part = True
    attended = started and took_part
    if not attended:  # a session someone was not part of says nothing about them
        return SessionMeasures(with_facilitator=facilitator is not None)
    return SessionMeasures(
        attended=True,
        completed=reason == "completed",
        with_facilitator=facilitator is not None,
        connected_start=checks.get("connected_start"),
        connected_end=checks.get("connected_end"),
        calm_start=checks.get("calm_start"),
        calm_end=checks.get("calm_end"),
        **counts,
    )
