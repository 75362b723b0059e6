"""Facilitators (couples therapists): their link to a couple, partners' consent, saved plans, notes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rooms.timestamps import UTCDateTime, utcnow


class FacilitatorLink(SQLModel, table=True):
    """A facilitator's invite, then link, to one couple.

    pending (code not used yet) → awaiting_confirmation (one partner accepted) → linked (the other
    confirmed) → unlinked (either partner, any time). Unused invites expire after 72 hours.
    """

    __tablename__ = "facilitator_link"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    code: str = Field(max_length=16, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    couple_id: uuid.UUID | None = Field(default=None, foreign_key="couple.id", index=True)
    accepted_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    unlinked_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    unlinked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SummaryConsent(SQLModel, table=True):
    """One partner's choice, per facilitator, to let them read that partner's summaries (off by default)."""

    __tablename__ = "summary_consent"
    __table_args__ = (UniqueConstraint("user_id", "facilitator_id", name="uq_summary_consent_pair"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    granted: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SavedPlan(SQLModel, table=True):
    __tablename__ = "saved_plan"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=80)
    spec: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FacilitatorNote(SQLModel, table=True):
    """A facilitator's private note on a session: only its author can ever read it."""

    __tablename__ = "facilitator_note"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    facilitator_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
