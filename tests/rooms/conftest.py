"""A LiveRuntime over a real database, a recording publisher and a clock the test moves."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import new_session
from exercises.state import encode_state
from rooms.catalogue import builtin_catalogue
from rooms.journal import StoredEvent
from rooms.models import PracticeSession
from rooms.runtime import LiveRuntime, RuntimeConfig
from server.db import create_engine, session_factory
from server.models import Couple, User
from server.settings import Settings


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RecordingPublisher:
    """Remembers what each personal channel received, as a subscriber would."""

    received: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))

    async def publish_event(self, channel: str, event: StoredEvent) -> None:
        self.received[channel].append(event)

    async def publish_presence(self, channel: str, connected: list[str]) -> None:
        self.received[channel].append(("presence", tuple(connected)))

    def events_for(self, session_id: uuid.UUID, participant: str) -> list[StoredEvent]:
        channel = f"duologue.live.{session_id}.{participant}"
        return [e for e in self.received[channel] if isinstance(e, StoredEvent)]

    def presence_for(self, session_id: uuid.UUID, participant: str) -> list[tuple[str, ...]]:
        channel = f"duologue.live.{session_id}.{participant}"
        return [e[1] for e in self.received[channel] if isinstance(e, tuple)]


@dataclass
class Harness:
    runtime: LiveRuntime
    clock: FakeClock
    publisher: RecordingPublisher
    engine: AsyncEngine

    async def new_session(self, plan_id: str = "daily") -> tuple[uuid.UUID, str, str]:
        async with session_factory(self.engine)() as db:
            a, b = (User(email=f"{uuid.uuid4().hex}@example.org", display_name=n, password_hash="x") for n in "AB")
            couple = Couple()
            db.add_all([a, b, couple])
            await db.flush()
            partners = (str(a.id), str(b.id))
            plan = builtin_catalogue().plans[plan_id]
            row = PracticeSession(
                couple_id=couple.id,
                created_by_id=a.id,
                partner_a_id=a.id,
                partner_b_id=b.id,
                plan_id=plan_id,
                plan_title=plan.title,
                state=encode_state(new_session(plan, partners, first_speaker=partners[0])),
            )
            db.add(row)
            await db.commit()
            return row.id, partners[0], partners[1]

    async def settle(self) -> None:
        """Let timers that are due run (they nap in tiny steps in these tests)."""
        for _ in range(20):
            await asyncio.sleep(0.01)


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[Harness]:
    engine = create_engine(settings.database_url)
    clock, publisher = FakeClock(), RecordingPublisher()
    runtime = LiveRuntime(
        session_factory(engine),
        publisher,
        RuntimeConfig(grace_seconds=10, abandon_after_seconds=1800, max_nap_seconds=0.005),
        clock=clock,
    )
    yield Harness(runtime, clock, publisher, engine)
    await runtime.close()
    await engine.dispose()


@pytest.fixture
def db_session(harness: Harness) -> Callable[[], AsyncSession]:
    return session_factory(harness.engine)
