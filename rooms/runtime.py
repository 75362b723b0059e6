"""The live runtime: each live session is a room held in memory by the one process that owns it.

The owner applies intents and deadlines through the pure engine at once, in memory; the resulting events
are numbered and handed to the journal's group commit. Only when they are durable are they delivered
(to sockets in this process directly, to other processes' sockets through the cluster) and the intent
acknowledged. A process that does not own a session forwards its sockets' intents to the owner.

Presence is decided by the owner from every process's sockets (the cluster records them), so partners
on different processes see each other; a process that starts or stops never pauses a session it does
not own. When an owner dies its lease runs out and another process takes the session over from the
journal within seconds, firing each deadline exactly once (writes are fenced by the session's version).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine

from exercises import (
    Abandon,
    Away,
    Back,
    End,
    Intent,
    IntentRejected,
    Plan,
    apply,
    build_summary,
    decode_intent,
    next_wakeup,
    on_deadline,
)
from exercises.intents import SYSTEM
from exercises.prompts import DrawnPrompt
from exercises.state import SessionState
from exercises.summary import keeps_summaries, summary_to_markdown
from exercises.views import is_away, snapshot_for
from rooms import journal, messages
from rooms.cluster import Cluster, LocalCluster, retry_forever
from rooms.journal import SessionAlreadyOpen as SessionAlreadyOpen  # raised by open_session
from rooms.journal import StoredEvent
from rooms.rate import PerSecond
from rooms.timers import TimerHandle, Timers

logger = logging.getLogger("duologue.rooms")

Transition = Callable[[SessionState, float], tuple[SessionState, list[Any]]]

REPLAY_LIMIT = 1000  # beyond this many missed events a snapshot is cheaper than a replay
NO_SEQ = -1


class SessionNotFound(Exception):
    pass


class BadSequence(Exception):
    """A client claimed to have seen an event that does not exist yet."""


class Busy(Exception):
    """More than the server can take right now; nothing changed. Try again after `retry_after` seconds."""

    def __init__(self, retry_after: float = 1.0) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


class RateLimited(Exception):
    """One participant sent more intents per second than allowed (all their sockets together)."""


class TooManyConnections(Exception):
    """This participant already has the most sockets open to this session that we allow."""


class _NotOwner(Exception):
    """This process no longer owns the room (its lease ran out or another process wrote first)."""


class Connection(Protocol):
    """One socket, as the server holds it."""

    id: str
    participant: str
    signin: str | None

    def push(self, frame: bytes, seq: int | None) -> None: ...

    def close(self, code: int, reason: str, frame: bytes | None = None) -> None: ...


class FrameCodec(Protocol):
    """The wire format belongs to the server; the runtime encodes each event once through this."""

    def event(self, event: StoredEvent) -> bytes: ...

    def presence(self, connected: list[str], server_time: float) -> bytes: ...


@dataclass
class RuntimeConfig:
    grace_seconds: float = 10.0
    abandon_after_seconds: float = 30 * 60
    max_nap_seconds: float = 1.0
    max_connections_per_participant: int = 5
    max_intents_per_second: int = 20
    max_pending_events: int = 20_000
    renew_seconds: float = 1.5
    sweep_seconds: float = 2.0
    request_timeout_seconds: float = 2.5


@dataclass
class CatchUp:
    """What a (re)connecting participant needs: either the events they missed or a full snapshot."""

    version: int
    connected: list[str]
    events: list[StoredEvent] | None = None
    snapshot: dict[str, Any] | None = None


@dataclass(eq=False, slots=True)
class Room:
    id: uuid.UUID
    state: SessionState
    version: int
    durable_state: SessionState
    durable_version: int
    conns: dict[str, tuple[str, str]] = field(default_factory=dict)  # connection id -> (process, participant)
    deadline: TimerHandle | None = None
    deadline_at: float | None = None
    abandon: TimerHandle | None = None
    grace: dict[str, TimerHandle] = field(default_factory=dict)
    rates: dict[str, PerSecond] = field(default_factory=dict)
    watched: asyncio.Future[None] | None = None
    dropped: bool = False

    def connected(self) -> list[str]:
        return sorted({participant for _, participant in self.conns.values()})

    def sockets_of(self, participant: str) -> int:
        return sum(1 for _, p in self.conns.values() if p == participant)

    @property
    def participants(self) -> list[str]:
        return participants_of(self.state)


def participants_of(state: SessionState) -> list[str]:
    return [*state.partners, *([state.facilitator] if state.facilitator else [])]


class LiveRuntime:
    def __init__(
        self,
        engine: AsyncEngine,
        codec: FrameCodec,
        *,
        cluster: Cluster | None = None,
        config: RuntimeConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.codec = codec
        self.cluster: Cluster = cluster or LocalCluster()
        self.config = config or RuntimeConfig()
        self.clock = clock
        self.rooms: dict[uuid.UUID, Room] = {}
        self.local: dict[uuid.UUID, dict[str, Connection]] = {}
        self._by_id: dict[str, Connection] = {}
        self.timers = Timers(clock, self.config.max_nap_seconds)
        self.writer = journal.JournalWriter(engine, self._on_durable, max_pending_events=self.config.max_pending_events)
        self._loading: dict[uuid.UUID, asyncio.Future[Room | None]] = {}
        self._owners: dict[uuid.UUID, str] = {}  # who runs sessions we forward to (dropped when they stop)
        self._requests: dict[int, asyncio.Future[messages.Reply]] = {}
        self._request_ids = itertools.count(1)
        self._tasks: list[asyncio.Task[None]] = []
        self._background: set[asyncio.Task[Any]] = set()
        self.intents_applied = 0

    # ================================================================== life

    async def start(self) -> None:
        self.writer.start()
        self.timers.start()
        await self.cluster.start(self._on_message)
        self._tasks.append(asyncio.create_task(retry_forever("sweep", self.sweep, self.config.sweep_seconds)))
        if self.cluster.scaled:
            self._tasks.append(
                asyncio.create_task(retry_forever("lease renewal", self.renew, self.config.renew_seconds))
            )

    async def close(self) -> None:
        """Stop cleanly: commit what is queued, then give the sessions up so another process takes them.

        Every step is bounded: a shutdown must finish even if the database or Redis has stopped answering
        (what was not committed was not acknowledged either, and the next owner carries on from the journal).
        """
        for task in self._tasks:
            task.cancel()
        if self._tasks:  # a database or Redis call may swallow a cancellation: never wait for ever
            await asyncio.wait(self._tasks, timeout=3)
        await _bounded(self.writer.close(), 10)
        await _bounded(self.timers.close(), 3)
        owned = [room.id for room in self.rooms.values() if not room.dropped]
        for room in list(self.rooms.values()):
            self._drop(room)
        if self.cluster.scaled and owned:
            await _bounded(self.cluster.release(owned), 3)
            self.cluster.broadcast(messages.encode(messages.Released([str(s) for s in owned])))
        for task in list(self._background):
            task.cancel()
        await _bounded(self.cluster.close(), 10)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ================================================================== opening and reading sessions

    async def open_session(
        self,
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
        session_id = await journal.create_session(
            self.engine,
            couple_id=couple_id,
            created_by=created_by,
            partners=partners,
            plan=plan,
            first_speaker=first_speaker,
            facilitator_id=facilitator_id,
            prompts=prompts,
        )
        self._spawn(self._room_if_mine(session_id))  # take it now, so its lobby is timed from the start
        return session_id

    async def timeline(self, session_id: uuid.UUID, viewer: str) -> list[StoredEvent]:
        """Every stored event the viewer may read, in order."""
        loaded = await journal.load(self.engine, session_id)
        if loaded is None:
            raise SessionNotFound(str(session_id))
        return await journal.read_events(self.engine, session_id, 0, loaded.version, viewer)

    async def end(self, session_id: uuid.UUID, by: str) -> None:
        with contextlib.suppress(IntentRejected, SessionNotFound):
            await self.submit(session_id, by, End())

    def revoke(self, session_id: uuid.UUID, participant: str, code: int, reason: str, frame: bytes | None) -> None:
        """Close this participant's sockets to this session, on every process, at once."""
        self.cluster.broadcast(
            messages.encode(messages.CloseParticipant(str(session_id), participant, code, reason, frame))
        )

    def close_sign_ins(
        self, participant: str, code: int, frame: bytes | None, *, ended: str | None = None, keep: str | None = None
    ) -> None:
        """Close, on every process, this person's sockets of the sign-in `ended` (or of every sign-in but
        `keep`; all of them when both are None)."""
        message = messages.CloseSignins(participant, code, "signed_out", frame, ended=ended, keep=keep)
        self.cluster.broadcast(messages.encode(message))

    # ================================================================== intents

    async def submit(self, session_id: uuid.UUID, participant: str, intent: Intent) -> int | None:
        """Apply one intent and wait until it is durable; returns the last event's number (None: no change).

        Raises `IntentRejected`, `SessionNotFound`, `Busy` or `RateLimited`; nothing changed in each case.
        """
        for _attempt in range(6):
            room = await self._room_if_mine(session_id)
            if room is not None:
                try:
                    return await self._apply_and_wait(room, participant, intent)
                except _NotOwner:
                    continue
            owner = await self._owner_of(session_id)
            if owner is None or owner == self.cluster.proc_id:
                self._owners.pop(session_id, None)
                continue  # free (its owner just left): take it on the next turn
            request = next(self._request_ids)
            message = messages.Forward(
                str(session_id), participant, msgspec.json.encode(intent), request, self.cluster.proc_id
            )
            reply = await self._ask(owner, request, messages.encode(message))
            if reply is None or reply.code == "not_owner":
                self._owners.pop(session_id, None)
                await asyncio.sleep(0.2)  # the owner is changing hands
                continue
            if reply.ok:
                return reply.seq
            _raise_reply(reply)
        raise Busy(2.0)

    async def _apply_and_wait(self, room: Room, actor: str, intent: Intent) -> int | None:
        self._check_rate(room, actor)
        if self.writer.overloaded:
            raise Busy(1.0)
        done, last = self._transition(room, lambda state, now: apply(state, actor, intent, now))
        self.intents_applied += 1
        if done is None:
            return None
        try:
            await asyncio.shield(done)
        except journal.VersionConflict as exc:
            raise _NotOwner() from exc
        except journal.JournalUnavailable as exc:
            raise Busy(2.0) from exc
        return last

    def _check_rate(self, room: Room, actor: str) -> None:
        rate = room.rates.get(actor)
        if rate is None:
            rate = room.rates[actor] = PerSecond(self.config.max_intents_per_second)
        if rate.over(time.monotonic()):
            raise RateLimited()

    def _transition(self, room: Room, step: Transition) -> tuple[asyncio.Future[None] | None, int | None]:
        """Apply in memory at once and queue the write; raises `IntentRejected` with nothing changed."""
        if room.dropped:
            raise _NotOwner()
        now = self.clock()
        old = room.state
        new_state, events = step(old, now)
        if not events and new_state == old:
            return None, None
        base = room.version
        stored = [
            StoredEvent(base + 1 + i, e.type, msgspec.to_builtins(e.payload), e.audience, now)
            for i, e in enumerate(events)
        ]
        summaries: list[journal.Summary] = []
        if new_state.phase == "ended" and old.phase != "ended" and keeps_summaries(new_state):
            for partner in new_state.partners:
                summary = build_summary(new_state, partner)
                summaries.append(
                    journal.Summary(uuid.UUID(partner), msgspec.to_builtins(summary), summary_to_markdown(summary))
                )
        room.state = new_state
        room.version = stored[-1].seq if stored else base
        done = self.writer.append(room.id, base, new_state, stored, summaries)
        if room.watched is not done:
            room.watched = done
            done.add_done_callback(lambda f, room=room: self._written(room, f))
        self._schedule(room)
        return done, room.version

    def _system(self, room: Room, intent: Intent) -> None:
        # Rejections are expected here (e.g. marking away someone in a session that just ended).
        with contextlib.suppress(IntentRejected, _NotOwner):
            self._transition(room, lambda state, now: apply(state, SYSTEM, intent, now))

    def _written(self, room: Room, done: asyncio.Future[None]) -> None:
        if done.cancelled() or done.exception() is None:
            return
        if isinstance(done.exception(), journal.VersionConflict):
            logger.warning("session %s is now run by another process", room.id)
            self._drop(room)
            return
        # The database did not take it: go back to what is stored; timers re-arm from there and retry.
        self.writer.discard(room.id, journal.JournalUnavailable())
        room.state, room.version = room.durable_state, room.durable_version
        room.watched = None
        self._schedule(room, not_before=self.clock() + 1.0)

    def _on_durable(self, writes: list[journal.PendingWrite]) -> None:
        remote: dict[str, list[tuple[str, int, bytes]]] = collections.defaultdict(list)
        for write in writes:
            room = self.rooms.get(write.session_id)
            if room is None or room.dropped:
                continue
            room.durable_state, room.durable_version = write.state, write.version
            for event in write.events:
                frame = self.codec.event(event)
                for conn_id, (proc, participant) in room.conns.items():
                    if event.visible_to(participant):
                        self._deliver(conn_id, proc, event.seq, frame, remote)
            if write.state.phase == "ended" and room.state.phase == "ended":
                self._finish(room)
        self._send_remote(remote)

    def _deliver(
        self, conn_id: str, proc: str, seq: int, frame: bytes, remote: dict[str, list[tuple[str, int, bytes]]]
    ) -> None:
        if proc == self.cluster.proc_id:
            conn = self._by_id.get(conn_id)
            if conn is not None:
                conn.push(frame, None if seq == NO_SEQ else seq)
        else:
            remote[proc].append((conn_id, seq, frame))

    def _send_remote(self, remote: dict[str, list[tuple[str, int, bytes]]]) -> None:
        for proc, items in remote.items():
            self.cluster.send(proc, messages.encode(messages.Deliver(items)))

    # ================================================================== time

    def _schedule(self, room: Room, not_before: float | None = None) -> None:
        state = room.state
        if state.phase == "ended":
            self._cancel_timers(room)
            return
        wake = next_wakeup(state)
        if wake is not None and not_before is not None:
            wake = max(wake, not_before)
        if wake != room.deadline_at or (room.deadline is not None and room.deadline.cancelled):
            self.timers.cancel(room.deadline)
            room.deadline, room.deadline_at = None, wake
            if wake is not None:
                room.deadline = self.timers.call_at(wake, lambda: self._fire_deadline(room))
        if not room.conns:
            self._schedule_abandon(room)

    def _fire_deadline(self, room: Room) -> None:
        room.deadline, room.deadline_at = None, None
        if room.dropped:
            return
        try:
            done, _ = self._transition(room, on_deadline)
        except _NotOwner:
            return
        if done is None:
            self._schedule(room)

    def _schedule_abandon(self, room: Room) -> None:
        if room.abandon is not None and not room.abandon.cancelled:
            return
        base = self.clock()
        for pause in room.state.pauses:  # a break's return time counts, not the moment people left
            if pause.kind == "space" and pause.return_at is not None:
                base = max(base, pause.return_at)
        room.abandon = self.timers.call_at(base + self.config.abandon_after_seconds, lambda: self._abandon(room))

    def _abandon(self, room: Room) -> None:
        room.abandon = None
        if room.dropped or room.conns:
            return  # someone came back
        self._system(room, Abandon())

    def _cancel_timers(self, room: Room) -> None:
        self.timers.cancel(room.deadline)
        self.timers.cancel(room.abandon)
        for handle in room.grace.values():
            self.timers.cancel(handle)
        room.deadline = room.abandon = None
        room.deadline_at = None
        room.grace.clear()

    # ================================================================== presence

    async def attach(self, session_id: uuid.UUID, connection: Connection, since: int | None) -> CatchUp:
        """Count a new socket as present (wherever the owner is), then say what it missed.

        Raises `TooManyConnections`, `BadSequence` or `SessionNotFound`. The socket's frames queue in the
        connection from the moment it is counted; the caller sends the catch-up first, then those.
        """
        self.local.setdefault(session_id, {})[connection.id] = connection
        self._by_id[connection.id] = connection
        try:
            await self.cluster.register(session_id, connection.id, connection.participant)
            connected = await self._count_in(session_id, connection)
            return await self._catch_up(session_id, connection.participant, since, connected)
        except BaseException:
            await self.detach(session_id, connection)
            raise

    async def _count_in(self, session_id: uuid.UUID, connection: Connection) -> list[str]:
        for _attempt in range(6):
            room = await self._room_if_mine(session_id)
            if room is not None:
                refusal = self._connect(room, connection.id, self.cluster.proc_id, connection.participant)
                if refusal:
                    raise TooManyConnections()
                return room.connected()
            owner = await self._owner_of(session_id)
            if owner is None or owner == self.cluster.proc_id:
                self._owners.pop(session_id, None)
                continue
            request = next(self._request_ids)
            message = messages.Attach(
                str(session_id), connection.id, connection.participant, request, self.cluster.proc_id
            )
            reply = await self._ask(owner, request, messages.encode(message))
            if reply is None or reply.code == "not_owner":
                self._owners.pop(session_id, None)
                await asyncio.sleep(0.2)
                continue
            if reply.code == "too_many_connections":
                raise TooManyConnections()
            if reply.code == "session_not_found":
                raise SessionNotFound(str(session_id))
            return reply.connected
        raise Busy(2.0)

    async def _catch_up(
        self, session_id: uuid.UUID, participant: str, since: int | None, connected: list[str]
    ) -> CatchUp:
        room = self.rooms.get(session_id)
        if room is not None and not room.dropped:
            state, version = room.durable_state, room.durable_version
        else:
            loaded = await journal.load(self.engine, session_id)
            if loaded is None:
                raise SessionNotFound(str(session_id))
            state, version = loaded.state, loaded.version
        if since is not None and since > version:
            raise BadSequence(f"{since} > {version}")
        if since is not None and since >= 0 and version - since <= REPLAY_LIMIT:
            missed = await journal.read_events(self.engine, session_id, since, version, participant)
            return CatchUp(version, connected, events=missed)
        return CatchUp(version, connected, snapshot=snapshot_for(state, participant, self.clock()))

    async def detach(self, session_id: uuid.UUID, connection: Connection) -> None:
        conns = self.local.get(session_id)
        if conns is not None:
            conns.pop(connection.id, None)
            if not conns:
                del self.local[session_id]
        self._by_id.pop(connection.id, None)
        room = self.rooms.get(session_id)
        if room is not None and not room.dropped:
            self._disconnect(room, connection.id)
        else:
            with contextlib.suppress(Exception):
                owner = await self.cluster.owner(session_id)
                if owner is not None:
                    self.cluster.send(owner, messages.encode(messages.Detach(str(session_id), connection.id)))
        with contextlib.suppress(Exception):
            await self.cluster.unregister(session_id, connection.id)

    def _connect(self, room: Room, conn_id: str, proc: str, participant: str) -> str | None:
        if conn_id not in room.conns and room.sockets_of(participant) >= self.config.max_connections_per_participant:
            return "too_many_connections"
        first = participant not in room.connected()
        room.conns[conn_id] = (proc, participant)
        if first:
            self.timers.cancel(room.grace.pop(participant, None))
            self.timers.cancel(room.abandon)
            room.abandon = None
            if is_away(room.state, participant):
                self._system(room, Back(participant=participant))
        self._announce_presence(room)
        return None

    def _disconnect(self, room: Room, conn_id: str) -> None:
        entry = room.conns.pop(conn_id, None)
        if entry is None:
            return
        participant = entry[1]
        if participant not in room.connected():
            # Several tabs count once, and a brief drop (a train tunnel) is not shown as leaving.
            self._start_grace(room, participant)
        if not room.conns:
            self._schedule_abandon(room)

    def _start_grace(self, room: Room, participant: str) -> None:
        self.timers.cancel(room.grace.get(participant))
        when = self.clock() + self.config.grace_seconds
        room.grace[participant] = self.timers.call_at(when, lambda: self._grace_over(room, participant))

    def _grace_over(self, room: Room, participant: str) -> None:
        room.grace.pop(participant, None)
        if room.dropped or participant in room.connected():
            return  # they came back in time
        state = room.state
        if state.phase != "ended" and participant in participants_of(state) and not is_away(state, participant):
            self._system(room, Away(participant=participant))
        self._announce_presence(room)

    def _announce_presence(self, room: Room) -> None:
        frame = self.codec.presence(room.connected(), self.clock())
        remote: dict[str, list[tuple[str, int, bytes]]] = collections.defaultdict(list)
        for conn_id, (proc, _participant) in room.conns.items():
            self._deliver(conn_id, proc, NO_SEQ, frame, remote)
        self._send_remote(remote)

    def connected(self, session_id: uuid.UUID) -> list[str]:
        room = self.rooms.get(session_id)
        return room.connected() if room is not None else []

    # ================================================================== ownership

    async def _room_if_mine(self, session_id: uuid.UUID) -> Room | None:
        """The room when this process owns it (taking it when nobody does); None when another does."""
        room = self.rooms.get(session_id)
        if room is not None and not room.dropped:
            return room
        loading = self._loading.get(session_id)
        if loading is not None:
            return await asyncio.shield(loading)
        future: asyncio.Future[Room | None] = asyncio.get_running_loop().create_future()
        self._loading[session_id] = future
        try:
            room = await self._take(session_id)
            future.set_result(room)
            return room
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            del self._loading[session_id]

    async def _take(self, session_id: uuid.UUID) -> Room | None:
        if not await self.cluster.acquire(session_id):
            return None
        loaded = await journal.load(self.engine, session_id)
        if loaded is None:
            await self.cluster.release([session_id])
            raise SessionNotFound(str(session_id))
        shared = await self.cluster.connections(session_id) if self.cluster.scaled else {}
        alive = await self.cluster.alive({proc for proc, _ in shared.values()})
        stale = [conn_id for conn_id, (proc, _) in shared.items() if proc not in alive]
        if stale:
            await self.cluster.forget(session_id, stale)
        room = Room(session_id, loaded.state, loaded.version, loaded.state, loaded.version)
        room.conns = {conn_id: entry for conn_id, entry in shared.items() if entry[0] in alive}
        for conn in self.local.get(session_id, {}).values():
            room.conns[conn.id] = (self.cluster.proc_id, conn.participant)
        self.rooms[session_id] = room
        if room.state.phase == "ended":
            return room
        if room.state.phase == "running":  # in the lobby, someone absent is simply not here yet
            connected = room.connected()
            for participant in room.participants:
                if participant not in connected and not is_away(room.state, participant):
                    self._start_grace(room, participant)  # they may be reconnecting to another process now
        self._schedule(room)
        return room

    def _finish(self, room: Room) -> None:
        """An ended session needs no owner: forget it (a late socket reads it from the journal)."""
        self._cancel_timers(room)
        if self.rooms.get(room.id) is room:
            del self.rooms[room.id]
        room.dropped = True
        if self.cluster.scaled:
            self._spawn(self.cluster.release([room.id]))

    def _drop(self, room: Room) -> None:
        room.dropped = True
        self._cancel_timers(room)
        self.writer.discard(room.id, journal.VersionConflict())
        if self.rooms.get(room.id) is room:
            del self.rooms[room.id]

    async def renew(self) -> None:
        """Keep our leases and our heartbeat; forget sockets of processes that died."""
        await self.cluster.heartbeat()
        owned = [room.id for room in self.rooms.values() if not room.dropped]
        for session_id in await self.cluster.renew(owned):
            room = self.rooms.get(session_id)
            if room is not None:
                logger.warning("lost the lease of session %s", session_id)
                self._drop(room)
        procs = {proc for room in self.rooms.values() for proc, _ in room.conns.values()}
        procs.discard(self.cluster.proc_id)
        dead = procs - await self.cluster.alive(procs)
        for room in list(self.rooms.values()):
            for conn_id, (proc, _participant) in list(room.conns.items()):
                if proc in dead:
                    self._disconnect(room, conn_id)
                    with contextlib.suppress(Exception):
                        await self.cluster.unregister(room.id, conn_id)

    async def sweep(self) -> None:
        """Give every open session an owner, so its deadlines and abandonment fire with nobody connected."""
        open_ids = [s for s in await journal.open_session_ids(self.engine) if s not in self.rooms]
        if not open_ids:
            return
        taken = await self.cluster.leased(open_ids)
        for session_id in open_ids:
            if session_id not in taken and session_id not in self.rooms:
                with contextlib.suppress(SessionNotFound):
                    await self._room_if_mine(session_id)

    # ================================================================== between processes

    async def _owner_of(self, session_id: uuid.UUID) -> str | None:
        owner = self._owners.get(session_id)
        if owner is None:
            owner = await self.cluster.owner(session_id)
            if owner is not None and owner != self.cluster.proc_id:
                if len(self._owners) > 100_000:
                    self._owners.clear()
                self._owners[session_id] = owner
        return owner

    async def _ask(self, proc: str, request: int, data: bytes) -> messages.Reply | None:
        future: asyncio.Future[messages.Reply] = asyncio.get_running_loop().create_future()
        self._requests[request] = future
        try:
            self.cluster.send(proc, data)
            return await asyncio.wait_for(future, timeout=self.config.request_timeout_seconds)
        except TimeoutError:
            return None
        finally:
            self._requests.pop(request, None)

    def _on_message(self, data: bytes) -> None:
        message = messages.decode(data)
        if isinstance(message, messages.Deliver):
            for conn_id, seq, frame in message.items:
                conn = self._by_id.get(conn_id)
                if conn is not None:
                    conn.push(frame, None if seq == NO_SEQ else seq)
        elif isinstance(message, messages.Reply):
            future = self._requests.get(message.request)
            if future is not None and not future.done():
                future.set_result(message)
        elif isinstance(message, messages.Forward):
            self._spawn(self._serve_forward(message))
        elif isinstance(message, messages.Attach):
            self._serve_attach(message)
        elif isinstance(message, messages.Detach):
            room = self.rooms.get(uuid.UUID(message.session))
            if room is not None and not room.dropped:
                self._disconnect(room, message.connection)
        elif isinstance(message, messages.CloseParticipant):
            for conn in list(self.local.get(uuid.UUID(message.session), {}).values()):
                if conn.participant == message.participant:
                    conn.close(message.code, message.reason, message.frame)
        elif isinstance(message, messages.CloseSignins):
            for conn in list(self._by_id.values()):
                if conn.participant != message.participant:
                    continue
                if message.ended is not None:
                    ends = conn.signin == message.ended
                else:
                    ends = message.keep is None or conn.signin != message.keep
                if ends:
                    conn.close(message.code, message.reason, message.frame)
        elif isinstance(message, messages.Released):
            for session in message.sessions:
                session_id = uuid.UUID(session)
                self._owners.pop(session_id, None)
                if session_id in self.local and session_id not in self.rooms:
                    self._spawn(self._room_if_mine(session_id))

    def _reply(self, proc: str, reply: messages.Reply) -> None:
        self.cluster.send(proc, messages.encode(reply))

    async def _serve_forward(self, message: messages.Forward) -> None:
        session_id = uuid.UUID(message.session)
        room = self.rooms.get(session_id)
        if room is None or room.dropped:
            self._reply(message.reply_to, messages.Reply(message.request, ok=False, code="not_owner"))
            return
        try:
            intent = decode_intent(message.intent)
            seq = await self._apply_and_wait(room, message.participant, intent)
            reply = messages.Reply(message.request, seq=seq)
        except IntentRejected as exc:
            reply = messages.Reply(message.request, ok=False, code=exc.code, message=exc.message)
        except _NotOwner:
            reply = messages.Reply(message.request, ok=False, code="not_owner")
        except Busy as exc:
            reply = messages.Reply(message.request, ok=False, code="busy", retry_after=exc.retry_after)
        except RateLimited:
            reply = messages.Reply(message.request, ok=False, code="rate_limited")
        except Exception as exc:  # logged by type only: the intent may quote someone's words
            logger.error("forwarded intent for session %s failed: %s", session_id, type(exc).__name__)
            reply = messages.Reply(message.request, ok=False, code="busy", retry_after=1.0)
        self._reply(message.reply_to, reply)

    def _serve_attach(self, message: messages.Attach) -> None:
        room = self.rooms.get(uuid.UUID(message.session))
        if room is None or room.dropped:
            self._reply(message.reply_to, messages.Reply(message.request, ok=False, code="not_owner"))
            return
        refusal = self._connect(room, message.connection, message.reply_to, message.participant)
        if refusal:
            self._reply(message.reply_to, messages.Reply(message.request, ok=False, code=refusal))
            return
        self._reply(message.reply_to, messages.Reply(message.request, connected=room.connected()))


async def _bounded(step: Any, seconds: float) -> None:
    try:
        await asyncio.wait_for(step, timeout=seconds)
    except Exception as exc:  # logged by type only, and shutting down goes on
        logger.error("shutting down: a step failed or took too long (%s)", type(exc).__name__)


def _raise_reply(reply: messages.Reply) -> None:
    if reply.code == "busy":
        raise Busy(reply.retry_after or 1.0)
    if reply.code == "rate_limited":
        raise RateLimited()
    raise IntentRejected(reply.code or "not_allowed", reply.message or "That was not possible just now.")
