"""A person's own journal entries: write, list and search, read, edit, delete. Author-only.

Someone else's entry, or one that does not exist, is the same 404: existence never leaks.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.db import UNICODE_LOWER
from server.errors import ApiError
from server.journal.definitions import journal_definitions
from server.journal.shapes import EntryEdit, EntryPublic, EntryWrite, SharedWith
from server.models import JournalEntry, JournalShare, User
from server.models.timestamps import utcnow


def not_found() -> ApiError:
    return ApiError(404, "not_found", "We could not find that entry.")


def store_feelings(ids: list[str]) -> str:
    return "," + "".join(f"{i}," for i in ids)


def read_feelings(stored: str) -> list[str]:
    return [i for i in stored.split(",") if i]


def to_public(entry: JournalEntry, shared_with: SharedWith | None = None) -> EntryPublic:
    return EntryPublic(
        id=entry.id,
        prompt_id=entry.prompt_id,
        prompt=entry.prompt,
        feelings=read_feelings(entry.feelings),
        text=entry.text,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        shared_with=shared_with,
    )


async def own_entry(db: AsyncSession, *, user: User, entry_id: uuid.UUID) -> JournalEntry:
    """The one authorization rule for entries: only the author, and 404 for anyone else."""
    entry = await db.get(JournalEntry, entry_id)
    if entry is None or entry.user_id != user.id:
        raise not_found()
    return entry


async def write(db: AsyncSession, *, user: User, body: EntryWrite) -> JournalEntry:
    prompt = journal_definitions().prompt(body.prompt_id) if body.prompt_id else None
    now = utcnow()
    entry = JournalEntry(
        user_id=user.id,
        prompt_id=prompt.id if prompt else None,
        prompt=prompt.text if prompt else None,
        feelings=store_feelings(body.feelings),
        text=body.text,
        created_at=now,
        updated_at=now,
    )
    db.add(entry)
    await db.commit()
    return entry


async def search(
    db: AsyncSession, *, user: User, text: str | None, feeling: str | None, limit: int, offset: int
) -> list[JournalEntry]:
    """Newest first. Text matches anywhere, ignoring case for every letter on both databases; a tag matches
    exactly."""
    query = select(JournalEntry).where(JournalEntry.user_id == user.id)
    if text and text.strip():
        words = text.strip()
        if db.get_bind().dialect.name == "sqlite":
            # The Unicode-aware lower() registered on every SQLite connection (server/db.py).
            found = getattr(func, UNICODE_LOWER)(col(JournalEntry.text)).contains(words.lower(), autoescape=True)
        else:
            found = col(JournalEntry.text).icontains(words, autoescape=True)
        query = query.where(found)
    if feeling:
        query = query.where(col(JournalEntry.feelings).contains(f",{feeling},", autoescape=True))
    query = query.order_by(col(JournalEntry.created_at).desc(), col(JournalEntry.id)).offset(offset).limit(limit)
    return list((await db.exec(query)).all())


async def edit(db: AsyncSession, *, user: User, entry_id: uuid.UUID, body: EntryEdit) -> JournalEntry:
    entry = await own_entry(db, user=user, entry_id=entry_id)
    before = (entry.text, entry.feelings)
    if body.text is not None:
        entry.text = body.text
    if body.feelings is not None:
        entry.feelings = store_feelings(body.feelings)
    if (entry.text, entry.feelings) == before:
        return entry  # nothing changed (an empty PATCH, or the same words): not marked edited
    entry.updated_at = utcnow()
    db.add(entry)
    await db.commit()
    return entry


async def remove(db: AsyncSession, *, user: User, entry_id: uuid.UUID) -> None:
    """Deleting an entry also ends its share, in the same commit: the facilitator loses it at once."""
    entry = await own_entry(db, user=user, entry_id=entry_id)
    await db.exec(sql_delete(JournalShare).where(col(JournalShare.entry_id) == entry.id))  # type: ignore[call-overload]
    await db.delete(entry)
    await db.commit()
