"""Rollups of sessions that ended before progress existed (or whose rollup a crash lost), made on demand.

Every progress read first asks one cheap question: does any ended session of these people have no
rollup yet? Usually the answer is no. Otherwise those sessions' events are read once and their rows
written, so an upgrade needs no long migration and nothing is ever counted twice (unique per session
and person). People who closed their account get no rows. A session that cannot be counted is marked
(`session_rollup_failure`) and left out, so it is not read again on every request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.rollups import EVENTS, FAILURES, MEASURES, SESSIONS, insert_rollups, mark_failed, safe_rollup_rows
from server.models import User


async def ensure_rollups(db: AsyncSession, user_ids: Sequence[uuid.UUID]) -> int:
    """Write the missing rollups of these people's ended sessions; returns how many sessions it filled."""
    if not user_ids:
        return 0
    conn = await db.connection()
    missing = (
        await conn.execute(
            select(
                SESSIONS.c.id,
                SESSIONS.c.couple_id,
                SESSIONS.c.partner_a_id,
                SESSIONS.c.partner_b_id,
                SESSIONS.c.facilitator_id,
                SESSIONS.c.started_at,
            ).where(
                SESSIONS.c.status == "ended",
                SESSIONS.c.started_at.is_not(None),
                or_(SESSIONS.c.partner_a_id.in_(user_ids), SESSIONS.c.partner_b_id.in_(user_ids)),
                ~exists().where(MEASURES.c.session_id == SESSIONS.c.id),
                ~exists().where(FAILURES.c.session_id == SESSIONS.c.id),  # failed once: not again each read
            )
        )
    ).all()
    if not missing:
        return 0
    people = {p for s in missing for p in (s.partner_a_id, s.partner_b_id)}
    closed = set(
        (await conn.execute(select(User.id).where(User.id.in_(people), User.deleted_at.is_not(None)))).scalars()  # type: ignore[attr-defined, union-attr]
    )
    for session in missing:
        events = (
            await conn.execute(
                select(EVENTS.c.type, EVENTS.c.payload, EVENTS.c.audience)
                .where(EVENTS.c.session_id == session.id)
                .order_by(EVENTS.c.seq)
            )
        ).all()
        rows = safe_rollup_rows(
            session_id=session.id,
            couple_id=session.couple_id,
            facilitator_id=session.facilitator_id,
            started_at=session.started_at,
            partners=[p for p in (session.partner_a_id, session.partner_b_id) if p not in closed],
            events=events,
        )
        if rows is None:
            await mark_failed(conn, session.id)
        elif rows:
            await insert_rollups(conn, rows)
    await db.commit()
    return len(missing)
