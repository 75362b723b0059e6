"""Progress data functions. Who may see what is decided here, at every request; controllers only route.

- My own progress: always mine.
- My partner's: only while we are a couple and they share with me; otherwise just the attendance of
  the sessions we had together (both of us were there).
- A facilitator's view: per partner, only while the partner shares with that facilitator (and the
  facilitator is linked: server/facilitation/access.py); attendance of sessions they ran, always.
"""

from __future__ import annotations

import csv
import io
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.selfcheck import SelfCheckInvalid, score
from exercises.weekly import (
    ATTENDANCE_KEYS,
    WEEK_CHOICES,
    Week,
    build_measures,
    count_axis,
    group_weeks,
    local_day,
    week_grid,
    week_key,
)
from rooms.rollups import MEASURES
from server.errors import ApiError
from server.models import (
    FacilitatorLink,
    ProgressFacilitatorShare,
    ProgressPartnerShare,
    RecordedScore,
    SelfCheckRecord,
    SelfCheckSkip,
    SoloPractice,
    User,
)
from server.models.timestamps import utcnow
from server.pairing.service import current_members, current_membership
from server.progress.backfill import ensure_rollups
from server.progress.form import selfcheck_form

DUE_EVERY = timedelta(days=7)
OLDEST_SCORE_DATE = date(1900, 1, 1)  # a questionnaire given earlier is a typo, not a record


# ------------------------------------------------------------------------------------------ the grid


class Grid:
    def __init__(self, today: date, weeks: int, tz: ZoneInfo) -> None:
        self.tz = tz
        self.mondays = week_grid(today, weeks)
        self.keys = [week_key(m) for m in self.mondays]
        # A little either side in UTC: rows are put in their local week in Python.
        self.start_utc = datetime.combine(self.mondays[0], time(), tz).astimezone(UTC) - timedelta(days=1)
        self.end_utc = datetime.combine(self.mondays[-1] + timedelta(days=7), time(), tz).astimezone(UTC) + timedelta(
            days=1
        )


# ------------------------------------------------------------------------------------------ couples


async def couple_since(db: AsyncSession, couple_id: uuid.UUID) -> datetime | None:
    """When this couple became the two of them: the later of both current partners' joining."""
    members = await current_members(db, couple_id=couple_id)
    return max((m.joined_at for m in members), default=None)


async def partner_of(db: AsyncSession, user: User) -> tuple[uuid.UUID, User] | None:
    """(couple id, the other partner) of my current couple, or None."""
    membership = await current_membership(db, user_id=user.id)
    if membership is None:
        return None
    others = [m for m in await current_members(db, couple_id=membership.couple_id) if m.user_id != user.id]
    if not others:
        return None
    partner = await db.get(User, others[0].user_id)
    return (membership.couple_id, partner) if partner is not None else None


async def linked_facilitators(db: AsyncSession, couple_id: uuid.UUID) -> list[User]:
    rows = await db.exec(
        select(User)  # type: ignore[call-overload]
        .join(FacilitatorLink, col(FacilitatorLink.facilitator_id) == col(User.id))
        .where(
            FacilitatorLink.couple_id == couple_id,
            col(FacilitatorLink.confirmed_at).is_not(None),
            col(FacilitatorLink.unlinked_at).is_(None),
        )
        .order_by(col(User.display_name))
    )
    seen: dict[uuid.UUID, User] = {}
    for user in rows.all():
        seen.setdefault(user.id, user)
    return list(seen.values())


# ------------------------------------------------------------------------------------------ sharing


async def shares_with_partner(db: AsyncSession, *, user_id: uuid.UUID, couple_id: uuid.UUID) -> bool:
    row = (
        await db.exec(
            select(ProgressPartnerShare).where(
                ProgressPartnerShare.user_id == user_id, ProgressPartnerShare.couple_id == couple_id
            )
        )
    ).first()
    return bool(row and row.shared)


async def shares_with_facilitator(db: AsyncSession, *, user_id: uuid.UUID, facilitator_id: uuid.UUID) -> bool:
    row = (
        await db.exec(
            select(ProgressFacilitatorShare).where(
                ProgressFacilitatorShare.user_id == user_id, ProgressFacilitatorShare.facilitator_id == facilitator_id
            )
        )
    ).first()
    return bool(row and row.shared)


