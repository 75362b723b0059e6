"""Between sessions, pure: the self-soothing kit's bounds and suggestions, and the solo practices.

No file access here (the caller passes texts, as for the catalogue). The solo breathing is not defined
again: it is the guide step of the shared ``breathe`` exercise, so both breathe at the same pace.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from .errors import DefinitionError
from .loading import Catalogue, _convert, _load_toml
from .schema import GuideInput

SoloKind = Literal["breathing", "grounding"]
SOLO_KINDS: tuple[SoloKind, ...] = ("breathing", "grounding")

# A completion may come a little before the practice's full length (a tab that slept, a clock a second
# off, a network hop), but never much sooner: then it was not done, and is not logged.
COMPLETION_TOLERANCE = 0.1  # a tenth of the practice's length
# A start is good for this long: a practice left open overnight is a fresh start the next day.
START_VALID_SECONDS = 6 * 3600
# A couple keeps a few rituals (e.g. the daily practice and the weekly meeting), one per plan, at most this many.
MAX_RITUALS = 4

_Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class KitSuggestion(_Frozen):
    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{1,32}$")]
    text: _Text


class KitRules(_Frozen):
    max_items: Annotated[int, msgspec.Meta(ge=1, le=50)]
    max_length: Annotated[int, msgspec.Meta(ge=20, le=500)]
    suggestions: tuple[KitSuggestion, ...]

    def suggestion(self, suggestion_id: str) -> KitSuggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)


class GroundingStep(_Frozen):
    count: Annotated[int, msgspec.Meta(ge=1, le=10)]
    sense: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    prompt: _Text
    seconds: Annotated[int, msgspec.Meta(ge=10, le=120)]


class Grounding(_Frozen):
    id: str
    title: _Text
    description: _Text
    steps: tuple[GroundingStep, ...]

    @property
    def duration(self) -> int:
        return sum(step.seconds for step in self.steps)


def parse_kit(source_name: str, text: str) -> KitRules:
    kit = _convert(source_name, _load_toml(source_name, text), KitRules)
    ids = [s.id for s in kit.suggestions]
    if len(set(ids)) != len(ids):
        raise DefinitionError(f"{source_name}: suggestions: duplicate suggestion id")
    for i, suggestion in enumerate(kit.suggestions):
        if len(suggestion.text) > kit.max_length:
            raise DefinitionError(f"{source_name}: suggestions[{i}].text: longer than max_length ({kit.max_length})")
    return kit


def parse_grounding(source_name: str, text: str) -> Grounding:
    grounding = _convert(source_name, _load_toml(source_name, text), Grounding)
    if not grounding.steps:
        raise DefinitionError(f"{source_name}: steps: at least one step")
    if not 60 <= grounding.duration <= 600:
        raise DefinitionError(f"{source_name}: steps: lasts {grounding.duration} s, expected 60 to 600")
    return grounding


def solo_breathing(catalogue: Catalogue) -> GuideInput:
    """The shared breathing exercise's guide: the one source of its pace and number of breaths."""
    for step in catalogue.exercises["breathe"].steps:
        if isinstance(step.input, GuideInput):
            return step.input
    raise DefinitionError("breathe.toml: steps: no guide step for the solo breathing")


def solo_duration(kind: SoloKind, *, breathing: GuideInput, grounding: Grounding) -> int:
    return breathing.duration if kind == "breathing" else grounding.duration


def shortest_completion(duration: int) -> float:
    """The least time, in seconds, after which a completion counts."""
    return duration * (1 - COMPLETION_TOLERANCE)
