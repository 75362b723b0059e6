"""Cheap clients that play the real protocol: one plain `websockets` connection per participant.

Each room is a couple. The repeatable intent is a break: a partner asks for space (`ask_space` with
`return_in_seconds` 1800) and comes back (`come_back`), over and over. The engine accepts that pair
indefinitely in a running session (one break per person at a time, no limit on how many), persists
it as events, and sends `space_requested` / `space_ended` naming the person to the partner: the
latency measured is from sending the intent to the partner receiving that event frame.

Against the relay the same clients send the same frames and the partner receiving the forwarded frame
completes the intent (there is no ack).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect

from server.live.protocol import MAX_INTENTS_PER_SECOND

SESSION_COOKIE = "duologue_session"
BREAK_SECONDS = 1800  # well inside the engine's 60 s to 24 h, and far from any return-time reminder
ANSWER_TIMEOUT = 60.0  # an intent with no answer after this long counts as unanswered
# Answers to an intent that only mean "you were already there" after an unanswered intent left the
# client unsure whether the break had started: the client re-synchronises instead of counting an error.
_RESYNC = {"already_on_break": True, "not_on_break": False}
# A well-behaved client stays under the server's per-socket limit (one frame of margin), so saturated runs
# measure the runtime, not the limiter. The relay has no such rule.
_FRAMES_PER_SECOND = MAX_INTENTS_PER_SECOND - 1
_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode


def event_loop_policy() -> None:
    """Use uvloop when installed, as uvicorn does for the app: the relay and the clients run on the same loop."""
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass
class Recorder:
    """What one measured window saw."""

    active: bool = False
    latencies: list[float] = field(default_factory=list)  # seconds, intent -> partner sees the event
    sent: int = 0
    completed: int = 0
    unanswered: int = 0
    late: int = 0  # human pace: a tick came while the previous intent was still unanswered
    resynced: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    closed: int = 0
    ended_sessions: int = 0
    loop_lag: list[float] = field(default_factory=list)  # seconds the client's own loop was late waking up


class _Pending:
    __slots__ = ("acked", "future", "kind", "ref", "seen", "sent_at")

    def __init__(self, kind: str, ref: str, needs_ack: bool, needs_seen: bool) -> None:
        self.kind, self.ref = kind, ref
        self.acked, self.seen = not needs_ack, not needs_seen
        self.sent_at = time.perf_counter()
        self.future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()


class Participant:
    def __init__(self, room: Room, side: int, who: str, url: str, cookie: str | None) -> None:
        self.room, self.side, self.who, self.url, self.cookie = room, side, who, url, cookie
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.on_break = False
        self.uncertain = False
        self.pending: _Pending | None = None
        self.recorder: Recorder | None = None
        self._refs = 0
        self._sent_at: collections.deque[float] = collections.deque(maxlen=_FRAMES_PER_SECOND)

    @property
    def partner(self) -> Participant:
        return self.room.participants[1 - self.side]

    async def connect(self, timeout: float) -> None:
        headers = {"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else None
        self.ws = await connect(
            self.url,
            additional_headers=headers,
            compression=None,
            ping_interval=None,
            proxy=None,
            open_timeout=timeout,
            close_timeout=2,
            max_size=2**20,
            max_queue=None,
            user_agent_header=None,
        )
        self.reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self._receive(raw)
        except Exception:  # noqa: S110 (a dropped connection is counted below)
            pass
        finally:
            if not self.room.fleet.closing:
                self.room.fleet.closed_sockets += 1
                if self.recorder is not None:
                    self.recorder.closed += 1
            if self.pending is not None and not self.pending.future.done():
                self.pending.future.set_result("connection_closed")

    def _receive(self, raw: str | bytes) -> None:
        if self.room.fleet.relay:
            self.partner._partner_saw()  # anything forwarded came from the partner
            return
        frame = _decode(raw)
        kind = frame.get("type")
        if kind == "event":
            name = frame.get("event")
            if name == "space_requested" or name == "space_ended":
                if frame["data"].get("who") == self.partner.who:
                    self.partner._partner_saw()
            elif name == "session_ended":
                self.room.ended = True
                if self.recorder is not None and self.side == 0:
                    self.recorder.ended_sessions += 1
        elif kind == "ack":
            pending = self.pending
            if pending is not None and frame.get("ref") == pending.ref:
                pending.acked = True
                if pending.kind in ("ask_space", "come_back"):
                    self.on_break = pending.kind == "ask_space"
                self._maybe_done()
        elif kind == "error":
            self._error(frame.get("code", "?"), frame.get("ref"))

    def _error(self, code: str, ref: str | None) -> None:
        pending = self.pending
        # Some errors cannot name the ref (e.g. rate_limited); with one intent in flight they are its answer.
        if pending is None or (ref is not None and ref != pending.ref):
            if self.recorder is not None:
                self.recorder.errors[code] += 1
            return
        if code in _RESYNC and self.uncertain:
            self.on_break = _RESYNC[code]
            self.uncertain = False
            if self.recorder is not None:
                self.recorder.resynced += 1
        elif self.recorder is not None:
            self.recorder.errors[code] += 1
        if not pending.future.done():
            pending.future.set_result(code)

    def _partner_saw(self) -> None:
        pending = self.pending
        if pending is None or pending.seen:
            return
        pending.seen = True
        if self.recorder is not None and self.recorder.active:
            self.recorder.latencies.append(time.perf_counter() - pending.sent_at)
        self._maybe_done()

    def _maybe_done(self) -> None:
        pending = self.pending
        if pending is not None and pending.acked and pending.seen and not pending.future.done():
            pending.future.set_result(None)

    async def request(self, kind: str, needs_seen: bool, timeout: float = ANSWER_TIMEOUT, **fields: Any) -> str | None:
        """Send one intent and wait for its answer: None when done, else an error code."""
        assert self.ws is not None
        self._refs += 1
        ref = f"r{self._refs}"
        if not self.room.fleet.relay:
            await self._pace()
        pending = _Pending(kind, ref, needs_ack=not self.room.fleet.relay, needs_seen=needs_seen)
        self.pending = pending
        try:
            await self.ws.send(_encode({"type": kind, "ref": ref, **fields}).decode())
            return await asyncio.wait_for(asyncio.shield(pending.future), timeout)
        except TimeoutError:
            self.uncertain = True
            return "unanswered"
        except asyncio.CancelledError:
            self.uncertain = True
            raise
        except Exception:
            return "connection_closed"
        finally:
            self.pending = None

    async def _pace(self) -> None:
        sent = self._sent_at
        if len(sent) == sent.maxlen and (wait := sent[0] + 1.0 - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        sent.append(time.perf_counter())

    async def toggle(self, recorder: Recorder, timeout: float = ANSWER_TIMEOUT) -> str | None:
        """Ask for space, or come back from it: the intent that can repeat for as long as the run lasts."""
        self.recorder = recorder
        counted = recorder.active
        if counted:
            recorder.sent += 1
        if self.on_break:
            outcome = await self.request("come_back", needs_seen=True, timeout=timeout)
        else:
            outcome = await self.request("ask_space", needs_seen=True, timeout=timeout, return_in_seconds=BREAK_SECONDS)
        if self.room.fleet.relay and outcome is None:
            self.on_break = not self.on_break
        if counted:
            if outcome is None:
                recorder.completed += 1
            elif outcome == "unanswered":
                recorder.unanswered += 1
        return outcome

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(BaseException):
                await self.reader


@dataclass
class RoomSpec:
    """Where a room's two participants connect, and as whom."""

    urls: tuple[str, str]
    who: tuple[str, str]
    cookies: tuple[str | None, str | None]