async def sharing(db: AsyncSession, user: User) -> dict[str, Any]:
    pair = await partner_of(db, user)
    if pair is None:
        return {"partner": None, "facilitators": []}
    couple_id, partner = pair
    facilitators = [
        {
            "facilitator_id": f.id,
            "display_name": f.display_name,
            "shared": await shares_with_facilitator(db, user_id=user.id, facilitator_id=f.id),
        }
        for f in await linked_facilitators(db, couple_id)
    ]
    return {
        "partner": {
            "display_name": partner.display_name,
            "shared": await shares_with_partner(db, user_id=user.id, couple_id=couple_id),
        },
        "facilitators": facilitators,
    }


def _no_partner() -> ApiError:
    return ApiError(404, "no_partner", "You are not paired with a partner right now.")


async def set_partner_sharing(db: AsyncSession, user: User, shared: bool) -> dict[str, Any]:
    pair = await partner_of(db, user)
    if pair is None:
        raise _no_partner()
    await _save_choice(db, user, ProgressPartnerShare, {"user_id": user.id, "couple_id": pair[0]}, shared)
    return await sharing(db, user)


async def set_facilitator_sharing(
    db: AsyncSession, user: User, facilitator_id: uuid.UUID, shared: bool
) -> dict[str, Any]:
    pair = await partner_of(db, user)
    if pair is None or facilitator_id not in {f.id for f in await linked_facilitators(db, pair[0])}:
        raise ApiError(404, "not_your_facilitator", "That is not a facilitator linked with you and your partner.")
    await _save_choice(
        db, user, ProgressFacilitatorShare, {"user_id": user.id, "facilitator_id": facilitator_id}, shared
    )
    return await sharing(db, user)


async def _save_choice(
    db: AsyncSession,
    user: User,
    model: type[ProgressPartnerShare] | type[ProgressFacilitatorShare],
    key: dict[str, Any],
    shared: bool,
) -> None:
    """Write one sharing choice. Two first choices at once (two taps, two devices) both insert: the loser
    meets the unique key, rolls back and tries once more, when there is a row to update. A rollback
    expires every loaded row: `user` is read again so the caller can go on using it."""
    for attempt in range(2):
        row = (await db.exec(select(model).filter_by(**key))).first() or model(**key)
        row.shared, row.updated_at = shared, utcnow()
        db.add(row)
        try:
            await db.commit()
            return
        except IntegrityError:
            await db.rollback()
            await db.refresh(user)
            if attempt:
                raise


# ------------------------------------------------------------------------------------------ reading


async def _session_rows(
    db: AsyncSession, user_id: uuid.UUID, grid: Grid, *, couple_id: uuid.UUID | None = None
) -> list[Any]:
    """One person's rollup rows around the grid (one indexed range scan), optionally of one couple only."""
    conn = await db.connection()
    query = select(MEASURES).where(
        MEASURES.c.user_id == user_id,
        MEASURES.c.started_at >= grid.start_utc,
        MEASURES.c.started_at < grid.end_utc,
    )
    if couple_id is not None:
        query = query.where(MEASURES.c.couple_id == couple_id)
    return list((await conn.execute(query)).all())


async def _weeks_of(
    db: AsyncSession,
    user_id: uuid.UUID,
    grid: Grid,
    *,
    couple_id: uuid.UUID | None = None,
    everything: bool = True,
    sessions: list[Any] | None = None,
    since: datetime | None = None,
) -> list[Week]:
    """One person's weeks. `everything` False: sessions only (attendance), no self-checks or solo practice.
    `since`: self-checks and solo practice from that moment's local day on (what someone else may see of a
    person is what happened while they were this couple, never what came before, such as an earlier partner)."""
    conn = await db.connection()
    first_day = grid.mondays[0]
    if since is not None:
        first_day = max(first_day, local_day(since, grid.tz))
    if sessions is None:
        sessions = await _session_rows(db, user_id, grid, couple_id=couple_id)
    checks: list[tuple[date, dict[str, float]]] = []
    solo: list[datetime] = []
    if everything:
        rows = await conn.execute(
            select(SelfCheckRecord.taken_on, SelfCheckRecord.scores).where(  # type: ignore[call-overload]
                SelfCheckRecord.user_id == user_id,
                SelfCheckRecord.taken_on >= first_day,
                SelfCheckRecord.taken_on < grid.mondays[-1] + timedelta(days=7),
            )
        )
        checks = [(r.taken_on, r.scores) for r in rows]
        solo = [
            moment
            for moment in (
                await conn.execute(
                    select(SoloPractice.completed_at).where(  # type: ignore[call-overload]
                        SoloPractice.user_id == user_id,
                        SoloPractice.completed_at >= grid.start_utc,
                        SoloPractice.completed_at < grid.end_utc,
                    )
                )
            ).scalars()
            if local_day(moment, grid.tz) >= first_day
        ]
    return group_weeks(grid.mondays, grid.tz, sessions, checks, solo)


