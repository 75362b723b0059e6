"""Two years of one couple's practice, fast: each kind of session is driven through the real engine once,
then its event stream is reused with new ids and times. Rollups come from the real rollup function.

Used by bench/progress.py; the numbers of sessions and events are what the issue asks for
(500 sessions, about 20,000 events, 104 self-checks).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import msgspec
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from exercises import AskSpace, ComeBack, End, Ready, Start, apply, new_session, next_wakeup, on_deadline
from exercises.events import Event
from exercises.intents import Intent, Resume, Submit
from exercises.state import SessionState, encode_state_without_plan
from exercises.views import current_step
from rooms.catalogue import builtin_catalogue
from rooms.rollups import insert_rollups, rollup_rows
from server.models import PracticeSession, SelfCheckRecord, SessionEvent, SoloPractice

A, B, F = "partner-a", "partner-b", "facilitator"
T0 = 1_700_000_000.0
SESSIONS = PracticeSession.__table__  # type: ignore[attr-defined]
EVENTS = SessionEvent.__table__  # type: ignore[attr-defined]


class Driver:
    def __init__(self, plan_id: str, facilitator: bool = False) -> None:
        plan = builtin_catalogue().plans[plan_id]
        self.now = T0
        self.state: SessionState = new_session(plan, (A, B), A, F if facilitator else None)
        self.events: list[Event] = []
        if facilitator:
            self.do(F, Start())
        else:
            self.do(A, Ready())
            self.do(B, Ready())

    def do(self, actor: str, intent: Intent) -> None:
        self.now += 7
        self.state, events = apply(self.state, actor, intent, self.now)
        self.events += events

    def submit(self, actor: str, value: Any = None) -> None:
        assert self.state.step is not None
        self.do(actor, Submit(step_no=self.state.step.no, value=value))

    def advance(self, seconds: float) -> None:
        target = self.now + seconds
        while (wake := next_wakeup(self.state)) is not None and wake <= target:
            self.now = max(self.now, wake)
            self.state, events = on_deadline(self.state, self.now)
            self.events += events
        self.now = target


def _check(d: Driver, values: tuple[int, int, int, int]) -> None:
    for i in range(0, 4, 2):
        d.submit(A, values[i]), d.submit(B, values[i + 1])


def _small_truth(d: Driver, speaker: str, listener: str, landed: str) -> None:
    d.submit(speaker, "gratitude")
    d.submit(speaker, "I felt grateful this morning.")
    d.submit(listener, "You felt grateful.")
    if landed == "not_quite":
        d.submit(speaker, "not_quite")
        d.submit(speaker, "It was about the coffee.")
        d.submit(listener, "The coffee touched you.")
        landed = "yes"
    d.submit(speaker, landed)


def _mirror(d: Driver, speaker: str, listener: str, understood: int) -> None:
    for more in ("yes", "no"):
        d.submit(speaker, "A piece of my week.")
        d.submit(listener, "If I got it... did I?")
        d.submit(speaker, "yes")
        if current_step(d.state)[1].id != "more":
            break  # the plan's time budget allows no further piece: on to the sum-up
        d.submit(speaker, more)
    d.submit(listener, "Sum up.")
    d.submit(listener, "You make sense because...")
    d.submit(listener, "I imagine you feel...")
    d.submit(speaker, understood)


def daily() -> Driver:
    d = Driver("daily")
    _check(d, (4, 5, 3, 4))
    _small_truth(d, A, B, "not_quite")
    _small_truth(d, B, A, "mostly")
    _check(d, (5, 5, 5, 4))
    return d


def daily_left_early() -> Driver:
    d = Driver("daily")
    _check(d, (3, 4, 2, 4))
    d.do(A, AskSpace(return_in_seconds=20 * 60))
    d.do(A, ComeBack())
    _small_truth(d, A, B, "yes")
    d.do(B, End())
    return d


def daily_check_in_only() -> Driver:
    d = Driver("daily")
    _check(d, (4, 4, 3, 5))
    d.do(A, End())
    return d


def stress_reducing() -> Driver:
    d = Driver("stress_reducing")
    for speaker, listener in ((A, B), (B, A)):
        d.submit(speaker, "Work was heavy this week.")
        d.submit(speaker, "listen")
        d.submit(listener, "What was the hardest part?")
        d.submit(speaker, "The deadline and the noise.")
        d.submit(listener, "No wonder you feel worn out.")
        d.submit(listener, "I'm on your side.")
    return d


def weekly_meeting_with_facilitator() -> Driver:
    d = Driver("weekly_meeting", facilitator=True)
    _check(d, (4, 4, 4, 3))
    for speaker, listener in ((A, B), (B, A)):
        d.submit(speaker, "I appreciated you cooking on Tuesday.")
        d.submit(listener, "Thank you.")
    _mirror(d, A, B, 4)
    _mirror(d, B, A, 5)
    _check(d, (6, 5, 5, 5))
    return d


def when_hard() -> Driver:
    d = Driver("when_hard")
    d.advance(103)
    d.submit(A, 3), d.submit(B, 4)
    d.submit(A, "My chest is tight.")
    d.submit(A, "A walk.")
    d.submit(A, "20")
    d.submit(A, True)
    d.submit(B, "Thank you for telling me. I'll be here.")
    d.advance(20 * 60)
    d.do(A, Resume()), d.do(B, Resume())
    _small_truth(d, A, B, "yes")
    _small_truth(d, B, A, "yes")
    return d


def deeper() -> Driver:
    d = Driver("deeper", facilitator=True)
    _check(d, (3, 4, 3, 4))
    d.submit(A, "My answer."), d.submit(B, "Mine.")
    d.submit(A, "I noticed..."), d.submit(B, "I noticed...")
    _mirror(d, A, B, 4)
    _mirror(d, B, A, 3)
    d.submit(A, "Private words."), d.submit(B, "Private words.")
    _check(d, (5, 5, 4, 5))
    return d


# (how to drive it, how often): many short sittings (a check-in, then life called), some full ones; about
# 40 events a session on average, as the 500 sessions and 20,000 events imply.
MIX: list[tuple[Callable[[], Driver], int]] = [
    (daily_check_in_only, 24),
    (daily_left_early, 6),
    (daily, 3),
    (stress_reducing, 2),
    (weekly_meeting_with_facilitator, 1),
    (when_hard, 1),
    (deeper, 1),
]


@dataclass
class Template:
    name: str
    state: SessionState
    events: list[dict[str, Any]]
    duration: float
    facilitated: bool


def templates() -> list[tuple[Template, int]]:
    out = []
    for drive, weight in MIX:
        d = drive()
        assert d.state.phase == "ended", drive.__name__
        events = [{"type": e.type, "payload": msgspec.to_builtins(e.payload), "audience": e.audience} for e in d.events]
        started = d.state.started_at or T0
        out.append(
            (
                Template(
                    drive.__name__,
                    d.state,
                    events,
                    (d.state.ended_at or started) - started,
                    d.state.facilitator is not None,
                ),
                weight,
            )
        )
    return out


def _remap(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {ids.get(k, k): _remap(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_remap(v, ids) for v in value]
    return value


class StoredLike(NamedTuple):
    """An event row as the rollup function reads it from the database."""

    type: str
    payload: dict[str, Any]
    audience: list[str] | None


@dataclass
class Seeded:
    sessions: int
    events: int
    self_checks: int
    solo_practices: int


async def seed_two_years(
    engine: AsyncEngine,
    *,
    couple_id: uuid.UUID,
    a: uuid.UUID,
    b: uuid.UUID,
    facilitator: uuid.UUID | None,
    sessions: int = 500,
    weeks: int = 104,
    today: date | None = None,
    seed: int = 12,
) -> Seeded:
    """Insert `sessions` ended sessions over `weeks` weeks (their events and rollups), a self-check a week
    for `a`, and a few solo practices. Everything in bulk, a few hundred sessions per transaction."""
    rng = random.Random(seed)
    pool = templates()
    choices, weights = [t for t, _ in pool], [w for _, w in pool]
    end = datetime.combine(today or datetime.now(UTC).date(), datetime.min.time(), UTC)
    start = end - timedelta(weeks=weeks)
    span = (end - start).total_seconds()
    ids = {A: str(a), B: str(b), F: str(facilitator) if facilitator else F}
    session_rows, event_rows, rollups = [], [], []
    for i in range(sessions):
        template = rng.choices(choices, weights)[0]
        began = start + timedelta(seconds=span * (i + rng.random()) / sessions)
        session_id = uuid.uuid4()
        shift = began.timestamp() - (template.state.started_at or T0)
        events = [
            {
                "session_id": session_id,
                "seq": n + 1,
                "type": e["type"],
                "audience": _remap(list(e["audience"]), ids) if e["audience"] is not None else None,
                "payload": _remap(e["payload"], ids),
                "at": T0 + shift + n,
            }
            for n, e in enumerate(template.events)
        ]
        fac = facilitator if template.facilitated else None
        session_rows.append(
            {
                "id": session_id,
                "couple_id": couple_id,
                "created_by_id": a,
                "partner_a_id": a,
                "partner_b_id": b,
                "facilitator_id": fac,
                "plan_id": template.state.plan.id,
                "plan_title": template.state.plan.title,
                "status": "ended",
                "end_reason": template.state.end_reason,
                "version": len(events),
                "state": encode_state_without_plan(template.state),
                "plan": msgspec.json.encode(template.state.plan),
                "created_at": began,
                "started_at": began,
                "ended_at": began + timedelta(seconds=template.duration),
            }
        )
        event_rows += events
        rollups += rollup_rows(
            session_id=session_id,
            couple_id=couple_id,
            facilitator_id=fac,
            started_at=began,
            partners=(a, b),
            events=[StoredLike(e["type"], e["payload"], e["audience"]) for e in events],
        )
    async with engine.begin() as conn:
        for chunk in range(0, len(session_rows), 200):
            await conn.execute(insert(SESSIONS), session_rows[chunk : chunk + 200])
        for chunk in range(0, len(event_rows), 2000):
            await conn.execute(insert(EVENTS), event_rows[chunk : chunk + 2000])
        for chunk in range(0, len(rollups), 500):
            await insert_rollups(conn, rollups[chunk : chunk + 500])
        checks = []
        for week in range(weeks):
            day = start.date() + timedelta(weeks=week, days=rng.randrange(7))
            drift = week / max(weeks - 1, 1)  # a gentle trend, with ups and downs
            scores = {
                "worry": round(5.2 - 1.4 * drift + rng.uniform(-0.4, 0.4), 2),
                "discomfort": round(4.6 - 1.0 * drift + rng.uniform(-0.4, 0.4), 2),
                "steadiness": round(3.4 + 1.3 * drift + rng.uniform(-0.4, 0.4), 2),
                "satisfaction": round(4.0 + 1.1 * drift + rng.uniform(-0.4, 0.4), 2),
            }
            checks.append(
                {"id": uuid.uuid4(), "user_id": a, "taken_on": day, "taken_at": end, "answers": {}, "scores": scores}
            )
        await conn.execute(insert(SelfCheckRecord.__table__), checks)  # type: ignore[attr-defined]
        solo = [
            {
                "id": uuid.uuid4(),
                "user_id": a,
                "kind": "breathing",
                "started_at": start + timedelta(seconds=rng.random() * span),
                "completed_at": start + timedelta(seconds=rng.random() * span),
            }
            for _ in range(weeks * 2)
        ]
        await conn.execute(insert(SoloPractice.__table__), solo)  # type: ignore[attr-defined]
    return Seeded(sessions=len(session_rows), events=len(event_rows), self_checks=len(checks), solo_practices=len(solo))
