"""Play one practice session through the real engine with scripted answers, at simulated times.

No I/O: the caller passes the random generator and the start time, and gets back the engine's final
state with every event numbered and timed exactly as the runtime would have stored them
(`rooms/runtime.py: _transition`). Answers drift gently with `progress` (0 at the start of the history,
1 at its end): check-ins rise a little, reflections land a little more often. Real life is not a
straight line, so every answer also carries some noise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import msgspec

from exercises import (
    AskSpace,
    ComeBack,
    End,
    Plan,
    Ready,
    SessionState,
    Start,
    Submit,
    apply,
    new_session,
    next_wakeup,
    on_deadline,
)
from exercises.events import Event
from exercises.intents import Intent
from exercises.schema import ChoiceInput, FeelingInput, GuideInput, RatingInput, ReadyInput, TextInput
from exercises.views import current_step, offered_input, required_authors
from rooms.journal import StoredEvent

SHARES = (
    "I felt close to you when we cooked together last night.",
    "Work has been loud this week and I have been carrying it home.",
    "I liked that you asked about my mother's appointment.",
    "I was a bit lonely on Sunday afternoon, and I didn't say so.",
    "It meant a lot that you waited up for me.",
    "I get tense when plans change at the last minute.",
    "I am grateful for the walk on Saturday; it reset me.",
    "I worried about money again this week.",
)
REFLECTIONS = (
    "What I heard is that it mattered to you, and you'd like me to notice it.",
    "It sounds like the week weighed on you and you want me near.",
    "You felt cared for when I remembered. Did I get that?",
    "So part of you felt alone, and it was hard to say.",
)
OTHER_TEXT = (
    "Thank you for listening.",
    "That makes sense to me, given your week.",
    "I imagine you felt tired and a little unseen.",
    "I'm on your side with this.",
    "What would help most right now?",
    "A quiet evening together would help.",
    "I noticed I relaxed as we talked.",
)
BREAK_SECONDS = 20 * 60  # the shortest break the rules allow (exercises/rules.toml)


@dataclass
class Script:
    """How this session goes: how far along the couple is, and whether it ends early or has a break."""

    progress: float  # 0..1 over the history
    leave_early_at_step: int | None = None  # ends the session when this step number is reached
    break_at_step: int | None = None  # someone asks for space when this step number is reached
    break_by: int = 0  # which partner (0 or 1) asks


@dataclass
class Played:
    state: SessionState
    events: list[StoredEvent] = field(default_factory=list)
    created_at: float = 0.0


class _Player:
    def __init__(self, state: SessionState, start: float, rng: random.Random, script: Script) -> None:
        self.state = state
        self.now = start
        self.rng = rng
        self.script = script
        self.events: list[StoredEvent] = []

    def do(self, actor: str, intent: Intent) -> None:
        self.state, events = apply(self.state, actor, intent, self.now)
        self._store(events)

    def _store(self, events: list[Event]) -> None:
        base = len(self.events)
        self.events += [
            StoredEvent(base + 1 + i, e.type, msgspec.to_builtins(e.payload), e.audience, self.now)
            for i, e in enumerate(events)
        ]

    def wait(self, seconds: float) -> None:
        """Let time pass, firing every wake-up on the way, as the runtime's timers would."""
        target = self.now + seconds
        while (wake := next_wakeup(self.state)) is not None and wake <= target:
            self.now = max(self.now, wake)
            self.state, events = on_deadline(self.state, self.now)
            self._store(events)
        self.now = target

    def think(self) -> None:
        """A human pause before answering, always well inside the step's time."""
        step = self.state.step
        seconds = self.rng.uniform(15, 70)
        if step is not None and step.deadline is not None:
            seconds = max(1.0, min(seconds, step.deadline - self.now - 35))  # before the 30 s warning
        self.wait(seconds)

    def answer(self, actor: str) -> None:
        assert self.state.step is not None
        _, definition = current_step(self.state)
        value = self.value_for(definition.id, definition.input, offered_input(self.state, definition))
        self.do(actor, Submit(step_no=self.state.step.no, value=value))

    def value_for(self, step_id: str, spec: object, offered: dict) -> str | int | bool | None:
        rng, p = self.rng, self.script.progress
        if isinstance(spec, ReadyInput):
            return True
        if isinstance(spec, RatingInput):
            if spec.scale == 5:  # "how understood"
                return _clamp(round(3 + 1.4 * p + rng.uniform(-1, 1)), 1, 5)
            ending = self.state.plan.exercises[self.state.step.exercise_index].definition.category == "check_out"
            base = 3.2 + 1.6 * p + (0.9 if ending else 0.0)
            return _clamp(round(base + rng.uniform(-1.2, 1.2)), 1, 7)
        if isinstance(spec, FeelingInput):
            return rng.choice(spec.options).value
        if isinstance(spec, ChoiceInput):
            values = [o["value"] for o in offered["options"]]
            if "not_quite" in values:  # did the reflection land?
                roll = rng.random()
                if roll < 0.45 + 0.35 * p:
                    return "yes"
                if roll < 0.8 + 0.1 * p and "mostly" in values:
                    return "mostly"
                return "not_quite"
            if step_id == "more" and "no" in values:
                return rng.choice(("yes", "no", "no"))
            return rng.choice(values)
        if isinstance(spec, TextInput):
            pool = {"share": SHARES, "stress": SHARES, "reflect": REFLECTIONS, "mirror": REFLECTIONS}.get(
                step_id, OTHER_TEXT
            )
            return rng.choice(pool)[: spec.max_length]
        return None


def play(
    plan: Plan,
    partners: tuple[str, str],
    *,
    start: float,
    rng: random.Random,
    script: Script,
    facilitator: str | None = None,
) -> Played:
    """Run a whole session of `plan` from the lobby to its end; `start` is when it was opened."""
    first = partners[rng.randrange(2)]
    player = _Player(new_session(plan, partners, first, facilitator), start, rng, script)
    if facilitator:
        player.wait(rng.uniform(30, 120))
        player.do(facilitator, Start())
    else:
        for partner in (first, partners[0] if first == partners[1] else partners[1]):
            player.wait(rng.uniform(5, 90))
            player.do(partner, Ready())
    asker = partners[script.break_by]
    while player.state.phase == "running":
        step = player.state.step
        assert step is not None
        if script.leave_early_at_step is not None and step.no >= script.leave_early_at_step:
            player.think()
            player.do(partners[rng.randrange(2)], End())
            break
        if script.break_at_step is not None and step.no >= script.break_at_step:
            script.break_at_step = None
            player.think()
            player.do(asker, AskSpace(return_in_seconds=BREAK_SECONDS))
            player.wait(BREAK_SECONDS + rng.uniform(-300, 120))  # back a little early, or just on time
            if any(p.kind == "space" for p in player.state.pauses):
                player.do(asker, ComeBack())
            continue
        _, definition = current_step(player.state)
        if isinstance(definition.input, GuideInput):
            assert step.deadline is not None
            player.wait(step.deadline - player.now)
            continue
        for author in required_authors(player.state, definition):
            if player.state.step is None or player.state.step.no != step.no:
                break  # the step moved on (a choice that branched, say)
            player.think()
            player.answer(author)
    return Played(player.state, player.events, start)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
