"""Progress over weeks: self-checks, skips, sharing choices and scores a facilitator recorded.

The per-session measures live with the journal that writes them (rooms.models.SessionMeasures).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow


class SelfCheckRecord(SQLModel, table=True):
    """One weekly self-check: at most one per person per local day (a second the same day replaces it)."""

    __tablename__ = "self_check"
    __table_args__ = (UniqueConstraint("user_id", "taken_on", name="uq_self_check_day"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    taken_on: date  # the person's local day
    taken_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    scores: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class SelfCheckSkip(SQLModel, table=True):
    """ "Not this week": the home card stays hidden for seven days from the skip."""

    __tablename__ = "self_check_skip"
    __table_args__ = (Index("ix_self_check_skip_user_day", "user_id", "skipped_on"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    skipped_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProgressPartnerShare(SQLModel, table=True):
    """A partner's choice to show their progress to the other partner of one couple (off by default)."""

    __tablename__ = "progress_partner_share"
    __table_args__ = (UniqueConstraint("user_id", "couple_id", name="uq_progress_partner_share"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    couple_id: uuid.UUID = Field(foreign_key="couple.id")
    shared: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProgressFacilitatorShare(SQLModel, table=True):
    """A partner's choice, per facilitator, to show them their progress (off by default, revocable)."""

    __tablename__ = "progress_facilitator_share"
    __table_args__ = (UniqueConstraint("user_id", "facilitator_id", name="uq_progress_facilitator_share"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    shared: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecordedScore(SQLModel, table=True):
    """A score from a questionnaire a facilitator gave elsewhere, recorded with the partner's consent."""

    __tablename__ = "recorded_score"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)  # whom it is about
    couple_id: uuid.UUID = Field(foreign_key="couple.id", index=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    instrument: str = Field(max_length=60)
    subscale: str = Field(max_length=60)
    value: float
    scale_min: float
    scale_max: float
    administered_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
