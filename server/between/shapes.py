"""API shapes for the kit, solo practices and the ritual."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlmodel import Field, SQLModel

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # [0-9]: \d also matches other scripts\' digits


class KitItemPublic(SQLModel):
    id: uuid.UUID
    text: str
    suggestion_id: str | None = Field(description="set when the item was added from a suggestion")


class KitSuggestionPublic(SQLModel):
    id: str
    text: str


class KitPublic(SQLModel):
    items: list[KitItemPublic]
    suggestions: list[KitSuggestionPublic]
    max_items: int = Field(description="how many things a kit holds (exercises/between/kit.toml)")
    max_length: int = Field(description="how long one thing may be, in characters")


class KitAdd(SQLModel):
    text: str | None = Field(default=None, max_length=2000, description="your own words (the kit's max_length applies)")
    suggestion_id: str | None = Field(default=None, max_length=64, description="or one of the suggestions' ids")


class KitOrder(SQLModel):
    ids: list[uuid.UUID] = Field(max_length=100, description="every item of your kit, in the order you want")


class SoloPracticeInfo(SQLModel):
    kind: Literal["breathing", "grounding"]
    title: str
    description: str
    duration_seconds: int
    definition: dict[str, Any] = Field(
        description="breathing: inhale_seconds, exhale_seconds, cycles (the shared guide's); grounding: steps"
    )


class SoloStart(SoloPracticeInfo):
    started_at: datetime
    token: str = Field(description="send it back to POST /api/solo/complete when the practice is done")


class SoloComplete(SQLModel):
    token: str = Field(min_length=1, max_length=200)


class SoloPracticePublic(SQLModel):
    id: uuid.UUID
    kind: str
    started_at: datetime
    completed_at: datetime


class RitualSet(SQLModel):
    """A ritual's times; its plan is in the path (PUT /api/rituals/{plan_id})."""

    days: list[Weekday] = Field(min_length=1, max_length=7, description="iCalendar weekday codes, e.g. ['MO','TH']")
    time: str = Field(min_length=5, max_length=5, description="local time, 24-hour HH:MM")
    timezone: str = Field(min_length=1, max_length=64, description="an IANA time zone, e.g. Europe/Paris")

    @field_validator("days")
    @classmethod
    def _no_repeats(cls, days: list[str]) -> list[str]:
        if len(set(days)) != len(days):
            raise ValueError("each day once")
        return days

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _HH_MM.fullmatch(value):
            raise ValueError("a 24-hour time such as 20:30")
        return value


class RitualPublic(SQLModel):
    id: uuid.UUID
    plan_id: str
    plan_title: str
    minutes: int = Field(description="the plan's length: the calendar event lasts this long")
    days: list[str]
    time: str
    timezone: str
    set_by_me: bool
    set_by_name: str
    updated_at: datetime
    next_at: datetime = Field(description="the next time, in UTC")
    calendar_path: str = Field(description="this ritual's own calendar file")
    start_path: str = Field(description="where the calendar's link leads: home, with this plan chosen")


class RitualList(SQLModel):
    rituals: list[RitualPublic] = Field(description="soonest next time first")
    max_rituals: int = Field(description="how many rituals a couple keeps, at most one per plan")