async def recorded_scores(
    db: AsyncSession,
    user_id: uuid.UUID,
    *,
    facilitator_id: uuid.UUID | None = None,
    since: date | None = None,
) -> list[dict[str, Any]]:
    """Scores recorded about a person, one series per instrument, subscale, range and recorder;
    optionally only by one facilitator, or only those given on or after a day."""
    query = (
        select(RecordedScore, User.display_name)  # type: ignore[call-overload]
        .join(User, col(User.id) == col(RecordedScore.facilitator_id))
        .where(RecordedScore.user_id == user_id)
        .order_by(col(RecordedScore.administered_on), col(RecordedScore.created_at))
    )
    if facilitator_id is not None:
        query = query.where(RecordedScore.facilitator_id == facilitator_id)
    if since is not None:
        query = query.where(RecordedScore.administered_on >= since)
    series: dict[tuple[Any, ...], dict[str, Any]] = {}
    for score_row, recorder in (await db.exec(query)).all():
        key = (score_row.instrument, score_row.subscale, score_row.scale_min, score_row.scale_max, recorder)
        entry = series.setdefault(
            key,
            {
                "instrument": score_row.instrument,
                "subscale": score_row.subscale,
                "min": score_row.scale_min,
                "max": score_row.scale_max,
                "recorded_by": recorder,
                "points": [],
            },
        )
        entry["points"].append({"date": score_row.administered_on, "value": score_row.value})
    return list(series.values())


async def my_progress(db: AsyncSession, user: User, *, weeks: int, tz: ZoneInfo, today: date) -> dict[str, Any]:
    await ensure_rollups(db, [user.id])
    grid = Grid(today, weeks, tz)
    data = await _weeks_of(db, user.id, grid)
    return {
        "person": {"id": user.id, "display_name": user.display_name},
        "weeks": grid.keys,
        "week_starts": grid.mondays,
        "week_choices": list(WEEK_CHOICES),
        "measures": build_measures(data),
        "recorded_scores": await recorded_scores(db, user.id),
        "self_check": await self_check_status(db, user.id, today),
    }


async def partner_progress(db: AsyncSession, user: User, *, weeks: int, tz: ZoneInfo, today: date) -> dict[str, Any]:
    pair = await partner_of(db, user)
    if pair is None:
        raise _no_partner()
    couple_id, partner = pair
    await ensure_rollups(db, [partner.id])
    grid = Grid(today, weeks, tz)
    shared = await shares_with_partner(db, user_id=partner.id, couple_id=couple_id)
    if shared:  # only what happened while we are this couple
        since = await couple_since(db, couple_id)
        data = await _weeks_of(db, partner.id, grid, couple_id=couple_id, since=since)
        measures = build_measures(data, subject=partner.display_name)
        scores = await recorded_scores(db, partner.id, since=local_day(since, tz) if since is not None else None)
    else:  # what we did together: both of us were there
        data = await _weeks_of(db, partner.id, grid, couple_id=couple_id, everything=False)
        measures = build_measures(data, subject=partner.display_name, only=ATTENDANCE_KEYS)
        scores = []
    return {
        "person": {"id": partner.id, "display_name": partner.display_name},
        "shared": shared,
        "weeks": grid.keys,
        "week_starts": grid.mondays,
        "week_choices": list(WEEK_CHOICES),
        "measures": measures,
        "recorded_scores": scores,
    }


