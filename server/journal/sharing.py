"""Sharing one journal entry with one linked facilitator of my couple, and taking it back.

One shared entry per person at a time, overall (not one per facilitator): the person always knows
the single thing that is out of their hands, it is one tap to take back, and a couple rarely has more
than one facilitator. Sharing another entry moves the share.

A share lives only as long as the facilitator link it was made under: after an unlink, a split or a
deleted account, `live_share` finds nothing, and the facilitator sees nothing, at once.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.errors import ApiError
from server.facilitation.access import active_link, authorize_facilitator
from server.journal.definitions import journal_definitions
from server.journal.entries import own_entry, read_feelings, to_public
from server.journal.shapes import SharedEntry, SharedWith
from server.models import FacilitatorLink, JournalEntry, JournalShare, User
from server.pairing.service import current_members, current_membership


async def still_linked(db: AsyncSession, share: JournalShare) -> FacilitatorLink | None:
    """The share's link, while it is live and the author is still in that couple."""
    link = await db.get(FacilitatorLink, share.link_id)
    if link is None or link.couple_id is None:
        return None
    membership = await current_membership(db, user_id=share.user_id)
    if membership is None or membership.couple_id != link.couple_id:
        return None
    live = await active_link(db, facilitator_id=link.facilitator_id, couple_id=link.couple_id)
    return link if live is not None and live.id == link.id else None


async def live_share(db: AsyncSession, *, user: User) -> tuple[JournalShare, SharedWith] | None:
    """My share, if it still reaches someone; a share whose link ended is removed on sight."""
    share = (await db.exec(select(JournalShare).where(JournalShare.user_id == user.id))).first()
    if share is None:
        return None
    link = await still_linked(db, share)
    if link is None:
        await db.delete(share)
        await db.commit()
        return None
    facilitator = await db.get(User, link.facilitator_id)
    name = facilitator.display_name if facilitator else ""
    return share, SharedWith(link_id=link.id, facilitator_display_name=name, shared_at=share.shared_at)


async def _replace_share(
    db: AsyncSession, *, user_id: uuid.UUID, entry_id: uuid.UUID, link_id: uuid.UUID
) -> JournalShare:
    """Delete my share and write the new one. Two requests at once (two taps, two tabs) can both delete
    and both insert: the second insert meets the unique user_id, so it rolls back and tries once more,
    when the first share is there to be replaced."""
    for attempt in range(2):
        await db.exec(sql_delete(JournalShare).where(col(JournalShare.user_id) == user_id))  # type: ignore[call-overload]
        row = JournalShare(user_id=user_id, entry_id=entry_id, link_id=link_id)
        db.add(row)
        try:
            await db.commit()
            return row
        except IntegrityError:
            await db.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


async def share(db: AsyncSession, *, user: User, entry_id: uuid.UUID, link_id: uuid.UUID) -> SharedWith:
    entry = await own_entry(db, user=user, entry_id=entry_id)
    membership = await current_membership(db, user_id=user.id)
    link = await db.get(FacilitatorLink, link_id)
    if (
        membership is None
        or link is None
        or link.couple_id != membership.couple_id
        or len(await current_members(db, couple_id=membership.couple_id)) < 2
        or await active_link(db, facilitator_id=link.facilitator_id, couple_id=membership.couple_id) is None
    ):
        raise ApiError(
            404, "facilitator_not_found", "You can share only with a facilitator linked with your couple now."
        )
    entry_id, link_id = entry.id, link.id
    facilitator_id = link.facilitator_id
    row = await _replace_share(db, user_id=user.id, entry_id=entry_id, link_id=link_id)
    facilitator = await db.get(User, facilitator_id)
    return SharedWith(
        link_id=link_id,
        facilitator_display_name=facilitator.display_name if facilitator else "",
        shared_at=row.shared_at,
    )


async def unshare(db: AsyncSession, *, user: User) -> None:
    await db.exec(sql_delete(JournalShare).where(col(JournalShare.user_id) == user.id))  # type: ignore[call-overload]
    await db.commit()


async def shared_with_facilitator(db: AsyncSession, *, facilitator: User, couple_id: uuid.UUID) -> list[SharedEntry]:
    """What the partners of this couple shared with me: each entry's current words."""
    access = await authorize_facilitator(db, facilitator, couple_id=couple_id)
    assert access.link is not None
    rows = (
        await db.exec(
            select(JournalShare, JournalEntry, User)
            .join(JournalEntry, col(JournalEntry.id) == col(JournalShare.entry_id))
            .join(User, col(User.id) == col(JournalShare.user_id))
            .where(JournalShare.link_id == access.link.id)
            .order_by(col(JournalShare.shared_at))
        )
    ).all()
    result = []
    for share_row, entry, author in rows:
        if await still_linked(db, share_row) is None or entry.user_id != author.id:
            continue
        result.append(
            SharedEntry(
                partner_id=author.id,
                partner_display_name=author.display_name,
                shared_at=share_row.shared_at,
                entry=to_public(entry),
                feeling_labels=[journal_definitions().feeling_label(f) for f in read_feelings(entry.feelings)],
            )
        )
    return result
