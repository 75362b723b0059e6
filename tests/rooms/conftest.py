"""A LiveRuntime over a real database, sockets that record what they receive, and a clock the test moves."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import Plan
from rooms.catalogue import builtin_catalogue
from rooms.journal import StoredEvent
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


class RecordingCodec:
    def event(self, event: StoredEvent) -> bytes:
        return msgspec.json.encode({"kind": "event", "seq": event.seq, "type": event.type, "data": event.payload})

    def presence(self, connected: list[str], server_time: float) -> bytes:
        return msgspec.json.encode({"kind": "presence", "connected": connected})


@dataclass(eq=False)
class FakeSocket:
    """Stands where the server's socket connection stands: what the runtime pushed, in order."""

    participant: str
    signin: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    frames: list[dict[str, Any]] = field(default_factory=list)
    closed: tuple[int, str] | None = None

    def push(self, frame: bytes, seq: int | None) -> None:
        self.frames.append(msgspec.json.decode(frame))

    def close(self, code: int, reason: str, frame: bytes | None = None) -> None:
        self.closed = (code, reason)

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["kind"] == "event" and (name is None or f["type"] == name)]

    def names(self) -> list[str]:
        return [f["type"] for f in self.events()]

    def presence(self) -> list[list[str]]:
        return [f["connected"] for f in self.frames if f["kind"] == "presence"]


@dataclass
class Harness:
    runtime: LiveRuntime
    clock: FakeClock
    engine: AsyncEngine
    config: RuntimeConfig

    def fresh_runtime(self) -> LiveRuntime:
        """Another process (or this one after a restart) on the same database."""
        return LiveRuntime(self.engine, RecordingCodec(), config=self.config, clock=self.clock)

    async def new_session(self, plan: Plan | None = None) -> tuple[uuid.UUID, str, str]:
        async with session_factory(self.engine)() as db:
            a, b = (User(email=f"{uuid.uuid4().hex}@example.org", display_name=n, password_hash="x") for n in "AB")
            couple = Couple()
            db.add_all([a, b, couple])
            await db.commit()
            partners = (str(a.id), str(b.id))
        session_id = await self.runtime.open_session(
            couple_id=couple.id,
            created_by=a.id,
            partners=partners,
            plan=plan or builtin_catalogue().plans["daily"],
            first_speaker=partners[0],
        )
        return session_id, partners[0], partners[1]

    async def settle(self) -> None:
        """Wait until every timer due by the test's clock has run and every queued write is committed."""
        runtime = self.runtime
        for _ in range(3):  # a timer's write can arm the next timer, due at once: settle again
            await wait_until(lambda: not runtime.timers.due() and runtime.writer.idle)
            await asyncio.sleep(0.01)


async def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - polling an in-memory condition in a test
            await asyncio.sleep(0.01)


CONFIG = RuntimeConfig(grace_seconds=10, abandon_after_seconds=1800, max_nap_seconds=0.005)


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[Harness]:
    engine = create_engine(settings.database_url)
    clock = FakeClock()
    runtime = LiveRuntime(engine, RecordingCodec(), config=CONFIG, clock=clock)
    await runtime.start()
    yield Harness(runtime, clock, engine, CONFIG)
    await runtime.close()
    await engine.dispose()


@pytest.fixture
def db_session(harness: Harness) -> Callable[[], AsyncSession]:
    return session_factory(harness.engine)
