"""The session journal: each session's plan (stored once), its state, and every event, numbered.

Reads are plain queries. Writes go through `JournalWriter`, which commits many rooms' changes in one
transaction (group commit): a room appends its new events and state and awaits durability; only then are
they delivered and acknowledged. Each room's write is fenced by the version it was based on, so a process
that lost a session to another (a lease that ran out) can never overwrite a newer state.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import (
    ARRAY,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Uuid,
    bindparam,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from exercises import Plan, new_session
from exercises.prompts import DrawnPrompt
from exercises.state import (
    SessionState,
    decode_plan,
    decode_state,
    decode_state_with_plan,
    encode_state_without_plan,
)
from rooms.models import PracticeSession, SessionEvent, SessionSummary
from rooms.rollups import insert_rollups, rollups_for_session

logger = logging.getLogger("duologue.rooms.journal")

SESSIONS = PracticeSession.__table__  # type: ignore[attr-defined]
EVENTS = SessionEvent.__table__  # type: ignore[attr-defined]
SUMMARIES = SessionSummary.__table__  # type: ignore[attr-defined]


class VersionConflict(Exception):
    """Someone else (another process) wrote this session first: this process no longer owns it."""


class SessionAlreadyOpen(Exception):
    """The couple already has a session that has not ended (the database refused a second one)."""


class JournalUnavailable(Exception):
    """The database did not take the write (after retries); nothing of it is stored."""


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    type: str
    payload: dict[str, Any]
    audience: tuple[str, ...] | None
    at: float

    def visible_to(self, participant: str) -> bool:
        return self.audience is None or participant in self.audience


@dataclass(frozen=True)
class LoadedSession:
    id: uuid.UUID
    state: SessionState
    version: int


def _from_timestamp(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


_plans: dict[bytes, Plan] = {}


def shared_plan(data: bytes) -> Plan:
    """One decoded plan object per distinct plan, so a thousand rooms on the daily plan hold it once."""
    plan = _plans.get(data)
    if plan is None:
        if len(_plans) > 1024:  # composed plans are many; keep the cache bounded
            _plans.clear()
        plan = _plans[data] = decode_plan(data)
    return plan


def state_of(row: Any) -> SessionState:
    if row.plan is None:  # written before plans were stored apart
        return decode_state(row.state)
    return decode_state_with_plan(row.state, shared_plan(bytes(row.plan)))


async def load(engine: AsyncEngine, session_id: uuid.UUID) -> LoadedSession | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(SESSIONS.c.state, SESSIONS.c.plan, SESSIONS.c.version).where(SESSIONS.c.id == session_id)
            )
        ).first()
    if row is None:
        return None
    return LoadedSession(session_id, state_of(row), row.version)


async def events_since(
    conn: AsyncConnection | Any, session_id: uuid.UUID, since: int, until: int, participant: str | None
) -> list[StoredEvent]:
    """What one participant may read in (since, until], in order (everything when `participant` is None).

    `until` is the version the caller read: later events arrive live and must not be sent twice.
    """
    rows = await conn.execute(
        select(EVENTS.c.seq, EVENTS.c.type, EVENTS.c.payload, EVENTS.c.audience, EVENTS.c.at)
        .where(EVENTS.c.session_id == session_id, EVENTS.c.seq > since, EVENTS.c.seq <= until)
        .order_by(EVENTS.c.seq)
    )
    events = [
        StoredEvent(r.seq, r.type, r.payload, tuple(r.audience) if r.audience is not None else None, r.at) for r in rows
    ]
    return [e for e in events if participant is None or e.visible_to(participant)]


async def read_events(
    engine: AsyncEngine, session_id: uuid.UUID, since: int, until: int, participant: str | None
) -> list[StoredEvent]:
    async with engine.connect() as conn:
        return await events_since(conn, session_id, since, until, participant)


async def open_session_ids(engine: AsyncEngine) -> list[uuid.UUID]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(SESSIONS.c.id).where(SESSIONS.c.status != "ended"))
        return [r.id for r in rows]


# ----------------------------------------------------------------------------------------------- writing


@dataclass
class Summary:
    user_id: uuid.UUID
    content: dict[str, Any]
    markdown: str


@dataclass
class PendingWrite:
    """Everything one room changed since its last durable write: merged until the writer takes it."""

    session_id: uuid.UUID
    base_version: int
    state: SessionState
    version: int
    events: list[StoredEvent] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    done: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


_UPDATE_SESSION = (
    update(SESSIONS)
    .where(SESSIONS.c.id == bindparam("b_id"), SESSIONS.c.version == bindparam("b_base"))
    .values(
        state=bindparam("b_state"),
        version=bindparam("b_version"),
        status=bindparam("b_status"),
        end_reason=bindparam("b_end_reason"),
        started_at=bindparam("b_started_at"),
        ended_at=bindparam("b_ended_at"),
    )
)


# PostgreSQL: every room's fenced update in one statement whose text never changes (arrays, not a
# VALUES list per batch size), so it is compiled and prepared once; RETURNING says which rows changed.
_UPDATE_MANY_PG = text(
    """
    UPDATE practice_session AS p
    SET state = v.state, version = v.version, status = v.status, end_reason = v.end_reason,
        started_at = v.started_at, ended_at = v.ended_at
    FROM unnest(:ids, :bases, :states, :versions, :statuses, :reasons, :starts, :ends)
        AS v(id, base, state, version, status, end_reason, started_at, ended_at)
    WHERE p.id = v.id AND p.version = v.base
    RETURNING p.id
    """
).bindparams(
    bindparam("ids", type_=ARRAY(Uuid)),
    bindparam("bases", type_=ARRAY(Integer)),
    bindparam("states", type_=ARRAY(LargeBinary)),
    bindparam("versions", type_=ARRAY(Integer)),
    bindparam("statuses", type_=ARRAY(String)),
    bindparam("reasons", type_=ARRAY(String)),
    bindparam("starts", type_=ARRAY(DateTime(timezone=True))),
    bindparam("ends", type_=ARRAY(DateTime(timezone=True))),
)


def _update_many_pg_params(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = {
        "ids": "b_id",
        "bases": "b_base",
        "states": "b_state",
        "versions": "b_version",
        "statuses": "b_status",
        "reasons": "b_end_reason",
        "starts": "b_started_at",
        "ends": "b_ended_at",
    }
    return {param: [row[key] for row in rows] for param, key in names.items()}


def _session_values(write: PendingWrite) -> dict[str, Any]:
    state = write.state
    return {
        "b_id": write.session_id,
        "b_base": write.base_version,
        "b_state": encode_state_without_plan(state),
        "b_version": write.version,
        "b_status": state.phase,
        "b_end_reason": state.end_reason,
        "b_started_at": _from_timestamp(state.started_at),
        "b_ended_at": _from_timestamp(state.ended_at),
    }


def _event_rows(write: PendingWrite) -> list[dict[str, Any]]:
    return [
        {
            "session_id": write.session_id,
            "seq": e.seq,
            "type": e.type,
            "audience": list(e.audience) if e.audience is not None else None,
            "payload": e.payload,
            "at": e.at,
        }
        for e in write.events
    ]


def _summary_rows(write: PendingWrite) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    return [
        {
            "id": uuid.uuid4(),
            "session_id": write.session_id,
            "user_id": s.user_id,
            "created_at": now,
            "content": s.content,
            "markdown": s.markdown,
        }
        for s in write.summaries
    ]


class JournalWriter:
    """Group commit: whatever rooms wrote while the previous commit ran goes into the next one.

    `on_durable(writes)` is called, in commit order, right after each commit and before anyone awaiting
    a write is woken: the runtime delivers events there, so every recipient sees them in sequence order
    and an intent's `ack` follows its events.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        on_durable: Callable[[list[PendingWrite]], None],
        *,
        max_pending_events: int = 20_000,
        retries: int = 3,
    ) -> None:
        self.engine = engine
        self.on_durable = on_durable
        self.max_pending_events = max_pending_events
        self.retries = retries
        self._pending: dict[uuid.UUID, PendingWrite] = {}
        self._pending_events = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._committing = False
        self.commits = 0  # for the benchmark and the health page
        multi_rowcount = engine.dialect.supports_sane_multi_rowcount
        self._update_many = bool(multi_rowcount)

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing being committed."""
        return not self._pending and not self._committing

    @property
    def overloaded(self) -> bool:
        return self._pending_events >= self.max_pending_events

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="journal-writer")

    async def close(self) -> None:
        """Commit what is queued, then stop."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task

    def append(
        self,
        session_id: uuid.UUID,
        base_version: int,
        state: SessionState,
        events: list[StoredEvent],
        summaries: list[Summary],
    ) -> asyncio.Future[None]:
        write = self._pending.get(session_id)
        if write is None:
            write = self._pending[session_id] = PendingWrite(session_id, base_version, state, base_version)
        write.state = state
        write.events.extend(events)
        write.summaries.extend(summaries)
        write.version = events[-1].seq if events else write.version
        self._pending_events += len(events)
        self._wake.set()
        return write.done

    def discard(self, session_id: uuid.UUID, error: BaseException) -> None:
        """Drop a room's queued write (its base is no longer true)."""
        write = self._pending.pop(session_id, None)
        if write is not None:
            self._pending_events -= len(write.events)
            _fail(write, error)

    async def _run(self) -> None:
        while True:
            if not self._pending:
                if self._closing:
                    return
                await self._wake.wait()
                self._wake.clear()
                continue
            batch = list(self._pending.values())
            self._pending = {}
            self._pending_events = 0
            self._committing = True
            try:
                await self._commit_batch(batch)
            finally:
                self._committing = False

    async def _commit_batch(self, batch: list[PendingWrite]) -> None:
        delay = 0.05
        for attempt in range(self.retries + 1):
            try:
                await self._write(batch)
                self._finish(batch)
                return
            except VersionConflict:
                await self._write_one_by_one(batch)
                return
            except Exception as exc:  # the database is busy or away: try again, then give up on this batch
                logger.error("journal commit failed (%s), attempt %d", type(exc).__name__, attempt + 1)
                if attempt < self.retries:
                    await asyncio.sleep(delay)
                    delay *= 4
        for write in batch:
            _fail(write, JournalUnavailable())

    async def _write_one_by_one(self, batch: list[PendingWrite]) -> None:
        """A fence failed somewhere in the batch: find which rooms, and keep the others."""
        durable: list[PendingWrite] = []
        for write in batch:
            try:
                await self._write([write])
                durable.append(write)
            except VersionConflict as exc:
                _fail(write, exc)
            except Exception as exc:
                logger.error("journal commit failed (%s)", type(exc).__name__)
                _fail(write, JournalUnavailable())
        self._finish(durable)

    async def _write(self, batch: list[PendingWrite]) -> None:
        events = [row for write in batch for row in _event_rows(write)]
        summaries = [row for write in batch for row in _summary_rows(write)]
        values = [_session_values(write) for write in batch]
        async with self.engine.begin() as conn:
            if self._update_many or len(values) == 1:
                result = await conn.execute(_UPDATE_SESSION, values)
                if result.rowcount != len(values):
                    raise VersionConflict()
            else:  # PostgreSQL: one UPDATE … FROM (VALUES …) that says which rows it changed
                updated = (await conn.execute(_UPDATE_MANY_PG, _update_many_pg_params(values))).fetchall()
                if len(updated) != len(values):
                    raise VersionConflict()
            if events:
                await conn.execute(insert(EVENTS), events)
            if summaries:
                await conn.execute(insert(SUMMARIES), summaries)
            for write in batch:
                # A session that just ended (and had started) leaves summaries, and its progress counts
                # with them: one small read of its own events, only when a session ends.
                if write.summaries and write.state.started_at is not None:
                    started = _from_timestamp(write.state.started_at)
                    rows = await rollups_for_session(conn, write.session_id, started)  # type: ignore[arg-type]
                    if rows:
                        await insert_rollups(conn, rows)

    def _finish(self, batch: list[PendingWrite]) -> None:
        self.commits += 1
        try:
            self.on_durable(batch)
        except Exception as exc:  # delivery must never lose the acknowledgement of what is stored
            logger.error("delivering a commit failed: %s", type(exc).__name__)
        for write in batch:
            if not write.done.done():
                write.done.set_result(None)


