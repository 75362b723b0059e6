"""Erasing a closed account's journal: entries, shares and noticings are deleted, not scrubbed."""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import FacilitatorLink, JournalEntry, JournalShare, Noticing, User


async def erase_journal(db: AsyncSession, *, user: User) -> None:
    """Also the shares made to this person as a facilitator: nobody reads through a closed account."""
    my_links = select(FacilitatorLink.id).where(FacilitatorLink.facilitator_id == user.id)
    for statement in (
        delete(JournalShare).where(or_(col(JournalShare.user_id) == user.id, col(JournalShare.link_id).in_(my_links))),
        delete(JournalEntry).where(col(JournalEntry.user_id) == user.id),
        delete(Noticing).where(col(Noticing.user_id) == user.id),
    ):
        await db.exec(statement)  # type: ignore[call-overload]
    await db.commit()
