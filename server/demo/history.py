"""Seed a demo couple, their facilitator and weeks of practice history into a database.

Sessions are played through the real engine (`server/demo/script.py`) and stored row for row the way
the runtime stores them (`rooms/journal.py`): the session with its plan and final state, every event
numbered, a summary per partner. Around them: weekly self-checks with a gentle, uneven trend, a few solo
breathing practices, a linked facilitator, and one partner sharing their progress with that facilitator.

`seed_history` is a library function: the `duologue demo` command calls it, and so does the progress
benchmark (two years of history) and the browser tests.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from exercises import build_summary, keeps_summaries, summary_to_markdown
from exercises.state import encode_state_without_plan
from rooms.catalogue import builtin_catalogue
from rooms.models import PracticeSession, SessionEvent, SessionSummary
from rooms.rollups import insert_rollups, rollup_rows
from server.demo.script import Played, Script, play
from server.demo.self_checks import self_check_rows
from server.models import Couple, CoupleMember, FacilitatorLink, SoloPractice, User
from server.models.progress import ProgressFacilitatorShare, RecordedScore, SelfCheckRecord
from server.progress.form import selfcheck_form

DEMO_DOMAIN = "demo.duologue.test"
PEOPLE = (("sam", "Sam"), ("alex", "Alex"), ("lee", "Dr Lee"))


def demo_emails(domain: str = DEMO_DOMAIN) -> list[str]:
    return [f"{name}@{domain}" for name, _ in PEOPLE]


@dataclass
class SeededHistory:
    sam_id: uuid.UUID
    alex_id: uuid.UUID
    lee_id: uuid.UUID
    couple_id: uuid.UUID
    emails: list[str]
    sessions: int = 0
    events: int = 0
    self_checks: int = 0
    session_ids: list[uuid.UUID] = field(default_factory=list)


def _monday(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def _table(model: Any) -> Any:
    return model.__table__


async def seed_history(
    engine: AsyncEngine,
    *,
    password_hash: str,
    weeks: int = 12,
    now: datetime | None = None,
    sessions_per_week: tuple[int, int] = (3, 5),
    seed: int = 12,
    domain: str = DEMO_DOMAIN,
    weekly_plan: str | None = "weekly_meeting",
    other_plans: tuple[str, ...] = ("daily", "daily", "stress_reducing"),
) -> SeededHistory:
    """Create Sam and Alex (a couple) and Dr Lee (their facilitator) with `weeks` ISO weeks of history
    ending in the week of `now`. Everyone's password hash is `password_hash`. Deterministic for a seed.

    Each week's last session is `weekly_plan` (with Dr Lee every other week), the others are drawn from
    `other_plans`; a daily session stores about 65 events, a weekly meeting about 190. `domain` makes the
    three email addresses, so a benchmark can seed several couples into one database."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    first_monday = _monday(now) - timedelta(weeks=weeks - 1)
    joined = first_monday - timedelta(days=3)

    people = {
        name: User(
            id=uuid.uuid4(),
            email=f"{name}@{domain}",
            display_name=display,
            password_hash=password_hash,
            is_facilitator=name == "lee",
            created_at=joined,
        )
        for name, display in PEOPLE
    }
    sam, alex, lee = people["sam"], people["alex"], people["lee"]
    couple = Couple(id=uuid.uuid4(), created_at=joined)
    seeded = SeededHistory(sam.id, alex.id, lee.id, couple.id, demo_emails(domain))

    sessions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    rollups: list[dict[str, Any]] = []
    solo: list[dict[str, Any]] = []
    partners = (str(sam.id), str(alex.id))
    plans = builtin_catalogue().plans
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        progress = week / max(1, weeks - 1)
        days = [d for d in range(7) if monday + timedelta(days=d, hours=21, minutes=30) < now]
        count = min(len(days), rng.randint(*sessions_per_week))
        for n, day in enumerate(sorted(rng.sample(days, count))):
            start = monday + timedelta(days=day, hours=rng.randint(18, 20), minutes=rng.randint(0, 59))
            weekly = weekly_plan is not None and n == count - 1
            plan_id = weekly_plan if weekly and weekly_plan else rng.choice(other_plans)
            with_lee = weekly and week % 2 == 1
            script = Script(
                progress,
                leave_early_at_step=rng.randint(4, 9) if rng.random() < 0.08 else None,
                break_at_step=rng.randint(3, 8) if rng.random() < 0.1 else None,
                break_by=rng.randrange(2),
            )
            played = play(
                plans[plan_id],
                partners,
                start=start.timestamp(),
                rng=rng,
                script=script,
                facilitator=str(lee.id) if with_lee else None,
            )
            row_id = uuid.uuid4()
            sessions.append(_session_row(row_id, couple.id, sam.id, alex.id, lee.id if with_lee else None, played))
            events += [_event_row(row_id, e) for e in played.events]
            summaries += _summary_rows(row_id, played)
            if played.state.started_at is not None:  # what progress counts of it, as the journal would write
                rollups += rollup_rows(
                    session_id=row_id,
                    couple_id=couple.id,
                    facilitator_id=lee.id if with_lee else None,
                    started_at=_at(played.state.started_at),
                    partners=(sam.id, alex.id),
                    events=played.events,
                )
            seeded.session_ids.append(row_id)
        for person, most in ((sam, 1 + round(2 * progress)), (alex, 3)):  # breathing on their own now and then
            for day in rng.sample(days, min(len(days), rng.randint(0, most))):
                done = monday + timedelta(days=day, hours=7, minutes=rng.randint(0, 50))
                solo.append(
                    {
                        "id": uuid.uuid4(),
                        "user_id": person.id,
                        "kind": rng.choice(("breathing", "breathing", "grounding")),
                        "started_at": done - timedelta(minutes=3),
                        "completed_at": done,
                    }
                )

    # Weekly self-checks: Sam's last one was eight days ago (so the home card asks again), Alex's two days
    # ago; each has missed a week or two along the way.
    form, today, first_day = selfcheck_form(), now.date(), first_monday.date()
    rng = random.Random(seed + 1)  # their own draws: the trend stays the same however the sessions went
    checks = self_check_rows(
        form, who="sam", user_id=sam.id, first_day=first_day, today=today, days_ago=8, rng=rng, missed=frozenset({4})
    ) + self_check_rows(
        form,
        who="alex",
        user_id=alex.id,
        first_day=first_day,
        today=today,
        days_ago=2,
        rng=rng,
        missed=frozenset({2, 7}),
    )
    scores = _recorded_scores(sam.id, couple.id, lee.id, first_day, today)

    async with engine.begin() as conn:
        await conn.execute(insert(_table(User)), [_user_row(u) for u in people.values()])
        await conn.execute(insert(_table(Couple)), [{"id": couple.id, "created_at": joined}])
        await conn.execute(
            insert(_table(CoupleMember)),
            [{"id": uuid.uuid4(), "couple_id": couple.id, "user_id": u.id, "joined_at": joined} for u in (sam, alex)],
        )
        await conn.execute(insert(_table(FacilitatorLink)), [_link_row(couple.id, sam.id, alex.id, lee.id, joined)])
        if sessions:
            await conn.execute(insert(_table(PracticeSession)), sessions)
        if events:
            await conn.execute(insert(_table(SessionEvent)), events)
        if summaries:
            await conn.execute(insert(_table(SessionSummary)), summaries)
        if solo:
            await conn.execute(insert(_table(SoloPractice)), solo)
        if rollups:
            await insert_rollups(conn, rollups)
        if checks:
            await conn.execute(insert(_table(SelfCheckRecord)), checks)
        # Sam shows their progress to Dr Lee; Alex keeps theirs (nobody shares with the partner yet).
        await conn.execute(
            insert(_table(ProgressFacilitatorShare)),
            [{"id": uuid.uuid4(), "user_id": sam.id, "facilitator_id": lee.id, "shared": True, "updated_at": joined}],
        )
        if scores:
            await conn.execute(insert(_table(RecordedScore)), scores)
    seeded.sessions, seeded.events, seeded.self_checks = len(sessions), len(events), len(checks)
    return seeded