class Room:
    def __init__(self, fleet: Fleet, spec: RoomSpec) -> None:
        self.fleet = fleet
        self.ended = False
        self.participants = tuple(
            Participant(self, side, spec.who[side], spec.urls[side], spec.cookies[side]) for side in (0, 1)
        )


class Fleet:
    """Every connected room of a run; it only grows, so later levels reuse the earlier rooms."""

    def __init__(self, relay: bool) -> None:
        self.relay = relay
        self.rooms: list[Room] = []
        self.closing = False
        self.closed_sockets = 0

    async def grow(
        self, specs: list[RoomSpec], deadline: float, concurrency: int = 100, open_timeout: float = 60
    ) -> dict[str, Any]:
        """Connect new rooms (and, against the app, say `ready` in each) until done or the deadline."""
        started = time.perf_counter()
        limit = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()
        rooms = [Room(self, spec) for spec in specs]

        async def join(room: Room) -> bool:
            for participant in room.participants:
                async with limit:
                    if time.perf_counter() > deadline:
                        failures["deadline"] += 1
                        return False
                    try:
                        await participant.connect(open_timeout)
                    except Exception as exc:
                        failures[type(exc).__name__] += 1
                        return False
            if not self.relay:
                for participant in room.participants:
                    outcome = await participant.request("ready", needs_seen=False)
                    if outcome not in (None, "already_ready", "already_started"):
                        failures[f"ready:{outcome}"] += 1
                        return False
            return True

        joined = await asyncio.gather(*(join(room) for room in rooms))
        usable = [room for room, ok in zip(rooms, joined, strict=True) if ok]
        spare = [room for room, ok in zip(rooms, joined, strict=True) if not ok]
        await _close_rooms(spare, self)
        # Keep rooms in order so that "the first n rooms" stays meaningful.
        self.rooms += usable
        # Thousands of long-lived connections make each full collection of the client's heap take up to a
        # second, which would show up as the server's latency: move them out of the collector's sight.
        gc.collect()
        gc.freeze()
        seconds = time.perf_counter() - started
        return {
            "added": len(usable),
            "asked": len(specs),
            "seconds": round(seconds, 2),
            "sockets_per_second": round(2 * len(usable) / seconds, 1) if seconds else None,
            "failures": dict(failures),
        }

    def live_rooms(self, count: int) -> list[Room]:
        return [room for room in self.rooms[:count] if not room.ended]

    async def close(self) -> None:
        self.closing = True
        await _close_rooms(self.rooms, self)


