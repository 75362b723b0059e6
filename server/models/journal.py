"""A person's private journal, the one entry they may share with a facilitator, and their noticings."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow


class JournalEntry(SQLModel, table=True):
    """Only its author can read it, unless they share it (JournalShare)."""

    __tablename__ = "journal_entry"
    # The list is a person's entries, newest first: one index serves it and every search within it.
    __table_args__ = (Index("ix_journal_entry_user_created", "user_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    prompt_id: str | None = Field(default=None, max_length=40)
    # The prompt's words as they were offered when the entry was written (prompts may be reworded later).
    prompt: str | None = Field(default=None, max_length=200)
    # Feeling ids from exercises/journal.toml, stored as ",afraid,tense," so that a tag search is one
    # portable LIKE on SQLite and PostgreSQL; ids are lowercase words, checked on the way in.
    feelings: str = Field(default=",", max_length=500)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JournalShare(SQLModel, table=True):
    """The one entry a person shares with one linked facilitator of their couple, until they take it back.

    Tied to the facilitator link itself: an unlink ends it for good, and a later new link does not
    bring it back. One row per person at most (the unique user_id).
    """

    __tablename__ = "journal_share"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", unique=True)
    entry_id: uuid.UUID = Field(foreign_key="journal_entry.id", index=True)
    link_id: uuid.UUID = Field(foreign_key="facilitator_link.id", index=True)
    shared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Noticing(SQLModel, table=True):
    """One moment a person noticed the urge to pull away: when, and optionally how strong, what, after what."""

    __tablename__ = "noticing"
    __table_args__ = (Index("ix_noticing_user_noticed", "user_id", "noticed_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id")
    noticed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    intensity: int | None = Field(default=None)
    feeling: str | None = Field(default=None, max_length=40)
    context: str | None = Field(default=None, max_length=2000)
