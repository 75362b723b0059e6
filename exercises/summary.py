"""Per-partner session summaries, built purely from the state's transcript.

A summary holds the partner's own private reflections and never the other partner's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import msgspec

from .prompts import DrawnPrompt, slot_key
from .schema import ChoiceInput, ExerciseDefinition, FeelingInput, RatingInput, ReadyInput
from .state import Answer, SessionState, SpaceRecord

NO_ANSWER = "(no answer this time)"


class SummaryLine(msgspec.Struct, frozen=True):
    author: str
    label: str  # the step's short title, e.g. "Reflected back"
    value: str  # ready to show: option labels, "5 of 7", the text
    timed_out: bool = False
    prompt: str | None = None  # the question or starter drawn for this couple, when the step had one


class Exchange(msgspec.Struct, frozen=True):
    """One round of a speaker/listener exercise: what was shared and how it was reflected."""

    exercise_title: str
    round: int
    speaker: str
    lines: tuple[SummaryLine, ...]


class ScoreChange(msgspec.Struct, frozen=True):
    question: str
    yours_before: int | None
    yours_after: int | None
    partners_before: int | None
    partners_after: int | None
    scale: int


class Summary(msgspec.Struct, frozen=True):
    participant: str
    partner: str
    plan_title: str
    started_at: float | None
    ended_at: float | None
    minutes: int
    end_reason: str | None
    ended_by: str | None
    exercises_done: tuple[str, ...]
    you_shared: tuple[Exchange, ...]
    partner_shared: tuple[Exchange, ...]
    together: tuple[SummaryLine, ...]
    scores: tuple[ScoreChange, ...]
    spaces: tuple[SpaceRecord, ...]
    private_reflections: tuple[SummaryLine, ...]


def keeps_summaries(state: SessionState) -> bool:
    """Whether an ended session leaves summaries: only one that started (ended in the lobby: nothing to keep)."""
    return state.phase == "ended" and state.started_at is not None


def about_minutes(minutes: int) -> str:
    """ "about 1 minute", "about 12 minutes": the one place the summary's length is put in words."""
    return f"about {minutes} minute{'' if minutes == 1 else 's'}"


def build_summary(state: SessionState, participant: str) -> Summary:
    if participant not in state.partners:
        raise ValueError("summaries are for partners")
    partner = state.other(participant)
    definitions = [p.definition for p in state.plan.exercises]
    shared = [a for a in state.answers if not a.private]
    # What this partner may see: everything shared plus their own answers that were never revealed
    # (private reflections, and a "both" answer the other never matched).
    visible = [a for a in state.answers if not a.private or a.author == participant]
    exchanges = _exchanges(state, shared)
    drawn = state.prompts
    minutes = 0
    if state.started_at is not None and state.ended_at is not None:
        minutes = round((state.ended_at - state.started_at) / 60)
    done = sorted({a.exercise_index for a in state.answers})
    return Summary(
        participant=participant,
        partner=partner,
        plan_title=state.plan.title,
        started_at=state.started_at,
        ended_at=state.ended_at,
        minutes=minutes,
        end_reason=state.end_reason,
        ended_by=state.ended_by,
        exercises_done=tuple(definitions[i].title for i in done),
        you_shared=tuple(e for e in exchanges if e.speaker == participant),
        partner_shared=tuple(e for e in exchanges if e.speaker == partner),
        together=tuple(
            _line(definitions[a.exercise_index], a, drawn)
            for a in visible
            if a.role == "both" and definitions[a.exercise_index].category == "exercise"
        ),
        scores=_scores(definitions, visible, participant, partner),
        spaces=state.spaces,
        private_reflections=tuple(
            _line(definitions[a.exercise_index], a, drawn)
            for a in state.answers
            if a.private and a.author == participant and a.role == "private"
        ),
    )


def _exchanges(state: SessionState, shared: list[Answer]) -> list[Exchange]:
    rounds: dict[tuple[int, int], list[Answer]] = {}
    for answer in shared:
        if answer.role in ("speaker", "listener"):
            rounds.setdefault((answer.exercise_index, answer.round), []).append(answer)
    result = []
    for (index, round_no), answers in rounds.items():
        definition = state.plan.exercises[index].definition
        result.append(
            Exchange(
                exercise_title=definition.title,
                round=round_no,
                speaker=answers[0].speaker,
                lines=tuple(_line(definition, a, state.prompts) for a in answers),
            )
        )
    return result


