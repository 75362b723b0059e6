"""API shapes for the journal and noticing. Every bound comes from exercises/journal.toml."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from sqlmodel import Field, SQLModel

from exercises.text import visible_length
from server.journal.definitions import journal_definitions
from server.text_checks import CONTROL_MESSAGE, ONE_LINE_CONTROL_MESSAGE, has_control_characters

_LIMITS = journal_definitions().limits
# A generous ceiling on code points before counting what people see (one emoji can be several).
_RAW = 12


def _entry_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # one kind of line break, whatever sent it
    if has_control_characters(value, multi_line=True):
        raise ValueError(CONTROL_MESSAGE)
    if not value.strip():
        raise ValueError("Write a few words first. There is no wrong way to do it.")
    length = visible_length(value)
    if length > _LIMITS.entry_max_chars:
        raise ValueError(
            f"An entry holds up to {_LIMITS.entry_max_chars:,} characters; this one has {length:,}. "
            "You could split it into two entries."
        )
    return value


def _context(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if "\n" in value or "\r" in value:
        raise ValueError("Just one line, please.")
    if has_control_characters(value, multi_line=False):
        raise ValueError(ONE_LINE_CONTROL_MESSAGE)
    length = visible_length(value)
    if length > _LIMITS.context_max_chars:
        raise ValueError(f"One line of up to {_LIMITS.context_max_chars} characters, please; this one has {length}.")
    return value.strip()


def _feelings(value: list[str]) -> list[str]:
    unknown = journal_definitions().unknown_feelings(value)
    if unknown:
        raise ValueError("We don't know one of those feelings. Choose from the list offered.")
    return list(dict.fromkeys(value))  # each once, in the order chosen


def _feeling(value: str | None) -> str | None:
    if value is None:
        return None
    return _feelings([value])[0]


def _prompt_id(value: str | None) -> str | None:
    if value is not None and journal_definitions().prompt(value) is None:
        raise ValueError("We don't know that prompt. Choose one offered, or none.")
    return value


EntryText = Annotated[str, Field(min_length=1, max_length=_LIMITS.entry_max_chars * _RAW), AfterValidator(_entry_text)]
Feelings = Annotated[list[str], Field(max_length=40), AfterValidator(_feelings)]
PromptId = Annotated[str | None, Field(default=None, max_length=40), AfterValidator(_prompt_id)]
Context = Annotated[
    str | None, Field(default=None, max_length=_LIMITS.context_max_chars * _RAW), AfterValidator(_context)
]
FeelingId = Annotated[str | None, Field(default=None, max_length=40), AfterValidator(_feeling)]


def _whole_number(value: object) -> object:
    # Litestar validates bodies with strict=False, which would turn `true` or "3" into a strength.
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"A whole number from {_LIMITS.intensity_min} to {_LIMITS.intensity_max}, please.")
    return value


Intensity = Annotated[
    int | None,
    Field(default=None, ge=_LIMITS.intensity_min, le=_LIMITS.intensity_max),
    BeforeValidator(_whole_number),
]


class FeelingOption(SQLModel):
    id: str
    label: str


class PromptOption(SQLModel):
    id: str
    text: str


class JournalOptions(SQLModel):
    feelings: list[FeelingOption]
    prompts: list[PromptOption]
    entry_max_chars: int
    search_max_chars: int


class EntryWrite(SQLModel):
    prompt_id: PromptId = None
    feelings: Feelings = Field(default_factory=list)
    text: EntryText


class EntryEdit(SQLModel):
    """Only what is sent changes; the prompt an entry answered stays."""

    feelings: Feelings | None = None
    text: EntryText | None = None


class SharedWith(SQLModel):
    link_id: uuid.UUID
    facilitator_display_name: str
    shared_at: datetime


class EntryPublic(SQLModel):
    id: uuid.UUID
    prompt_id: str | None
    prompt: str | None
    feelings: list[str]
    text: str
    created_at: datetime
    updated_at: datetime
    shared_with: SharedWith | None = Field(default=None, description="The facilitator who can read this entry now.")


class ShareRequest(SQLModel):
    link_id: uuid.UUID = Field(description="A facilitator linked with my current couple (GET /api/facilitators).")


class SharedEntry(SQLModel):
    """A journal entry as the facilitator it was shared with sees it: its current text."""

    partner_id: uuid.UUID
    partner_display_name: str
    shared_at: datetime
    entry: EntryPublic
    feeling_labels: list[str] = Field(default_factory=list, description="The entry's feelings, in words")


class NoticingOptions(SQLModel):
    feelings: list[FeelingOption]
    intensity_min: int
    intensity_max: int
    context_max_chars: int
    pattern_weeks_default: int
    pattern_weeks_max: int
    pattern_weeks_choices: list[int] = Field(description="The spans, in weeks, the pattern can be seen over")


class NoticingWrite(SQLModel):
    intensity: Intensity = None
    feeling: FeelingId = None
    context: Context = None


class NoticingPublic(SQLModel):
    id: uuid.UUID
    noticed_at: datetime
    intensity: int | None
    feeling: str | None
    context: str | None


class CountBy(SQLModel):
    id: str
    label: str
    count: int


class WeekCount(SQLModel):
    week_start: str = Field(description="The Monday that starts the week, in the person's time zone")
    count: int


class ContextCount(SQLModel):
    text: str
    count: int


class NoticingPattern(SQLModel):
    tz: str
    weeks: int
    total: int
    by_time_of_day: list[CountBy]
    by_weekday: list[CountBy]
    by_week: list[WeekCount]
    feelings: list[CountBy]
    contexts: list[ContextCount] = Field(description="The lines written most often, most recent wording")
