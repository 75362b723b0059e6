"""Practice a person does on their own, between sessions: one row per solo practice completed.

Written by the between-sessions features (solo breathing, grounding) and read by progress tracking
("calming practice per week"), so it lives in its own module that both import.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow

SOLO_PRACTICE_KINDS = ("breathing", "grounding")


class SoloPractice(SQLModel, table=True):
    __tablename__ = "solo_practice"
    # Progress counts a person's practices per week: one index serves that range scan.
    # One start is logged once, even when two completions of it race (the database decides).
    __table_args__ = (
        Index("ix_solo_practice_user_completed", "user_id", "completed_at"),
        UniqueConstraint("user_id", "kind", "started_at", name="uq_solo_practice_user_kind_started"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    kind: str = Field(max_length=20)  # one of SOLO_PRACTICE_KINDS
    started_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
