"""A person's journal, their share and their noticings, for their own account export."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.journal.entries import read_feelings
from server.journal.sharing import still_linked
from server.models import FacilitatorLink, JournalEntry, JournalShare, Noticing, User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def journal_export(db: AsyncSession, *, user: User) -> dict[str, Any]:
    entries = (
        await db.exec(
            select(JournalEntry).where(JournalEntry.user_id == user.id).order_by(col(JournalEntry.created_at))
        )
    ).all()
    shares = (
        await db.exec(
            select(JournalShare, FacilitatorLink, User)
            .join(FacilitatorLink, col(FacilitatorLink.id) == col(JournalShare.link_id))
            .join(User, col(User.id) == col(FacilitatorLink.facilitator_id))
            .where(JournalShare.user_id == user.id)
        )
    ).all()
    # The same liveness as the API: an unlink, a split couple or a deleted account all end a share.
    live_links = [await still_linked(db, share) for share, _link, _facilitator in shares]
    noticings = (
        await db.exec(select(Noticing).where(Noticing.user_id == user.id).order_by(col(Noticing.noticed_at)))
    ).all()
    return {
        "journal": [
            {
                "id": str(e.id),
                "prompt": e.prompt,
                "feelings": read_feelings(e.feelings),
                "text": e.text,
                "created_at": _iso(e.created_at),
                "updated_at": _iso(e.updated_at),
            }
            for e in entries
        ],
        "journal_shares": [
            {
                "entry_id": str(share.entry_id),
                "facilitator_display_name": facilitator.display_name,
                "shared_at": _iso(share.shared_at),
                "link_ended": live is None,
            }
            for (share, link, facilitator), live in zip(shares, live_links, strict=True)
        ],
        "noticings": [
            {
                "noticed_at": _iso(n.noticed_at),
                "intensity": n.intensity,
                "feeling": n.feeling,
                "context": n.context,
            }
            for n in noticings
        ],
    }
