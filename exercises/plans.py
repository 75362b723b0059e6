"""Plans: an ordered list of exercises with parameters, resolved against the catalogue.

A ``PlanSpec`` is what a TOML file (or, later, a facilitator's composer) says. ``build_plan`` checks its
parameters against each exercise's bounds and returns a ``Plan``: fully resolved, self-contained data
(definitions embedded) so that a session snapshot can be resumed even if the catalogue changes later.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Literal

import msgspec

from .errors import DefinitionError
from .prompts import Depth, slot_key
from .rules import LEGACY_RULES, SessionRules
from .schema import END, ChoiceInput, ExerciseDefinition, GuideInput, Ident, Prose, ShortText, StepDefinition

FirstSpeaker = Literal["random", "partner_a", "partner_b"]
GUIDE_LEAD_SECONDS = 3  # both screens get a moment to show "get ready" before the first breath


class PlanItemSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    exercise: Ident
    rounds: int | None = None
    time_limits: dict[str, int] = {}
    depth: Depth = "light"  # which prompts this exercise draws: light for everyday plans, deeper otherwise


class PlanSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Ident
    title: ShortText
    description: Prose
    exercises: Annotated[tuple[PlanItemSpec, ...], msgspec.Meta(min_length=1, max_length=20)]
    first_speaker: FirstSpeaker = "random"
    # How often a couple may run this plan; the loader checks its prompt pools stay fresh for 90 days at that pace.
    sessions_per_week: Annotated[int, msgspec.Meta(ge=1, le=7)] = 1


class PlannedExercise(msgspec.Struct, frozen=True):
    definition: ExerciseDefinition
    rounds: int
    time_limits: dict[str, int]  # every step id -> seconds (guide steps: their full length)
    depth: Depth = "light"

    def limit(self, step: StepDefinition) -> int:
        return self.time_limits[step.id]


class Plan(msgspec.Struct, frozen=True):
    id: str
    title: str
    description: str
    first_speaker: FirstSpeaker
    exercises: tuple[PlannedExercise, ...]
    estimated_minutes: int  # an honest ceiling: every time limit and every optional loop, without breaks
    rules: SessionRules = LEGACY_RULES  # embedded like the definitions; sessions stored earlier keep the old ones
    sessions_per_week: int = 1


def prompt_slots(plan: Plan) -> list[tuple[str, str, Depth]]:
    """(slot key, pool id, depth) for every prompt-bearing step of the plan, in order."""
    return [
        (slot_key(i, step.id), step.prompt_pool, planned.depth)
        for i, planned in enumerate(plan.exercises)
        for step in planned.definition.steps
        if step.prompt_pool is not None
    ]


def step_seconds(step: StepDefinition) -> int:
    """The default length of a step; a guide step lasts as long as its breathing does."""
    if isinstance(step.input, GuideInput):
        return GUIDE_LEAD_SECONDS + step.input.duration
    assert step.time_limit is not None  # guaranteed by loading.check_exercise
    return step.time_limit


def validate_plan_parameters(
    spec: PlanSpec, catalogue: Mapping[str, ExerciseDefinition], source_name: str = "plan"
) -> None:
    """Raise ``DefinitionError`` naming the first parameter that is unknown or out of bounds."""
    for i, item in enumerate(spec.exercises):
        where = f"{source_name}: exercises[{i}]"
        definition = catalogue.get(item.exercise)
        if definition is None:
            known = ", ".join(sorted(catalogue))
            raise DefinitionError(f"{where}.exercise: unknown exercise {item.exercise!r} (known: {known})")
        if item.rounds is not None and not definition.rounds_min <= item.rounds <= definition.rounds_max:
            raise DefinitionError(
                f"{where}.rounds: expected an int between {definition.rounds_min} and "
                f"{definition.rounds_max} for {definition.id}, got {item.rounds!r}"
            )
        step_ids = {step.id for step in definition.steps}
        for step_id, seconds in item.time_limits.items():
            if step_id not in step_ids:
                raise DefinitionError(f"{where}.time_limits.{step_id}: {definition.id} has no step {step_id!r}")
            step = definition.step(step_id)
            if isinstance(step.input, GuideInput):
                raise DefinitionError(
                    f"{where}.time_limits.{step_id}: a breathing guide's length follows its breathing"
                )
            low, high = step.time_limit_min, step.time_limit_max
            if isinstance(seconds, bool) or not isinstance(seconds, int) or not low <= seconds <= high:
                raise DefinitionError(
                    f"{where}.time_limits.{step_id}: expected an int between {low} and {high}, got {seconds!r}"
                )


def build_plan(
    spec: PlanSpec,
    catalogue: Mapping[str, ExerciseDefinition],
    source_name: str = "plan",
    *,
    rules: SessionRules,
) -> Plan:
    validate_plan_parameters(spec, catalogue, source_name)
    planned = []
    for item in spec.exercises:
        definition = catalogue[item.exercise]
        limits = {step.id: item.time_limits.get(step.id, step_seconds(step)) for step in definition.steps}
        rounds = item.rounds if item.rounds is not None else definition.rounds
        planned.append(PlannedExercise(definition=definition, rounds=rounds, time_limits=limits, depth=item.depth))
    exercises = tuple(planned)
    return Plan(
        id=spec.id,
        title=spec.title,
        description=spec.description,
        first_speaker=spec.first_speaker,
        exercises=exercises,
        estimated_minutes=math.ceil(sum(estimate_seconds(p) for p in exercises) / 60),
        rules=rules,
        sessions_per_week=spec.sessions_per_week,
    )


def estimate_seconds(planned: PlannedExercise) -> int:
    """The longest a session spends in this exercise without breaks: "up to N minutes".

    Every step on the plain path, plus every optional loop taken as often as it may be (or, for a loop
    with a time budget, as often as the budget lets it start), for every round. Time limits are
    ceilings, so this is an honest upper bound.
    """
    definition = planned.definition
    total = 0
    for round_no in range(1, planned.rounds + 1):
        round_total = 0
        step_id = definition.first_step
        while step_id != END:
            step = definition.step(step_id)
            if not (step.first_round_only and round_no > 1):
                round_total += planned.time_limits[step_id]
                for branch in step.branches:
                    loop = loop_seconds(planned, step, branch.goto)
                    passes = branch.at_most
                    if branch.budget_seconds is not None and loop:
                        passes = min(passes, max(1, branch.budget_seconds // loop))
                    round_total += passes * loop
            step_id = step.next
        total += round_total
    return total


def loop_seconds(planned: PlannedExercise, branching: StepDefinition, goto: str) -> int:
    """One pass of a loop: from ``goto`` along the ``next`` links back to the step that branches."""
    definition = planned.definition
    total, step_id, seen = 0, goto, set()
    while step_id != END and step_id not in seen:
        seen.add(step_id)
        total += planned.time_limits[step_id]
        if step_id == branching.id:
            return total
        step_id = definition.step(step_id).next
    return total


def offered_options(step: StepDefinition, closed: tuple[str, ...]) -> tuple[str, ...] | None:
    """The option values a choice step offers now (an option into a closed loop is withdrawn)."""
    if not isinstance(step.input, ChoiceInput):
        return None
    shut = {b.when for b in step.branches if branch_key(step, b.goto) in closed}
    return tuple(o.value for o in step.input.options if o.value not in shut)


def branch_key(step: StepDefinition, goto: str) -> str:
    return f"{step.id}>{goto}"
