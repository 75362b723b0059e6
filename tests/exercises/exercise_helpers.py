"""Shared helpers for the exercise tests: load the real catalogue from disk and drive a session
with a fake clock (plain floats)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from exercises import (
    Catalogue,
    Event,
    IntentRejected,
    Plan,
    PlanSpec,
    Ready,
    SessionState,
    Start,
    apply,
    build_catalogue,
    build_plan,
    new_session,
    next_wakeup,
    on_deadline,
)
from exercises.intents import Intent, Submit
from exercises.plans import PlanItemSpec
from exercises.views import announcement, current_step

PACKAGE = Path(__file__).resolve().parents[2] / "exercises"
ANA, BEN, FAY = "ana", "ben", "fay"  # two partners and a facilitator
T0 = 1_700_000_000.0


def read_texts(folder: str) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((PACKAGE / folder).glob("*.toml"))}


@cache
def catalogue() -> Catalogue:
    rules = PACKAGE / "rules.toml"
    return build_catalogue(
        read_texts("definitions"),
        read_texts("plans"),
        prompt_texts=read_texts("prompts"),
        rules_text=("rules.toml", rules.read_text("utf-8")),
    )


def plan_of(*items: str | PlanItemSpec) -> Plan:
    """A plan running just the named exercises (one round each unless a PlanItemSpec says otherwise)."""
    specs = tuple(PlanItemSpec(exercise=i, rounds=1) if isinstance(i, str) else i for i in items)
    spec = PlanSpec(id="test", title="Test plan", description="Just for tests.", exercises=specs)
    return build_plan(spec, catalogue().exercises, rules=catalogue().rules)


class Run:
    """A session driven by a fake clock; keeps every event it has seen."""

    def __init__(self, plan: Plan, first: str = ANA, facilitator: str | None = None, start: bool = True):
        self.now = T0
        self.state: SessionState = new_session(plan, (ANA, BEN), first, facilitator)
        self.events: list[Event] = []
        if start:
            self.start()

    def start(self) -> None:
        if self.state.facilitator:
            self.do(self.state.facilitator, Start())
        else:
            self.do(ANA, Ready())
            self.do(BEN, Ready())

    def do(self, actor: str, intent: Intent) -> list[Event]:
        self.state, events = apply(self.state, actor, intent, self.now)
        self.events += events
        return events

    def submit(self, actor: str, value: Any = None) -> list[Event]:
        assert self.state.step is not None
        return self.do(actor, Submit(step_no=self.state.step.no, value=value))

    def reject(self, actor: str, intent: Intent, code: str) -> IntentRejected:
        before = self.state
        with pytest.raises(IntentRejected) as info:
            apply(self.state, actor, intent, self.now)
        assert info.value.code == code, info.value
        assert info.value.message and info.value.message[0].isupper()
        assert self.state == before
        return info.value

    def advance(self, seconds: float) -> list[Event]:
        """Let time pass, firing every wake-up on the way, like the runtime's timer would."""
        target = self.now + seconds
        fired: list[Event] = []
        while (wake := next_wakeup(self.state)) is not None and wake <= target:
            self.now = max(self.now, wake)
            self.state, events = on_deadline(self.state, self.now)
            fired += events
        self.now = target
        self.events += fired
        return fired

    def announcement(self, who: str) -> dict[str, Any]:
        """The step as ``who`` sees it now."""
        return announcement(self.state, who, self.now)

    @property
    def step_id(self) -> str | None:
        if self.state.step is None:
            return None
        return current_step(self.state)[1].id

    @property
    def where(self) -> tuple[str, int, str] | None:
        """(exercise id, round, step id) of the current step."""
        if self.state.step is None:
            return None
        planned, step = current_step(self.state)
        return planned.definition.id, self.state.step.round, step.id


def types(events: list[Event]) -> list[str]:
    return [e.type for e in events]


def of_type(events: list[Event], type_: str) -> list[Event]:
    return [e for e in events if e.type == type_]