def _recorded_scores(
    sam: uuid.UUID, couple_id: uuid.UUID, lee: uuid.UUID, first_day: date, today: date
) -> list[dict[str, Any]]:
    """Two questionnaire scores Dr Lee gave Sam in sessions elsewhere (with Sam's consent), as their own series."""
    days = [first_day + timedelta(days=10), first_day + (today - first_day) * 2 // 3]
    return [
        {
            "id": uuid.uuid4(),
            "user_id": sam,
            "couple_id": couple_id,
            "facilitator_id": lee,
            "instrument": "ECR-R",
            "subscale": "Anxiety",
            "value": value,
            "scale_min": 1.0,
            "scale_max": 7.0,
            "administered_on": day,
            "created_at": datetime(day.year, day.month, day.day, 17, tzinfo=UTC),
        }
        for day, value in zip(days, (4.9, 4.3), strict=True)
        if first_day <= day <= today
    ]


def _user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "password_hash": user.password_hash,
        "share_email_with_partner": False,
        "is_facilitator": user.is_facilitator,
        "created_at": user.created_at,
        "sign_in_generation": 0,
    }


def _link_row(
    couple_id: uuid.UUID, sam: uuid.UUID, alex: uuid.UUID, lee: uuid.UUID, joined: datetime
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "facilitator_id": lee,
        "code": secrets.token_hex(5).upper(),
        "created_at": joined,
        "expires_at": joined + timedelta(hours=72),
        "couple_id": couple_id,
        "accepted_by_id": sam,
        "accepted_at": joined + timedelta(hours=1),
        "confirmed_by_id": alex,
        "confirmed_at": joined + timedelta(hours=2),
    }


def _at(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


def _session_row(
    row_id: uuid.UUID, couple_id: uuid.UUID, sam: uuid.UUID, alex: uuid.UUID, lee: uuid.UUID | None, played: Played
) -> dict[str, Any]:
    state = played.state
    return {
        "id": row_id,
        "couple_id": couple_id,
        "created_by_id": sam,
        "partner_a_id": sam,
        "partner_b_id": alex,
        "facilitator_id": lee,
        "plan_id": state.plan.id,
        "plan_title": state.plan.title,
        "status": state.phase,
        "end_reason": state.end_reason,
        "version": played.events[-1].seq if played.events else 0,
        "state": encode_state_without_plan(state),
        "plan": msgspec.json.encode(state.plan),
        "created_at": _at(played.created_at),
        "started_at": _at(state.started_at),
        "ended_at": _at(state.ended_at),
    }


def _event_row(session_id: uuid.UUID, event: Any) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "seq": event.seq,
        "type": event.type,
        "audience": list(event.audience) if event.audience is not None else None,
        "payload": event.payload,
        "at": event.at,
    }


def _summary_rows(session_id: uuid.UUID, played: Played) -> list[dict[str, Any]]:
    state = played.state
    if not keeps_summaries(state):
        return []
    rows = []
    for partner in state.partners:
        summary = build_summary(state, partner)
        rows.append(
            {
                "id": uuid.uuid4(),
                "session_id": session_id,
                "user_id": uuid.UUID(partner),
                "created_at": _at(state.ended_at),
                "content": msgspec.to_builtins(summary),
                "markdown": summary_to_markdown(summary),
            }
        )
    return rows
