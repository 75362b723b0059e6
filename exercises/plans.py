"""Plans: an ordered list of exercises with parameters, resolved against the catalogue.

A ``PlanSpec`` is what a TOML file (or, later, a facilitator's composer) says. ``build_plan`` checks its
parameters against each exercise's bounds and returns a ``Plan``: fully resolved, self-contained data
(definitions embedded) so that a session snapshot can be resumed even if the catalogue changes later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

import msgspec

from .errors import DefinitionError
from .schema import END, ExerciseDefinition, GuideInput, Ident, Prose, ShortText, StepDefinition

FirstSpeaker = Literal["random", "partner_a", "partner_b"]
GUIDE_LEAD_SECONDS = 3  # both screens get a moment to show "get ready" before the first breath


class PlanItemSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    exercise: Ident
    rounds: int | None = None
    time_limits: dict[str, int] = {}


class PlanSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Ident
    title: ShortText
    description: Prose
    exercises: Annotated[tuple[PlanItemSpec, ...], msgspec.Meta(min_length=1, max_length=20)]
    first_speaker: FirstSpeaker = "random"


class PlannedExercise(msgspec.Struct, frozen=True):
    definition: ExerciseDefinition
    rounds: int
    time_limits: dict[str, int]  # every step id -> seconds (guide steps: their full length)

    def limit(self, step: StepDefinition) -> int:
        return self.time_limits[step.id]


class Plan(msgspec.Struct, frozen=True):
    id: str
    title: str
    description: str
    first_speaker: FirstSpeaker
    exercises: tuple[PlannedExercise, ...]
    estimated_minutes: int


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


def build_plan(spec: PlanSpec, catalogue: Mapping[str, ExerciseDefinition], source_name: str = "plan") -> Plan:
    validate_plan_parameters(spec, catalogue, source_name)
    planned = []
    for item in spec.exercises:
        definition = catalogue[item.exercise]
        limits = {step.id: item.time_limits.get(step.id, step_seconds(step)) for step in definition.steps}
        rounds = item.rounds if item.rounds is not None else definition.rounds
        planned.append(PlannedExercise(definition=definition, rounds=rounds, time_limits=limits))
    exercises = tuple(planned)
    return Plan(
        id=spec.id,
        title=spec.title,
        description=spec.description,
        first_speaker=spec.first_speaker,
        exercises=exercises,
        estimated_minutes=round(sum(estimate_seconds(p) for p in exercises) / 60),
    )


def estimate_seconds(planned: PlannedExercise) -> int:
    """Time limits along the plain path (no optional loops), for every round.

    Time limits are ceilings, so this is an honest upper estimate of a session without breaks.
    """
    definition = planned.definition
    total = 0
    for round_no in range(1, planned.rounds + 1):
        step_id = definition.first_step
        while step_id != END:
            step = definition.step(step_id)
            if not (step.first_round_only and round_no > 1):
                total += planned.time_limits[step_id]
            step_id = step.next
    return total
