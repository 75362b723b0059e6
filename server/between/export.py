"""The between-sessions part of a person's export: their kit, their solo practices, the rituals they set."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import KitItem, Ritual, SoloPractice, User


async def between_sessions(db: AsyncSession, *, user: User) -> dict[str, Any]:
    kit = await db.exec(select(KitItem).where(KitItem.user_id == user.id).order_by(col(KitItem.position)))
    practices = await db.exec(
        select(SoloPractice).where(SoloPractice.user_id == user.id).order_by(col(SoloPractice.completed_at))
    )
    rituals = await db.exec(
        select(Ritual).where(or_(col(Ritual.created_by_id) == user.id, col(Ritual.updated_by_id) == user.id))
    )
    return {
        "kit": [{"text": i.text, "suggestion_id": i.suggestion_id, "added_at": i.created_at.isoformat()} for i in kit],
        "solo_practices": [
            {"kind": p.kind, "started_at": p.started_at.isoformat(), "completed_at": p.completed_at.isoformat()}
            for p in practices
        ],
        "rituals_i_set": [
            {
                "plan_id": r.plan_id,
                "days": r.days.split(","),
                "time": r.time,
                "timezone": r.timezone,
                "set_at": r.updated_at.isoformat(),
            }
            for r in rituals
        ],
    }