async def _close_rooms(rooms: list[Room], fleet: Fleet) -> None:
    previous, fleet.closing = fleet.closing, True
    limit = asyncio.Semaphore(200)

    async def close(p: Participant) -> None:
        async with limit:
            await p.close()

    await asyncio.gather(*(close(p) for room in rooms for p in room.participants))
    fleet.closing = previous


async def _watch_loop(recorder: Recorder, tick: float = 0.01) -> None:
    """How late the client's own event loop wakes up: large values mean the client, not the server, is slow."""
    while True:
        start = time.perf_counter()
        await asyncio.sleep(tick)
        recorder.loop_lag.append(time.perf_counter() - start - tick)


@contextlib.contextmanager
def _no_collector() -> Any:
    """No cyclic garbage collection in the client while it measures: a pause there would read as server latency."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def saturate(
    rooms: list[Room], warmup: float, seconds: float, on_window: Callable[[bool], None], drain: float = 30
) -> Recorder:
    """Every participant keeps exactly one intent in flight; count what completes inside the window."""
    recorder = Recorder()
    stop = asyncio.Event()

    async def loop(participant: Participant) -> None:
        while not stop.is_set() and not participant.room.ended:
            outcome = await participant.toggle(recorder)
            if outcome == "connection_closed":
                return
            if outcome is not None and outcome not in _RESYNC:
                await asyncio.sleep(0.1)  # refused (e.g. rate_limited, busy): back off a little

    with _no_collector():
        tasks = [asyncio.create_task(loop(p)) for room in rooms for p in room.participants]
        await asyncio.sleep(warmup)
        recorder.active = True
        on_window(True)
        watch = asyncio.create_task(_watch_loop(recorder))
        await asyncio.sleep(seconds)
        watch.cancel()
        on_window(False)
        recorder.active = False
        stop.set()
        await _drain(tasks, drain)
    return recorder


async def human_pace(
    rooms: list[Room], interval: float, seconds: float, on_window: Callable[[bool], None], drain: float
) -> Recorder:
    """Each participant acts about once per `interval` seconds at a random phase; measure `seconds` of it."""
    recorder = Recorder()
    rng = random.Random(8)
    started = time.perf_counter()
    end = started + seconds

    async def loop(participant: Participant, first: float) -> None:
        tick = started + first
        while not participant.room.ended:
            now = time.perf_counter()
            if tick >= end:
                return
            if tick > now:
                await asyncio.sleep(tick - now)
            outcome = await participant.toggle(recorder, timeout=max(1.0, end + drain - time.perf_counter()))
            if outcome == "connection_closed" or outcome == "unanswered":
                return
            tick += interval * rng.uniform(0.8, 1.2)
            if tick < time.perf_counter():
                recorder.late += 1
                tick = time.perf_counter()

    with _no_collector():
        recorder.active = True
        on_window(True)
        watch = asyncio.create_task(_watch_loop(recorder))
        tasks = [asyncio.create_task(loop(p, rng.uniform(0, interval))) for room in rooms for p in room.participants]
        await _drain(tasks, seconds + drain + 5)
        watch.cancel()
        on_window(False)  # the window closes when the last intent sent in it is answered (or given up)
        recorder.active = False
    return recorder


async def _drain(tasks: list[asyncio.Task[None]], timeout: float) -> None:
    if not tasks:
        return
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