async def couple_progress(
    db: AsyncSession, facilitator: User, couple_id: uuid.UUID, *, weeks: int, tz: ZoneInfo, today: date
) -> dict[str, Any]:
    """For a facilitator already authorized on this couple (server/facilitation/access.py)."""
    members = await current_members(db, couple_id=couple_id)
    await ensure_rollups(db, [m.user_id for m in members])
    grid = Grid(today, weeks, tz)
    since = max((m.joined_at for m in members), default=None)  # the couple's joining, as couple_since
    partners = []
    for member in sorted(members, key=lambda m: m.joined_at):
        person = await db.get(User, member.user_id)
        if person is None:
            continue
        shared = await shares_with_facilitator(db, user_id=person.id, facilitator_id=facilitator.id)
        sessions = await _session_rows(db, person.id, grid, couple_id=couple_id)  # this couple's sessions only
        mine = [r for r in sessions if r.couple_id == couple_id and r.facilitator_id == facilitator.id]
        ran = group_weeks(grid.mondays, grid.tz, mine)
        low, high = count_axis([w.attended for w in ran])
        entry: dict[str, Any] = {
            "user_id": person.id,
            "display_name": person.display_name,
            "shared": shared,
            "measures": [],
            "recorded_scores": [],
            "attendance_with_me": {
                "weeks": grid.keys,
                "attended": [w.attended for w in ran],
                "completed": [w.completed for w in ran],
                "min": low,
                "max": high,
            },
        }
        if shared:
            weeks_data = await _weeks_of(db, person.id, grid, sessions=sessions, since=since)
            entry["measures"] = build_measures(weeks_data, subject=person.display_name)
            entry["recorded_scores"] = await recorded_scores(db, person.id, facilitator_id=facilitator.id)
        partners.append(entry)
    return {
        "couple_id": couple_id,
        "weeks": grid.keys,
        "week_starts": grid.mondays,
        "week_choices": list(WEEK_CHOICES),
        "partners": partners,
    }


