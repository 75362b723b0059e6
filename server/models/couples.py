"""Couples, their members over time, and the invites that pair them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow


class Couple(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CoupleMember(SQLModel, table=True):
    """One person's membership of a couple; `left_at` keeps the history when someone leaves."""

    __tablename__ = "couple_member"
    __table_args__ = (
        # A person belongs to at most one current couple, enforced by the database even under races.
        Index(
            "uq_couple_member_current_user",
            "user_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    couple_id: uuid.UUID = Field(foreign_key="couple.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Invite(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    inviter_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    accepted_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PartnerPublic(SQLModel):
    id: uuid.UUID
    display_name: str
    email: str | None = Field(default=None, description="Only when the partner chose to share it.")


class CouplePublic(SQLModel):
    id: uuid.UUID
    since: datetime
    partner: PartnerPublic | None


class InvitePublic(SQLModel):
    code: str = Field(description="Ten characters in two groups, easy to read aloud; case and dashes are ignored.")
    link: str
    created_at: datetime
    expires_at: datetime
    status: str = Field(description="pending, accepted, cancelled or expired")


class InvitePreview(SQLModel):
    code: str
    inviter_display_name: str
    expires_at: datetime
    status: str
