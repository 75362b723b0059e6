"""The couple's ritual: set or changed by either partner (no confirmation step), read by both.

Kept simple and kind on purpose: the couple talks it over; whoever writes it down sets it, and both
see who last set it. Either can change or remove it at any time.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import Plan
from rooms.catalogue import builtin_catalogue
from server.between.access import my_couple
from server.between.calendar_file import ritual_calendar
from server.between.schedule import WEEKDAY_CODES, next_occurrence, parse_time, zone
from server.between.shapes import RitualPublic, RitualSet
from server.errors import ApiError
from server.models import Ritual, User
from server.models.timestamps import utcnow

CALENDAR_PATH = "/api/ritual/calendar.ics"


def _plan(plan_id: str) -> Plan:
    plan = builtin_catalogue().plans.get(plan_id)
    if plan is None:
        known = ", ".join(sorted(builtin_catalogue().plans))
        raise ApiError(400, "unknown_plan", f"There is no plan called {plan_id!r}. Choose one of: {known}.")
    return plan


async def _current(db: AsyncSession, user: User) -> Ritual | None:
    membership = await my_couple(db, user)
    return (await db.exec(select(Ritual).where(Ritual.couple_id == membership.couple_id))).first()


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
        calendar_path=CALENDAR_PATH,
    )


async def our_ritual(db: AsyncSession, *, user: User) -> RitualPublic | None:
    ritual = await _current(db, user)
    return None if ritual is None else await to_public(db, ritual, user=user, now=utcnow())


async def set_ritual(db: AsyncSession, *, user: User, data: RitualSet) -> RitualPublic:
    membership = await my_couple(db, user)
    _plan(data.plan_id)
    if zone(data.timezone) is None:
        raise ApiError(
            400, "unknown_timezone", f"We don't know the time zone {data.timezone!r}. Try one like Europe/Paris."
        )
    days = ",".join(code for code in WEEKDAY_CODES if code in data.days)  # week order, whatever was sent
    ritual = (await db.exec(select(Ritual).where(Ritual.couple_id == membership.couple_id))).first()
    now = utcnow()
    if ritual is None:
        ritual = Ritual(
            couple_id=membership.couple_id, created_by_id=user.id, plan_id="", days="", time="", timezone=""
        )
    else:
        ritual.revision += 1
    ritual.plan_id, ritual.days, ritual.time, ritual.timezone = data.plan_id, days, data.time, data.timezone
    ritual.updated_by_id, ritual.updated_at = user.id, now
    db.add(ritual)
    await db.commit()
    return await to_public(db, ritual, user=user, now=now)


async def remove_ritual(db: AsyncSession, *, user: User) -> None:
    ritual = await _current(db, user)
    if ritual is None:
        raise ApiError(404, "no_ritual", "There's no ritual set for you two yet.")
    await db.delete(ritual)
    await db.commit()


async def calendar_file(db: AsyncSession, *, user: User, base_url: str) -> bytes:
    ritual = await _current(db, user)
    if ritual is None:
        raise ApiError(404, "no_ritual", "There's no ritual set for you two yet.")
    plan = _plan(ritual.plan_id)
    return ritual_calendar(
        ritual, plan_title=plan.title, minutes=plan.estimated_minutes, start_link=f"{base_url}/home", now=utcnow()
    )
