"""Per-recipient views: the step announcement and the full reconnect snapshot.

Both are built from state for one participant, so nobody ever receives another's private answer or a
``both`` answer that has not been revealed yet.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .plans import PlannedExercise, offered_options
from .prompts import slot_key
from .schema import ChoiceInput, GuideInput, StepDefinition
from .state import Answer, SessionState

DEFAULT_WAITING = "Your partner is answering. Take a breath; your turn will come."
PRIVATE_WAITING = "Your partner is writing for themself. Take this time for you."


def current_step(state: SessionState) -> tuple[PlannedExercise, StepDefinition]:
    assert state.step is not None
    planned = state.plan.exercises[state.step.exercise_index]
    return planned, planned.definition.step(state.step.step_id)


def speaker_of(state: SessionState, round_no: int) -> str:
    first = state.exercise_first_speaker or state.first_speaker
    return first if round_no % 2 == 1 else state.other(first)


def required_authors(state: SessionState, step: StepDefinition) -> tuple[str, ...]:
    """Who must answer this step (empty for a breathing guide)."""
    assert state.step is not None
    if isinstance(step.input, GuideInput):
        return ()
    speaker = speaker_of(state, state.step.round)
    if step.role == "speaker":
        return (speaker,)
    if step.role == "listener":
        return (state.other(speaker),)
    return state.partners


def role_of(state: SessionState, participant: str, step: StepDefinition) -> str:
    assert state.step is not None
    if participant not in state.partners:
        return "observer"
    if step.role in ("both", "private"):
        return step.role
    return "speaker" if participant == speaker_of(state, state.step.round) else "listener"


def remaining(state: SessionState, now: float) -> float:
    assert state.step is not None
    if state.step.deadline is None:
        return state.step.remaining
    return max(0.0, state.step.deadline - now)


def announcement(state: SessionState, participant: str, now: float) -> dict[str, Any]:
    """What one recipient needs to show the current step: role, prompt, input, time."""
    assert state.step is not None
    planned, step = current_step(state)
    role = role_of(state, participant, step)
    acting = participant in required_authors(state, step)
    drawn = drawn_prompt(state)
    if acting or role == "observer" or isinstance(step.input, GuideInput):
        prompt = step.prompt
        if drawn is not None and step.drawn_prompt is not None:
            prompt = step.drawn_prompt.replace("{prompt}", drawn)
    elif step.role == "private":
        prompt = PRIVATE_WAITING
    else:
        prompt = step.waiting or DEFAULT_WAITING
    if state.step.notice:
        prompt = f"{state.step.notice} {prompt}"
    speaker = speaker_of(state, state.step.round)
    payload: dict[str, Any] = {
        "step_no": state.step.no,
        "exercise_index": state.step.exercise_index,
        "exercise_id": planned.definition.id,
        "exercise_title": planned.definition.title,
        "round": state.step.round,
        "rounds": planned.rounds,
        "step_id": step.id,
        "step_title": step.title,
        "role": role,
        "step_role": step.role,  # the step's own kind (speaker, listener, both, private), for observers
        "acting": acting,
        "speaker": speaker if step.role in ("speaker", "listener") else None,
        "listener": state.other(speaker) if step.role in ("speaker", "listener") else None,
        "prompt": prompt,
        "input": offered_input(state, step),
        "drawn_prompt": drawn,  # the question or starter drawn for this couple (not private: both see it)
        "notice": state.step.notice,
        "deadline": state.step.deadline,
        "remaining": remaining(state, now),
        "paused": state.paused,
    }
    if isinstance(step.input, GuideInput):
        payload.update(
            starts_at=state.step.guide_starts_at,
            inhale_seconds=step.input.inhale_seconds,
            exhale_seconds=step.input.exhale_seconds,
            cycles=step.input.cycles,
        )
    return payload


def drawn_prompt(state: SessionState) -> str | None:
    assert state.step is not None
    found = state.prompts.get(slot_key(state.step.exercise_index, state.step.step_id))
    return found.text if found is not None else None


def offered_input(state: SessionState, step: StepDefinition) -> dict[str, Any]:
    """The step's input as offered now: an option leading into a loop that has closed is withdrawn."""
    spec: dict[str, Any] = msgspec.to_builtins(step.input)
    offered = offered_options(step, state.closed_branches)
    if isinstance(step.input, ChoiceInput) and offered is not None:
        spec["options"] = [o for o in spec["options"] if o["value"] in offered]
    return spec


def is_away(state: SessionState, participant: str) -> bool:
    """Whether the engine counts this participant as away (the runtime sends ``Back`` when they return)."""
    if participant == state.facilitator:
        return state.facilitator_away
    return any(p.kind == "away" and p.who == participant for p in state.pauses)


def visible_answers(state: SessionState, participant: str) -> list[Answer]:
    """The transcript as one participant may see it: shared answers plus their own private ones."""
    return [a for a in state.answers if not a.private or a.author == participant]


def snapshot_for(state: SessionState, participant: str, now: float) -> dict[str, Any]:
    """A full, JSON-ready view for one participant (used on connect and reconnect)."""
    step_view: dict[str, Any] | None = None
    answered: list[str] = []
    your_answer: Any = None
    if state.phase == "running" and state.step is not None:
        step_view = announcement(state, participant, now)
        answered = [p for p in state.partners if p in state.step.answers]
        your_answer = state.step.answers.get(participant)
    plan = state.plan
    return {
        "you": participant,
        "as": "facilitator" if participant == state.facilitator else "partner",
        "phase": state.phase,
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "description": plan.description,
            "estimated_minutes": plan.estimated_minutes,
            "exercises": [
                {"id": p.definition.id, "title": p.definition.title, "rounds": p.rounds} for p in plan.exercises
            ],
        },
        "rules": msgspec.to_builtins(state.plan.rules),
        "partners": list(state.partners),
        "facilitator": state.facilitator,
        "first_speaker": state.first_speaker,
        "ready": list(state.ready),
        "started_at": state.started_at,
        "ended": None
        if state.phase != "ended"
        else {"reason": state.end_reason, "by": state.ended_by, "at": state.ended_at},
        "step": step_view,
        "answered": answered,
        "your_answer": your_answer,
        "paused": state.paused,
        "pauses": [msgspec.to_builtins(p) for p in state.pauses],
        "transcript": [msgspec.to_builtins(a) for a in visible_answers(state, participant)],
        "steps": step_labels(state, participant),
    }


def step_labels(state: SessionState, participant: str) -> dict[str, dict[str, Any]]:
    """What each step in the visible transcript asked ("How calm", its options and scale), keyed by step number.

    After a reload the client has missed the step announcements, so the snapshot carries what it needs to label
    every answer exactly as it did live.
    """
    labels: dict[str, dict[str, Any]] = {}
    for answer in visible_answers(state, participant):
        definition = state.plan.exercises[answer.exercise_index].definition
        step = definition.step(answer.step_id)
        labels[str(answer.step_no)] = {"title": step.title, "input": msgspec.to_builtins(step.input)}
    return labels
