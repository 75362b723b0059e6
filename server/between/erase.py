"""Closing an account erases its between-sessions traces: the kit, the practice log, and the rituals of
every couple the person was in (those couples have ended by then, so nobody could see them anyway)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import CoupleMember, KitItem, Ritual, SoloPractice, User


async def erase_between_sessions(db: AsyncSession, *, user: User) -> None:
    couples = select(CoupleMember.couple_id).where(CoupleMember.user_id == user.id)
    for statement in (
        delete(KitItem).where(col(KitItem.user_id) == user.id),
        delete(SoloPractice).where(col(SoloPractice.user_id) == user.id),
        delete(Ritual).where(
            or_(
                col(Ritual.couple_id).in_(couples),
                col(Ritual.created_by_id) == user.id,
                col(Ritual.updated_by_id) == user.id,
            )
        ),
    ):
        await db.exec(statement)  # type: ignore[call-overload]
    await db.commit()
