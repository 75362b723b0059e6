"""The one authorization rule for facilitators, used by every facilitator endpoint.

A facilitator may act on a couple, or on a session with a couple, only while they are a facilitator,
their link with that couple is confirmed and not unlinked, and the couple has not split. The moment
a partner unlinks or the couple ends, every record, note, summary and session of that couple is gone
for them (404: it does not exist for them), and a live socket is refused (server/live/service.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.models import PracticeSession
from server.errors import ApiError
from server.models import Couple, FacilitatorLink, User


@dataclass(frozen=True)
class FacilitatorAccess:
    link: FacilitatorLink | None = None
    session: PracticeSession | None = None


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "We could not find that for you.")


async def active_link(db: AsyncSession, *, facilitator_id: uuid.UUID, couple_id: uuid.UUID) -> FacilitatorLink | None:
    """The confirmed, not unlinked link between them, while the couple is still together."""
    link = (
        await db.exec(
            select(FacilitatorLink).where(
                FacilitatorLink.facilitator_id == facilitator_id,
                FacilitatorLink.couple_id == couple_id,
                col(FacilitatorLink.confirmed_at).is_not(None),
                col(FacilitatorLink.unlinked_at).is_(None),
            )
        )
    ).first()
    couple = await db.get(Couple, couple_id)
    if link is None or couple is None or couple.ended_at is not None:
        return None
    return link


async def authorize_facilitator(
    db: AsyncSession,
    user: User,
    *,
    couple_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
) -> FacilitatorAccess:
    """403 for anyone who is not a facilitator; 404 for a couple or session that is not theirs right now."""
    if not user.is_facilitator:
        raise ApiError(403, "not_a_facilitator", "This is for facilitators. You can turn it on in your account.")
    session = None
    if session_id is not None:
        session = await db.get(PracticeSession, session_id)
        if session is None or session.facilitator_id != user.id:
            raise _not_found()
        couple_id = session.couple_id
    link = None
    if couple_id is not None:
        link = await active_link(db, facilitator_id=user.id, couple_id=couple_id)
        if link is None:
            raise _not_found()
    return FacilitatorAccess(link=link, session=session)
