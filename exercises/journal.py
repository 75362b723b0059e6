"""The private journal and noticing as data: feeling tags, prompts and bounds, parsed from ``journal.toml``.

Pure: the caller reads the text (the server through ``importlib.resources``) and passes it in. The
feeling ids are stored in the database, so they are plain lowercase words without commas.
"""

from __future__ import annotations

import tomllib
from typing import Annotated

import msgspec

from .errors import DefinitionError

_ID = r"^[a-z][a-z_]{0,30}$"


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class Feeling(_Frozen):
    id: Annotated[str, msgspec.Meta(pattern=_ID)]
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class Prompt(_Frozen):
    id: Annotated[str, msgspec.Meta(pattern=_ID)]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Limits(_Frozen):
    entry_max_chars: Annotated[int, msgspec.Meta(ge=1, le=20000)]
    context_max_chars: Annotated[int, msgspec.Meta(ge=1, le=500)]
    search_max_chars: Annotated[int, msgspec.Meta(ge=1, le=500)]
    intensity_min: Annotated[int, msgspec.Meta(ge=0)]
    intensity_max: Annotated[int, msgspec.Meta(le=20)]
    pattern_weeks_default: Annotated[int, msgspec.Meta(ge=1)]
    # The spans the pattern can be seen over, in weeks; the page offers exactly these.
    pattern_weeks_choices: Annotated[tuple[Annotated[int, msgspec.Meta(ge=1, le=104)], ...], msgspec.Meta(min_length=1)]

    @property
    def pattern_weeks_max(self) -> int:
        return max(self.pattern_weeks_choices)


class JournalDefinitions(_Frozen):
    limits: Limits
    feelings: Annotated[tuple[Feeling, ...], msgspec.Meta(min_length=1, max_length=30)]
    prompts: Annotated[tuple[Prompt, ...], msgspec.Meta(min_length=1, max_length=50)]

    def feeling_label(self, feeling_id: str) -> str:
        return next((f.label for f in self.feelings if f.id == feeling_id), feeling_id)

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def unknown_feelings(self, ids: list[str]) -> list[str]:
        known = {f.id for f in self.feelings}
        return [i for i in ids if i not in known]


def parse_journal_definitions(source_name: str, text: str) -> JournalDefinitions:
    """Parse and check; every problem names the file and the field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{source_name}: not valid TOML: {exc}") from None
    try:
        defs = msgspec.convert(raw, JournalDefinitions)
    except msgspec.ValidationError as exc:
        raise DefinitionError(f"{source_name}: {exc}") from None
    problems = []
    for kind, items in (("feelings", defs.feelings), ("prompts", defs.prompts)):
        ids = [item.id for item in items]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{kind}: {dup!r} appears more than once")
    lim = defs.limits
    if lim.intensity_min >= lim.intensity_max:
        problems.append("limits.intensity_min: must be below intensity_max")
    if list(lim.pattern_weeks_choices) != sorted(set(lim.pattern_weeks_choices)):
        problems.append("limits.pattern_weeks_choices: must be increasing, each once")
    if lim.pattern_weeks_default not in lim.pattern_weeks_choices:
        problems.append("limits.pattern_weeks_default: must be one of pattern_weeks_choices")
    if problems:
        raise DefinitionError("; ".join(f"{source_name}: {p}" for p in problems))
    return defs
