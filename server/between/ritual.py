"""The couple's rituals: set or changed by either partner (no confirmation step), read by both.

Kept simple and kind on purpose: the couple talks it over; whoever writes it down sets it, and both
see who last set it. Either can change or remove one at any time. A couple keeps a few rituals, one
per plan (the daily practice in the evening, the weekly meeting on Sundays), each with its own
calendar file.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import Plan
from exercises.between_sessions import MAX_RITUALS
from rooms.catalogue import builtin_catalogue
from server.between.access import my_couple
from server.between.calendar_file import ritual_calendar
from server.between.schedule import WEEKDAY_CODES, next_occurrence, parse_time, zone
from server.between.shapes import RitualList, RitualPublic, RitualSet
from server.errors import ApiError
from server.models import Ritual, User
from server.models.timestamps import utcnow


def calendar_path(plan_id: str) -> str:
    return f"/api/rituals/{quote(plan_id, safe='')}/calendar.ics"


def start_path(plan_id: str) -> str:
    """Home with this plan chosen: where the calendar's link and Home's "start" lead."""
    return f"/home?plan={quote(plan_id, safe='')}"


def _plan(plan_id: str) -> Plan:
    plan = builtin_catalogue().plans.get(plan_id)
    if plan is None:
        known = ", ".join(sorted(builtin_catalogue().plans))
        raise ApiError(400, "unknown_plan", f"There is no plan called {plan_id[:64]!r}. Choose one of: {known}.")
    return plan


async def _ours(db: AsyncSession, user: User) -> list[Ritual]:
    membership = await my_couple(db, user)
    rows = await db.exec(
        select(Ritual).where(Ritual.couple_id == membership.couple_id).order_by(col(Ritual.created_at))
    )
    return list(rows.all())


async def _one(db: AsyncSession, user: User, plan_id: str) -> Ritual:
    for ritual in await _ours(db, user):
        if ritual.plan_id == plan_id:
            return ritual
    raise ApiError(404, "no_ritual", "There's no ritual for that practice yet.")


async def to_public(db: AsyncSession, ritual: Ritual, *, user: User, now: datetime) -> RitualPublic:
    plan = _plan(ritual.plan_id)
    setter = await db.get(User, ritual.updated_by_id)
    tz = zone(ritual.timezone)
    assert tz is not None
    days = ritual.days.split(",")
    return RitualPublic(
        id=ritual.id,
        plan_id=plan.id,
        plan_title=plan.title,
        minutes=plan.estimated_minutes,
        days=days,
        time=ritual.time,
        timezone=ritual.timezone,
        set_by_me=ritual.updated_by_id == user.id,
        set_by_name=setter.display_name if setter else "",
        updated_at=ritual.updated_at,
        next_at=next_occurrence(days=days, at=parse_time(ritual.time), tz=tz, now=now),
        calendar_path=calendar_path(plan.id),
        start_path=start_path(plan.id),
    )


async def our_rituals(db: AsyncSession, *, user: User) -> RitualList:
    now = utcnow()
    rituals = [await to_public(db, r, user=user, now=now) for r in await _ours(db, user)]
    return RitualList(rituals=sorted(rituals, key=lambda r: r.next_at), max_rituals=MAX_RITUALS)


async def set_ritual(db: AsyncSession, *, user: User, plan_id: str, data: RitualSet) -> RitualPublic:
    membership = await my_couple(db, user)
    _plan(plan_id)
    if zone(data.timezone) is None:
        raise ApiError(
            400, "unknown_timezone", f"We don't know the time zone {data.timezone!r}. Try one like Europe/Paris."
        )
    days = ",".join(code for code in WEEKDAY_CODES if code in data.days)  # week order, whatever was sent
    ours = await _ours(db, user)
    ritual = next((r for r in ours if r.plan_id == plan_id), None)
    now = utcnow()
    if ritual is None:
        if len(ours) >= MAX_RITUALS:
            raise ApiError(
                409, "rituals_full", f"You two keep up to {MAX_RITUALS} rituals; remove one to make room for another."
            )
        ritual = Ritual(
            couple_id=membership.couple_id, created_by_id=user.id, plan_id=plan_id, days="", time="", timezone=""
        )
    else:
        ritual.revision += 1
    ritual.days, ritual.time, ritual.timezone = days, data.time, data.timezone
    ritual.updated_by_id, ritual.updated_at = user.id, now
    db.add(ritual)
    try:
        await db.commit()
    except IntegrityError as exc:  # both partners added the same plan at once: the other one's is kept
        await db.rollback()
        raise ApiError(409, "ritual_exists", "Your partner just set a ritual for that practice; have a look.") from exc
    return await to_public(db, ritual, user=user, now=now)


async def remove_ritual(db: AsyncSession, *, user: User, plan_id: str) -> None:
    await db.delete(await _one(db, user, plan_id))
    await db.commit()


async def calendar_file(db: AsyncSession, *, user: User, plan_id: str, base_url: str) -> bytes:
    ritual = await _one(db, user, plan_id)
    plan = _plan(ritual.plan_id)
    return ritual_calendar(
        ritual,
        plan_title=plan.title,
        minutes=plan.estimated_minutes,
        start_link=f"{base_url}{start_path(plan.id)}",
        now=utcnow(),
    )
