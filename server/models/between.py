"""Between sessions: each person's self-soothing kit, and the practice ritual a couple agrees on."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow


class KitItem(SQLModel, table=True):
    """One thing that helps a person calm down; only its author ever reads it."""

    __tablename__ = "kit_item"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    position: int = Field(default=0)
    text: str = Field(max_length=500)  # the kit's own bound (exercises/between/kit.toml) is checked on the way in
    suggestion_id: str | None = Field(default=None, max_length=32)  # set when added from a suggestion
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Ritual(SQLModel, table=True):
    """A couple's regular practice: which plan, which weekdays, at what local time in which time zone.

    A couple keeps a few, one per plan (e.g. daily at 20:30, the weekly meeting on Sundays at 18:00);
    either partner sets or changes one and both see who did (no confirmation step).
    """

    __table_args__ = (UniqueConstraint("couple_id", "plan_id", name="uq_ritual_couple_plan"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    couple_id: uuid.UUID = Field(foreign_key="couple.id", index=True)
    plan_id: str = Field(max_length=64)
    days: str = Field(max_length=27)  # iCalendar weekday codes in week order, e.g. "MO,WE,FR"
    time: str = Field(max_length=5)  # local wall-clock time "HH:MM"
    timezone: str = Field(max_length=64)  # an IANA zone, e.g. "Europe/Paris"
    created_by_id: uuid.UUID = Field(foreign_key="user.id")
    updated_by_id: uuid.UUID = Field(foreign_key="user.id")
    revision: int = Field(default=0)  # the calendar file's SEQUENCE: calendars update the same event
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