def _fail(write: PendingWrite, error: BaseException) -> None:
    if not write.done.done():
        write.done.set_exception(error)
        write.done.exception()  # mark retrieved: nobody may be waiting (a deadline's write)


async def create_session(
    engine: AsyncEngine,
    *,
    couple_id: uuid.UUID,
    created_by: uuid.UUID,
    partners: tuple[str, str],
    plan: Plan,
    first_speaker: str,
    facilitator_id: uuid.UUID | None = None,
    prompts: Mapping[str, DrawnPrompt] | None = None,
) -> uuid.UUID:
    """Store a new session in its lobby; raises `SessionAlreadyOpen` or `ValueError` (bad participants)."""
    state = new_session(
        plan,
        partners,
        first_speaker=first_speaker,
        facilitator=str(facilitator_id) if facilitator_id else None,
        prompts=prompts,
    )
    session_id = uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(SESSIONS).values(
                    id=session_id,
                    couple_id=couple_id,
                    created_by_id=created_by,
                    partner_a_id=uuid.UUID(partners[0]),
                    partner_b_id=uuid.UUID(partners[1]),
                    facilitator_id=facilitator_id,
                    plan_id=plan.id,
                    plan_title=plan.title,
                    status="lobby",
                    version=0,
                    state=encode_state_without_plan(state),
                    plan=msgspec.json.encode(state.plan),
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError as exc:  # someone started one at the same moment
        raise SessionAlreadyOpen(str(couple_id)) from exc
    return session_id
