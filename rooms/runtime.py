"""The live runtime: applies intents and deadlines through the pure engine, stores, publishes, keeps time.

One `Room` per live session in this process holds a lock (intents of one session are applied one at a
time, so sequence numbers and publishing order agree), the timers, and who is connected here. The
database row is the truth: every transition re-reads it and writes back fenced by its version, so a
second process (scaled mode) can never overwrite a newer state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import Abandon, Away, Back, Intent, IntentRejected, apply, next_wakeup, on_deadline
from exercises.intents import SYSTEM
from exercises.state import SessionState, decode_state
from exercises.views import is_away, snapshot_for
from rooms import journal
from rooms.fanout import Publisher, announce_presence, fan_out

logger = logging.getLogger("duologue.rooms")

Transition = Callable[[SessionState, float], tuple[SessionState, list[Any]]]

REPLAY_LIMIT = 1000  # beyond this many missed events a snapshot is cheaper than a replay


class SessionNotFound(Exception):
    pass


class BadSequence(Exception):
    """A client claimed to have seen an event that does not exist yet."""


@dataclass
class RuntimeConfig:
    grace_seconds: float = 10.0
    abandon_after_seconds: float = 30 * 60
    max_nap_seconds: float = 5.0


@dataclass
class CatchUp:
    """What a (re)connecting participant needs: either the events they missed or a full snapshot."""

    version: int
    events: list[journal.StoredEvent] | None = None
    snapshot: dict[str, Any] | None = None


@dataclass
class Room:
    id: uuid.UUID
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    participants: list[str] = field(default_factory=list)
    connections: Counter[str] = field(default_factory=Counter)
    deadline_task: asyncio.Task[None] | None = None
    abandon_task: asyncio.Task[None] | None = None
    grace_tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    def connected(self) -> list[str]:
        return sorted(p for p, n in self.connections.items() if n > 0)


def participants_of(state: SessionState) -> list[str]:
    return [*state.partners, *([state.facilitator] if state.facilitator else [])]


class LiveRuntime:
    def __init__(
        self,
        db_sessions: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        config: RuntimeConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_sessions = db_sessions
        self.publisher = publisher
        self.config = config or RuntimeConfig()
        self.clock = clock
        self.rooms: dict[uuid.UUID, Room] = {}

    # ------------------------------------------------------------------ intents and time

    async def apply_intent(self, session_id: uuid.UUID, actor: str, intent: Intent) -> list[journal.StoredEvent]:
        """Apply one intent; raises `IntentRejected` (state untouched) or `SessionNotFound`."""
        room = self._room(session_id)
        async with room.lock:
            stored, _ = await self._transition(room, lambda state, now: apply(state, actor, intent, now))
        return stored

    async def _transition(self, room: Room, step: Transition) -> tuple[list[journal.StoredEvent], SessionState]:
        for _attempt in range(5):
            async with self.db_sessions() as db:
                row = await journal.load(db, room.id)
                if row is None:
                    raise SessionNotFound(str(room.id))
                state = decode_state(row.state)
                now = self.clock()
                new_state, events = step(state, now)
                if not events and new_state == state:
                    self._schedule(room, state)
                    return [], state
                try:
                    stored = await journal.commit_transition(db, row, new_state, events, now)
                except journal.VersionConflict:
                    continue  # another process moved the session on: read again and re-apply
            room.participants = participants_of(new_state)
            self._schedule(room, new_state)  # first: a failed publish must not leave the room without a timer
            try:
                await fan_out(self.publisher, str(room.id), room.participants, stored)
            except Exception as exc:  # stored already: connected clients get it on their next reconnect
                logger.error("publishing to session %s failed: %s", room.id, type(exc).__name__)
            return stored, new_state
        raise RuntimeError(f"session {room.id} kept changing under us")

    def _schedule(self, room: Room, state: SessionState) -> None:
        _cancel(room.deadline_task)
        room.deadline_task = None
        if state.phase == "ended":
            _cancel(room.abandon_task)
            for task in room.grace_tasks.values():
                _cancel(task)
            return
        wake = next_wakeup(state)
        if wake is not None:
            room.deadline_task = asyncio.create_task(self._wake_at(room, wake))
        if not room.connected():
            self._schedule_abandon(room, state)

    async def _sleep_until(self, when: float) -> None:
        # Naps against the (injectable) clock, so a clock that jumps (a suspended host, a test) is noticed.
        while (left := when - self.clock()) > 0:  # noqa: ASYNC110 - the clock, not an event, is what we wait on
            await asyncio.sleep(min(left, self.config.max_nap_seconds))

    async def _wake_at(self, room: Room, when: float) -> None:
        await self._sleep_until(when)
        await self._retrying("deadline", room, self._fire_deadline, room)

    async def _fire_deadline(self, room: Room) -> None:
        async with room.lock:
            await self._transition(room, on_deadline)

    async def _retrying(self, what: str, room: Room, action: Callable[..., Any], *args: Any) -> None:
        """Timers must never die: a failure (database busy, publisher down) is logged and tried again."""
        delay = 1.0
        while True:
            try:
                await action(*args)
                return
            except SessionNotFound:
                return
            except Exception as exc:  # the payload is never logged (privacy), only what failed
                logger.error(
                    "%s of session %s failed (%s); retrying in %.0fs", what, room.id, type(exc).__name__, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    # ------------------------------------------------------------------ presence

    async def connect(self, session_id: uuid.UUID, participant: str) -> None:
        room = self._room(session_id)
        room.connections[participant] += 1
        if room.connections[participant] == 1:
            # Not cancelled: a timer may be mid-write. Unregistered, it finds itself stale and stops.
            room.grace_tasks.pop(participant, None)
            room.abandon_task = None
            async with room.lock:
                state = await self._state(room)
                if is_away(state, participant):  # issue 11: a facilitator's return is announced too
                    await self._system(room, Back(participant=participant))
        await announce_presence(self.publisher, str(room.id), room.participants, room.connected())

    async def disconnect(self, session_id: uuid.UUID, participant: str) -> None:
        room = self._room(session_id)
        room.connections[participant] -= 1
        if room.connections[participant] <= 0:
            del room.connections[participant]
            # Several tabs count once, and a brief drop (a train tunnel) is not shown as leaving.
            self._start_grace(room, participant)

    def _start_grace(self, room: Room, participant: str) -> None:
        when = self.clock() + self.config.grace_seconds
        room.grace_tasks[participant] = asyncio.create_task(self._after_grace(room, participant, when))

    async def _after_grace(self, room: Room, participant: str, when: float) -> None:
        await self._sleep_until(when)
        await self._retrying("presence", room, self._mark_away, room, participant, asyncio.current_task())

    async def _mark_away(self, room: Room, participant: str, task: asyncio.Task[Any] | None) -> None:
        async with room.lock:
            if room.grace_tasks.get(participant) is not task or room.connections.get(participant):
                return  # they came back in time (this timer was replaced or withdrawn)
            room.grace_tasks.pop(participant, None)
            state = await self._state(room)
            if state.phase != "ended" and participant in participants_of(state):
                if is_away(state, participant):  # issue 11
                    self._schedule(room, state)
                else:
                    await self._system(room, Away(participant=participant))
        await announce_presence(self.publisher, str(room.id), room.participants, room.connected())

    def _schedule_abandon(self, room: Room, state: SessionState) -> None:
        if room.abandon_task is not None and not room.abandon_task.done():
            return
        base = self.clock()
        for pause in state.pauses:  # a break's return time counts, not the moment people left
            if pause.kind == "space" and pause.return_at is not None:
                base = max(base, pause.return_at)
        room.abandon_task = asyncio.create_task(self._abandon_at(room, base + self.config.abandon_after_seconds))

    async def _abandon_at(self, room: Room, when: float) -> None:
        await self._sleep_until(when)
        await self._retrying("abandonment", room, self._abandon, room, asyncio.current_task())

    async def _abandon(self, room: Room, task: asyncio.Task[Any] | None) -> None:
        async with room.lock:
            if room.abandon_task is not task or room.connected():
                return  # someone came back
            room.abandon_task = None
            await self._system(room, Abandon())

    async def _system(self, room: Room, intent: Intent) -> None:
        # Rejections are expected here (e.g. marking away someone in a session that just ended).
        with contextlib.suppress(IntentRejected):
            await self._transition(room, lambda state, now: apply(state, SYSTEM, intent, now))

    # ------------------------------------------------------------------ reading

    async def _state(self, room: Room) -> SessionState:
        async with self.db_sessions() as db:
            row = await journal.load(db, room.id)
            if row is None:
                raise SessionNotFound(str(room.id))
            state = decode_state(row.state)
        room.participants = participants_of(state)
        return state

    async def catch_up(self, session_id: uuid.UUID, participant: str, since: int | None) -> CatchUp:
        """Replay exactly what `participant` missed after `since`, or a snapshot when that is not possible."""
        async with self.db_sessions() as db:
            row = await journal.load(db, session_id)
            if row is None:
                raise SessionNotFound(str(session_id))
            if since is not None and since > row.version:
                raise BadSequence(f"{since} > {row.version}")
            if since is not None and since >= 0 and row.version - since <= REPLAY_LIMIT:
                missed = await journal.events_since(db, session_id, since, row.version, participant)
                return CatchUp(row.version, events=missed)
            state = decode_state(row.state)
            return CatchUp(row.version, snapshot=snapshot_for(state, participant, self.clock()))

    def connected(self, session_id: uuid.UUID) -> list[str]:
        return self._room(session_id).connected()

    # ------------------------------------------------------------------ lifecycle

    async def recover(self) -> int:
        """After a (re)start: re-arm the timers of every session that has not ended."""
        async with self.db_sessions() as db:
            rows = await journal.live_sessions(db)
        for row in rows:
            room = self._room(row.id)
            state = decode_state(row.state)
            room.participants = participants_of(state)
            # Nobody is connected to a fresh process: pause at once (the clock stops now, not after a grace
            # period), and each partner's return resumes it.
            async with room.lock:
                for participant in state.partners:
                    if not any(p.kind == "away" and p.who == participant for p in state.pauses):
                        await self._system(room, Away(participant=participant))
                self._schedule(room, await self._state(room))
        return len(rows)

    async def close(self) -> None:
        for room in self.rooms.values():
            for task in [room.deadline_task, room.abandon_task, *room.grace_tasks.values()]:
                _cancel(task)

    def _room(self, session_id: uuid.UUID) -> Room:
        room = self.rooms.get(session_id)
        if room is None:
            room = self.rooms[session_id] = Room(session_id)
        return room


def _cancel(task: asyncio.Task[None] | None) -> None:
    # A timer reschedules from inside itself: never cancel the task that is running this code.
    if task is not None and not task.done() and task is not asyncio.current_task():
        task.cancel()