def _scores(
    definitions: list[ExerciseDefinition], shared: list[Answer], participant: str, partner: str
) -> tuple[ScoreChange, ...]:
    found: dict[tuple[str, str, str], int] = {}  # (category, step id, author) -> score
    questions: dict[str, tuple[str, int]] = {}
    for answer in shared:
        definition = definitions[answer.exercise_index]
        step = definition.step(answer.step_id)
        if definition.category == "exercise" or not isinstance(step.input, RatingInput):
            continue
        questions.setdefault(step.id, (step.title, step.input.scale))
        if isinstance(answer.value, int):
            found[(definition.category, step.id, answer.author)] = answer.value
    return tuple(
        ScoreChange(
            question=title,
            yours_before=found.get(("check_in", step_id, participant)),
            yours_after=found.get(("check_out", step_id, participant)),
            partners_before=found.get(("check_in", step_id, partner)),
            partners_after=found.get(("check_out", step_id, partner)),
            scale=scale,
        )
        for step_id, (title, scale) in questions.items()
    )


def _line(definition: ExerciseDefinition, answer: Answer, drawn: dict[str, DrawnPrompt]) -> SummaryLine:
    step = definition.step(answer.step_id)
    prompt = drawn.get(slot_key(answer.exercise_index, answer.step_id))
    return SummaryLine(
        author=answer.author,
        label=step.title,
        value=_display(step.input, answer),
        timed_out=answer.timed_out,
        prompt=prompt.text if prompt is not None else None,
    )


def _display(spec: object, answer: Answer) -> str:
    if answer.timed_out or answer.value is None:
        return NO_ANSWER
    if isinstance(spec, ChoiceInput | FeelingInput):
        return next((o.label for o in spec.options if o.value == answer.value), str(answer.value))
    if isinstance(spec, RatingInput):
        return f"{answer.value} of {spec.scale}"
    if isinstance(spec, ReadyInput):
        return spec.label
    return str(answer.value)


# ---------------------------------------------------------------- markdown


_ENDINGS = {
    "completed": "You finished the whole plan.",
    "ended_early": "The session ended early. That's always fine.",
    "abandoned": "The session closed after nobody had been there for a while.",
}


def shareable(summary: Summary) -> Summary:
    """The summary as its author may share it with a facilitator: private reflections never leave."""
    return msgspec.structs.replace(summary, private_reflections=())


def summary_to_markdown(summary: Summary) -> str:
    def who(author: str) -> str:
        return "You" if author == summary.participant else "Your partner"

    def clock(ts: float) -> str:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%H:%M UTC")

    day = (
        datetime.fromtimestamp(summary.started_at, tz=UTC).strftime("%A %d %B %Y")
        if summary.started_at is not None
        else "a session that did not start"
    )
    out = [f"# Your session, {day}", ""]
    ending = _ENDINGS.get(summary.end_reason or "", "")
    out.append(f"{summary.plan_title} · {about_minutes(summary.minutes)}. {ending}")
    if summary.exercises_done:
        out += ["", "## What you practised", ""] + [f"- {title}" for title in summary.exercises_done]
    if summary.scores:
        out += ["", "## How you arrived, and how you left", ""]
        out += [
            "| | You: start | You: end | Your partner: start | Your partner: end |",
            "|---|---|---|---|---|",
        ]
        for s in summary.scores:
            cells = [s.yours_before, s.yours_after, s.partners_before, s.partners_after]
            out.append(
                f"| {s.question} (1-{s.scale}) | " + " | ".join("-" if c is None else str(c) for c in cells) + " |"
            )
    for heading, exchanges in (
        ("What you shared, and how it was reflected", summary.you_shared),
        ("What your partner shared, and how you reflected it", summary.partner_shared),
    ):
        if exchanges:
            out += ["", f"## {heading}"]
            for exchange in exchanges:
                out += ["", f"### {exchange.exercise_title}, round {exchange.round}", ""]
                out += [_md_line(line, who) for line in exchange.lines]
    if summary.together:
        out += ["", "## Together", ""]
        out += [_md_line(line, who) for line in summary.together]
    if summary.spaces:
        out += ["", "## Breaks", ""]
        for space in summary.spaces:
            # No scorekeeping: when someone came back is not held against the time they hoped for.
            back = "and came back" if space.returned_at is not None else "and the session ended during the break"
            out.append(f"- {who(space.who)} took some space at {clock(space.requested_at)} {back}.")
    if summary.private_reflections:
        out += ["", "## Just for you", "", "Only you can see this part."]
        for line in summary.private_reflections:
            out += ["", f"**{line.label}**", ""] + ([f"_{line.prompt}_", ""] if line.prompt else []) + [line.value]
    out += ["", "---", "", "This was practice, not therapy. Thank you for showing up for each other.", ""]
    return "\n".join(out)


def _md_line(line: SummaryLine, who: Callable[[str], str]) -> str:
    asked = f" (“{line.prompt}”)" if line.prompt else ""
    return f"- **{line.label}**{asked} ({who(line.author)}): {line.value}"
