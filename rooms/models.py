"""Tables of the live runtime: practice sessions, their numbered events, and per-partner summaries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from rooms.timestamps import UTCDateTime, utcnow


class PracticeSession(SQLModel, table=True):
    """One live session. `plan` is the session's plan, stored once; `state` is the engine's state without
    the plan after the last stored event (legacy rows without `plan` hold the whole state); `version` is the
    sequence number of the last stored event and fences writers (a process that lost its lease included)."""

    __tablename__ = "practice_session"
    __table_args__ = (
        # One open session per couple, enforced by the database even when both partners click at once.
        Index(
            "uq_practice_session_open_per_couple",
            "couple_id",
            unique=True,
            sqlite_where=text("status != 'ended'"),
            postgresql_where=text("status != 'ended'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    couple_id: uuid.UUID = Field(foreign_key="couple.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user.id")
    partner_a_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    partner_b_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    facilitator_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", index=True)
    plan_id: str = Field(max_length=64)
    plan_title: str = Field(max_length=120)
    status: str = Field(default="lobby", max_length=16, index=True)  # lobby, running, ended
    end_reason: str | None = Field(default=None, max_length=32)
    version: int = Field(default=0)
    state: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    plan: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SessionEvent(SQLModel, table=True):
    """An event as it was published: `audience` None means everyone, else the ids that may read it."""

    __tablename__ = "session_event"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_session_event_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", index=True)
    seq: int
    type: str = Field(max_length=48)
    audience: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    at: float


class SessionSummary(SQLModel, table=True):
    """One partner's own record of one session; only its owner may read it."""

    __tablename__ = "session_summary"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_session_summary_owner"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    markdown: str = Field(sa_column=Column(Text, nullable=False))


class SessionMeasures(SQLModel, table=True):
    """One partner's counts from one ended session (exercises/measures.py), written with its summaries.

    Progress reads these small rows, never the events: two years are a few hundred rows per person.
    No words are kept here, only counts and check-in numbers the person gave.
    """

    __tablename__ = "session_measures"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_session_measures_owner"),
        Index("ix_session_measures_user_started", "user_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="practice_session.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    couple_id: uuid.UUID = Field(foreign_key="couple.id", index=True)
    facilitator_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", index=True)
    started_at: datetime = Field(sa_type=UTCDateTime)
    attended: bool = False
    completed: bool = False
    with_facilitator: bool = False
    self_disclosure: int = 0
    reflections_total: int = 0
    reflections_landed: int = 0
    understood_sum: int = 0
    understood_count: int = 0
    breathing_completed: int = 0
    breaks_taken: int = 0
    breaks_returned: int = 0
    connected_start: int | None = None
    connected_end: int | None = None
    calm_start: int | None = None
    calm_end: int | None = None


class SessionRollupFailure(SQLModel, table=True):
    """A session whose progress rollup could not be counted (a bug, bad stored events): remembered so
    progress reads do not try again on every request and the error is logged once. Holds no words."""

    __tablename__ = "session_rollup_failure"

    session_id: uuid.UUID = Field(foreign_key="practice_session.id", primary_key=True)
    failed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
