"""Noticing the urge to pull away: one tap, optional details, and the pattern over weeks. Author-only."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.noticing import Moment, pattern, week_start
from server.errors import ApiError
from server.journal.definitions import journal_definitions
from server.journal.shapes import ContextCount, CountBy, NoticingPattern, NoticingPublic, NoticingWrite, WeekCount
from server.models import Noticing, User
from server.models.timestamps import utcnow
from server.progress.params import parse_tz


def to_public(row: Noticing) -> NoticingPublic:
    return NoticingPublic.model_validate(row, from_attributes=True)


async def own_noticing(db: AsyncSession, *, user: User, noticing_id: uuid.UUID) -> Noticing:
    row = await db.get(Noticing, noticing_id)
    if row is None or row.user_id != user.id:
        raise ApiError(404, "not_found", "We could not find that moment.")
    return row


async def notice(db: AsyncSession, *, user: User, body: NoticingWrite) -> Noticing:
    row = Noticing(user_id=user.id, intensity=body.intensity, feeling=body.feeling, context=body.context)
    db.add(row)
    await db.commit()
    return row


async def add_details(db: AsyncSession, *, user: User, noticing_id: uuid.UUID, body: NoticingWrite) -> Noticing:
    """Details added after the tap: what is sent replaces what was there (null clears it)."""
    row = await own_noticing(db, user=user, noticing_id=noticing_id)
    for name in body.model_fields_set & {"intensity", "feeling", "context"}:
        setattr(row, name, getattr(body, name))
    db.add(row)
    await db.commit()
    return row


async def recent(db: AsyncSession, *, user: User, limit: int) -> list[Noticing]:
    query = (
        select(Noticing)
        .where(Noticing.user_id == user.id)
        .order_by(col(Noticing.noticed_at).desc(), col(Noticing.id))
        .limit(limit)
    )
    return list((await db.exec(query)).all())


async def remove(db: AsyncSession, *, user: User, noticing_id: uuid.UUID) -> None:
    row = await own_noticing(db, user=user, noticing_id=noticing_id)
    await db.delete(row)
    await db.commit()


async def weekly_pattern(db: AsyncSession, *, user: User, tz_name: str, weeks: int) -> NoticingPattern:
    tz = parse_tz(tz_name)  # the same check, and the same 400, as every progress endpoint
    defs = journal_definitions()
    today = utcnow().astimezone(tz).date()
    first_day = week_start(today) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_day, time.min, tzinfo=tz)
    rows = (await db.exec(select(Noticing).where(Noticing.user_id == user.id, col(Noticing.noticed_at) >= since))).all()
    moments = [Moment(at=r.noticed_at.astimezone(tz), feeling=r.feeling, context=r.context) for r in rows]
    seen = pattern(moments, today=today, weeks=weeks)
    return NoticingPattern(
        tz=tz_name,
        weeks=weeks,
        total=seen.total,
        by_time_of_day=[CountBy(id=c.id, label=c.label, count=c.count) for c in seen.by_time_of_day],
        by_weekday=[CountBy(id=c.id, label=c.label, count=c.count) for c in seen.by_weekday],
        by_week=[WeekCount(week_start=monday.isoformat(), count=n) for monday, n in seen.by_week],
        feelings=[CountBy(id=f, label=defs.feeling_label(f), count=n) for f, n in seen.feelings],
        contexts=[ContextCount(text=t, count=n) for t, n in seen.contexts],
    )
