"""Exercise definitions as data: the step graph, roles, inputs and time limits.

These structs are the shape of the TOML files in ``exercises/definitions/``. Structural checks
(types, bounds) live in the annotations; cross-field checks live in ``loading.check_exercise``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Role = Literal["speaker", "listener", "both", "private"]
Category = Literal["exercise", "check_in", "check_out"]

END = "end"  # the pseudo step that closes a round

TIME_LIMIT_MIN = 10
TIME_LIMIT_MAX = 3600

Seconds = Annotated[int, msgspec.Meta(ge=TIME_LIMIT_MIN, le=TIME_LIMIT_MAX)]
Ident = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Prose = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


OptionValue = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_]{0,39}$")]


class Option(_Frozen):
    value: OptionValue
    label: ShortText


class TextInput(_Frozen, tag_field="kind", tag="text"):
    max_length: Annotated[int, msgspec.Meta(ge=1, le=4000)] = 500


class FeelingInput(_Frozen, tag_field="kind", tag="feeling"):
    options: Annotated[tuple[Option, ...], msgspec.Meta(min_length=2, max_length=20)]


class ChoiceInput(_Frozen, tag_field="kind", tag="choice"):
    options: Annotated[tuple[Option, ...], msgspec.Meta(min_length=2, max_length=10)]


class RatingInput(_Frozen, tag_field="kind", tag="rating"):
    scale: Literal[5, 7]
    low_label: ShortText
    high_label: ShortText


class ReadyInput(_Frozen, tag_field="kind", tag="ready"):
    label: ShortText = "I'm ready"


class GuideInput(_Frozen, tag_field="kind", tag="guide"):
    """A paced breathing guide: nothing to submit; the step completes when the guide's time is up."""

    inhale_seconds: Annotated[int, msgspec.Meta(ge=2, le=10)] = 4
    exhale_seconds: Annotated[int, msgspec.Meta(ge=2, le=12)] = 6
    cycles: Annotated[int, msgspec.Meta(ge=1, le=30)] = 10

    @property
    def duration(self) -> int:
        return (self.inhale_seconds + self.exhale_seconds) * self.cycles


Input = TextInput | FeelingInput | ChoiceInput | RatingInput | ReadyInput | GuideInput
INPUT_KINDS = ("text", "feeling", "choice", "rating", "ready", "guide")


class Branch(_Frozen):
    """Go to ``goto`` when the answer is ``when``, at most ``at_most`` times a round; then use ``next``.

    A loop never ignores an answer: once its last pass is under way (``at_most`` reached, or another pass
    would overrun ``budget_seconds`` of the round), the option that leads into it is no longer offered,
    and a question left with one option is not asked at all. ``last_notice`` tells both partners, when
    that last pass begins, that it is the last one ("One more piece, then we'll sum up.").
    """

    when: OptionValue
    goto: Ident
    at_most: Annotated[int, msgspec.Meta(ge=1, le=10)]
    budget_seconds: Annotated[int, msgspec.Meta(ge=60, le=7200)] | None = None
    last_notice: ShortText | None = None


class StepDefinition(_Frozen):
    id: Ident
    title: ShortText  # a short label used in summaries ("Your reflection")
    role: Role
    input: Input
    prompt: Prose  # shown to whoever acts in this step
    next: Ident = END  # where to go when no branch applies, on timeout and on skip
    waiting: Prose | None = None  # shown to the partner who is not acting (speaker/listener steps)
    time_limit: Seconds | None = None  # required except for guide steps (their length is the guide's)
    time_limit_min: Seconds | None = None
    time_limit_max: Seconds | None = None
    branches: tuple[Branch, ...] = ()
    first_round_only: bool = False  # e.g. "is now a good time?" is asked once, not every round
    starts_break_from: Ident | None = None  # completing this step starts a space break of N minutes
    # Prompt pools: a step with ``prompt_pool`` gets one prompt drawn for the couple per session; the
    # acting partner then sees ``drawn_prompt`` with ``{prompt}`` replaced (``prompt`` when nothing was drawn).
    prompt_pool: Ident | None = None
    drawn_prompt: Prose | None = None
    # A speaker's step that times out with nothing said is offered once more; if it stays silent the
    # round moves on kindly to ``if_silent`` (when something was said earlier this round) or ends.
    reinvite_if_silent: bool = False
    if_silent: Ident | None = None
    # Only run this step when the named "both" step's answers were revealed (both partners answered).
    only_after_reveal_of: Ident | None = None


class ExerciseDefinition(_Frozen):
    id: Ident
    title: ShortText
    description: Prose
    steps: Annotated[tuple[StepDefinition, ...], msgspec.Meta(min_length=1, max_length=30)]
    category: Category = "exercise"
    rounds: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1
    rounds_min: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1
    rounds_max: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1

    def step(self, step_id: str) -> StepDefinition:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def first_step(self) -> str:
        return self.steps[0].id