def couple_progress_csv(progress: dict[str, Any]) -> str:
    """Exactly what the facilitator may see, one row per (partner, week, measure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["partner", "week", "week_start", "measure", "value"])
    for partner in progress["partners"]:
        name = _csv_safe(partner["display_name"])
        for i, (key, start) in enumerate(zip(progress["weeks"], progress["week_starts"], strict=True)):
            for measure in partner["measures"]:
                value = measure["values"][i]
                if value is not None:
                    writer.writerow([name, key, start.isoformat(), measure["key"], value])
            attendance = partner["attendance_with_me"]
            writer.writerow([name, key, start.isoformat(), "attended_with_me", attendance["attended"][i]])
            writer.writerow([name, key, start.isoformat(), "completed_with_me", attendance["completed"][i]])
        for series in partner["recorded_scores"]:  # only this facilitator's own, and only while shared
            label = _csv_safe(f"score: {series['instrument']} {series['subscale']}")
            for point in series["points"]:
                monday = point["date"] - timedelta(days=point["date"].weekday())
                writer.writerow([name, week_key(monday), monday.isoformat(), label, point["value"]])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A name like "=HYPERLINK(...)" must stay text when the file is opened in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# ------------------------------------------------------------------------------------------ self-check


async def self_check_status(db: AsyncSession, user_id: uuid.UUID, today: date) -> dict[str, Any]:
    last = (
        await db.exec(
            select(SelfCheckRecord.taken_on)
            .where(SelfCheckRecord.user_id == user_id)
            .order_by(col(SelfCheckRecord.taken_on).desc())
            .limit(1)
        )
    ).first()
    return {
        "due": await _due(db, user_id, today, last),
        "last_taken_on": last,
        "next_due_on": last + DUE_EVERY if last is not None else None,
    }


async def _last_skip(db: AsyncSession, user_id: uuid.UUID) -> date | None:
    return (
        await db.exec(
            select(SelfCheckSkip.skipped_on)
            .where(SelfCheckSkip.user_id == user_id)
            .order_by(col(SelfCheckSkip.skipped_on).desc())
            .limit(1)
        )
    ).first()


async def _due(db: AsyncSession, user_id: uuid.UUID, today: date, last: date | None) -> bool:
    skip = await _last_skip(db, user_id)
    return (last is None or last + DUE_EVERY <= today) and (skip is None or skip + DUE_EVERY <= today)


async def self_check_form(db: AsyncSession, user: User, today: date) -> dict[str, Any]:
    form = selfcheck_form()
    status = await self_check_status(db, user.id, today)
    skip = await _last_skip(db, user.id)
    return {
        "intro": form.intro,
        "scale": {
            "min": form.scale.min,
            "max": form.scale.max,
            "low_label": form.scale.low_label,
            "high_label": form.scale.high_label,
        },
        "items": [{"id": item.id, "text": item.text} for item in form.items_in_order()],
        **status,
        "skipped_until": skip + DUE_EVERY if skip is not None and skip + DUE_EVERY > today else None,
    }


async def take_self_check(db: AsyncSession, user: User, answers: dict[str, object], today: date) -> dict[str, Any]:
    form = selfcheck_form()
    try:
        scores = score(form, answers)
    except SelfCheckInvalid as exc:
        raise ApiError(400, "invalid_answers", exc.message) from exc
    for attempt in range(2):  # two answers the same day at the same moment: the second becomes a replace
        existing = (
            await db.exec(
                select(SelfCheckRecord).where(SelfCheckRecord.user_id == user.id, SelfCheckRecord.taken_on == today)
            )
        ).first()
        row = existing or SelfCheckRecord(user_id=user.id, taken_on=today, answers={}, scores={})
        row.answers, row.scores, row.taken_at = dict(answers), scores, utcnow()
        db.add(row)
        try:
            await db.commit()
        except IntegrityError:
            await db.rollback()
            if attempt:
                raise
            continue
        return {"taken_on": today, "scores": scores, "replaced": existing is not None}
    raise AssertionError("unreachable")


async def skip_self_check(db: AsyncSession, user: User, today: date) -> dict[str, Any]:
    db.add(SelfCheckSkip(user_id=user.id, skipped_on=today))
    await db.commit()
    return {"skipped_until": today + DUE_EVERY}


# ------------------------------------------------------------------------------------------ scores


async def record_score(
    db: AsyncSession, facilitator: User, couple_id: uuid.UUID, data: Any, today: date
) -> RecordedScore:
    """For a facilitator already authorized on this couple."""
    if data.user_id not in {m.user_id for m in await current_members(db, couple_id=couple_id)}:
        raise ApiError(404, "not_a_partner", "That person is not a partner in this couple.")
    if not await shares_with_facilitator(db, user_id=data.user_id, facilitator_id=facilitator.id):
        raise ApiError(
            403,
            "not_shared",
            "This partner has not chosen to share their progress with you, so a score cannot be recorded for them.",
        )
    numbers = (data.value, data.scale_min, data.scale_max)
    if not all(math.isfinite(n) for n in numbers) or not data.scale_min < data.scale_max:
        raise ApiError(400, "bad_range", "The scale needs a lowest value below its highest value.")
    if not data.scale_min <= data.value <= data.scale_max:
        raise ApiError(
            400,
            "value_out_of_range",
            f"The value must lie on its scale, from {data.scale_min:g} to {data.scale_max:g}.",
        )
    if data.administered_on > today + timedelta(days=1):
        raise ApiError(400, "bad_date", "The date it was given cannot be in the future.")
    if data.administered_on < OLDEST_SCORE_DATE:
        raise ApiError(400, "bad_date", f"The date it was given cannot be before {OLDEST_SCORE_DATE.year}.")
    row = RecordedScore(
        user_id=data.user_id,
        couple_id=couple_id,
        facilitator_id=facilitator.id,
        instrument=data.instrument.strip(),
        subscale=data.subscale.strip(),
        value=data.value,
        scale_min=data.scale_min,
        scale_max=data.scale_max,
        administered_on=data.administered_on,
    )
    if not row.instrument or not row.subscale:
        raise ApiError(400, "blank_name", "Please name the questionnaire and its subscale.")
    db.add(row)
    await db.commit()
    return row


async def scores_i_recorded(db: AsyncSession, facilitator: User, couple_id: uuid.UUID) -> list[RecordedScore]:
    """Scores I recorded about partners of this couple who still share with me."""
    members = [m.user_id for m in await current_members(db, couple_id=couple_id)]
    visible = [u for u in members if await shares_with_facilitator(db, user_id=u, facilitator_id=facilitator.id)]
    rows = await db.exec(
        select(RecordedScore)
        .where(
            RecordedScore.facilitator_id == facilitator.id,
            RecordedScore.couple_id == couple_id,
            col(RecordedScore.user_id).in_(visible),
        )
        .order_by(col(RecordedScore.administered_on))
    )
    return list(rows.all())


async def delete_score(db: AsyncSession, score_id: uuid.UUID) -> None:
    await db.exec(delete(RecordedScore).where(col(RecordedScore.id) == score_id))  # type: ignore[call-overload]
    await db.commit()
