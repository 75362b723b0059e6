"""What processes share about live rooms: who owns a session (a lease), who is connected where, and a
way to message another process. One process needs none of it (`LocalCluster`); several use Redis.

Ownership: a session is run by one process at a time, which holds `lease:<session>` (SET NX PX, renewed
every few seconds). Presence: each socket is recorded in `conns:<session>` (connection id -> process and
participant) by the process that holds it, so a new owner knows who is connected where; a process is
alive while its `proc:<id>` key is. Messages: an inbox channel per process and one broadcast channel,
on redis-py's pub/sub directly (pipelined publishing: measured, Litestar channels' one script call per
message capped the messages between two processes at a few hundred a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

import msgspec
from redis.asyncio import Redis

logger = logging.getLogger("duologue.rooms.cluster")


class Cluster(Protocol):
    proc_id: str
    scaled: bool

    async def start(self, on_message: Callable[[bytes], None]) -> None: ...
    async def close(self) -> None: ...
    async def acquire(self, session_id: uuid.UUID) -> bool: ...
    async def release(self, session_ids: Iterable[uuid.UUID]) -> None: ...
    async def owner(self, session_id: uuid.UUID) -> str | None: ...
    async def renew(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]: ...
    async def leased(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]: ...
    async def register(self, session_id: uuid.UUID, connection: str, participant: str) -> None: ...
    async def unregister(self, session_id: uuid.UUID, connection: str) -> None: ...
    async def connections(self, session_id: uuid.UUID) -> dict[str, tuple[str, str]]: ...
    async def forget(self, session_id: uuid.UUID, connections: list[str]) -> None: ...
    async def alive(self, procs: set[str]) -> set[str]: ...
    async def heartbeat(self) -> None: ...
    def send(self, proc: str, data: bytes) -> None: ...
    def broadcast(self, data: bytes) -> None: ...


class LocalCluster:
    """One process: it owns every session and holds every socket."""

    scaled = False

    def __init__(self) -> None:
        self.proc_id = uuid.uuid4().hex

    async def start(self, on_message: Callable[[bytes], None]) -> None:
        self._on_message = on_message

    async def close(self) -> None:
        return None

    async def acquire(self, session_id: uuid.UUID) -> bool:
        return True

    async def release(self, session_ids: Iterable[uuid.UUID]) -> None:
        return None

    async def owner(self, session_id: uuid.UUID) -> str | None:
        return self.proc_id

    async def renew(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        return set()

    async def leased(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        return set()

    async def register(self, session_id: uuid.UUID, connection: str, participant: str) -> None:
        return None

    async def unregister(self, session_id: uuid.UUID, connection: str) -> None:
        return None

    async def connections(self, session_id: uuid.UUID) -> dict[str, tuple[str, str]]:
        return {}

    async def forget(self, session_id: uuid.UUID, connections: list[str]) -> None:
        return None

    async def alive(self, procs: set[str]) -> set[str]:
        return {self.proc_id} & procs

    async def heartbeat(self) -> None:
        return None

    def send(self, proc: str, data: bytes) -> None:
        if proc == self.proc_id:
            self._on_message(data)

    def broadcast(self, data: bytes) -> None:
        self._on_message(data)


_RENEW = """
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
  else
    table.insert(lost, i)
  end
end
return lost
"""

_RELEASE = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 0
"""


class RedisCluster:
    """Several processes (or hosts) over one Redis."""

    scaled = True

    def __init__(
        self,
        redis: Redis,
        namespace: str,
        *,
        lease_ms: int = 5000,
        proc_ttl_ms: int = 6000,
    ) -> None:
        self.proc_id = uuid.uuid4().hex
        self.redis = redis
        self.ns = namespace
        self.lease_ms = lease_ms
        self.proc_ttl_ms = proc_ttl_ms
        self._outbox: list[tuple[str, bytes]] = []
        self._outbox_ready = asyncio.Event()
        self._closed = False
        self._tasks: list[asyncio.Task[None]] = []
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    # ---------------------------------------------------------------- names
    def _lease(self, session_id: uuid.UUID | str) -> str:
        return f"{self.ns}:lease:{session_id}"

    def _conns(self, session_id: uuid.UUID | str) -> str:
        return f"{self.ns}:conns:{session_id}"

    def _proc(self, proc: str) -> str:
        return f"{self.ns}:proc:{proc}"

    def inbox(self, proc: str) -> str:
        return f"{self.ns}.proc.{proc}"

    @property
    def everyone(self) -> str:
        return f"{self.ns}.cluster"

    # ---------------------------------------------------------------- life
    async def start(self, on_message: Callable[[bytes], None]) -> None:
        await self.heartbeat()
        ready = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._listen(on_message, ready), name="cluster-inbox"),
            asyncio.create_task(self._send_in_order(), name="cluster-outbox"),
        ]
        await asyncio.wait_for(ready.wait(), timeout=10)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._drain(), timeout=3)
        self._closed = True
        self._outbox_ready.set()
        for task in self._tasks:
            task.cancel()
        # redis-py may swallow a cancellation inside a command: never wait for ever on these tasks.
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.redis.delete(self._proc(self.proc_id)), timeout=2)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.redis.aclose(), timeout=2)

    async def _drain(self) -> None:
        while self._outbox:  # noqa: ASYNC110 - waiting for the ordered sender to empty its queue
            await asyncio.sleep(0.01)

    async def heartbeat(self) -> None:
        await self.redis.set(self._proc(self.proc_id), "1", px=self.proc_ttl_ms)

    async def _listen(self, on_message: Callable[[bytes], None], ready: asyncio.Event) -> None:
        # A pub/sub connection of its own, read by one task: the inbox is the hot path between processes.
        while not self._closed:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.inbox(self.proc_id), self.everyone)
                ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    for data in _unbundle(message["data"]):
                        try:
                            on_message(data)
                        except Exception as exc:
                            logger.error("a cluster message failed: %s", type(exc).__name__)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis went away: listen again
                logger.error("cluster inbox failed (%s); listening again", type(exc).__name__)
                await asyncio.sleep(0.5)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _send_in_order(self) -> None:
        # One sender: whatever was queued meanwhile goes out in one pipeline, in order, so what this
        # process says to another arrives in the order it was said, at one round trip per batch.
        while not self._closed:
            if not self._outbox:
                self._outbox_ready.clear()
                await self._outbox_ready.wait()
                continue
            batch, self._outbox = self._outbox, []
            bundles: dict[str, list[bytes]] = {}  # one message per destination per round trip, in order
            for channel, data in batch:
                bundles.setdefault(channel, []).append(data)
            delay = 0.05
            for _attempt in range(6):
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for channel, items in bundles.items():
                            pipe.publish(channel, _bundle(items))
                        await pipe.execute()
                    break
                except Exception as exc:
                    logger.error("cluster publish failed (%s); retrying", type(exc).__name__)
                    await asyncio.sleep(delay)
                    delay *= 2

    def send(self, proc: str, data: bytes) -> None:
        self._outbox.append((self.inbox(proc), data))
        self._outbox_ready.set()

    def broadcast(self, data: bytes) -> None:
        self._outbox.append((self.everyone, data))
        self._outbox_ready.set()

    # ---------------------------------------------------------------- leases
    async def acquire(self, session_id: uuid.UUID) -> bool:
        return bool(await self.redis.set(self._lease(session_id), self.proc_id, nx=True, px=self.lease_ms))

    async def release(self, session_ids: Iterable[uuid.UUID]) -> None:
        keys = [self._lease(s) for s in session_ids]
        for start in range(0, len(keys), 500):
            await self._release(keys=keys[start : start + 500], args=[self.proc_id])

    async def owner(self, session_id: uuid.UUID) -> str | None:
        value = await self.redis.get(self._lease(session_id))
        return value.decode() if isinstance(value, bytes) else value

    async def renew(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        lost: set[uuid.UUID] = set()
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start : start + 500]
            indices = await self._renew(keys=[self._lease(s) for s in chunk], args=[self.proc_id, self.lease_ms])
            lost.update(chunk[int(i) - 1] for i in indices)
        return lost

    async def leased(self, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start : start + 500]
            async with self.redis.pipeline(transaction=False) as pipe:
                for session_id in chunk:
                    pipe.exists(self._lease(session_id))
                results = await pipe.execute()
            found.update(s for s, exists in zip(chunk, results, strict=True) if exists)
        return found

    # ---------------------------------------------------------------- presence
    async def register(self, session_id: uuid.UUID, connection: str, participant: str) -> None:
        await self.redis.hset(self._conns(session_id), connection, f"{self.proc_id}|{participant}")

    async def unregister(self, session_id: uuid.UUID, connection: str) -> None:
        await self.redis.hdel(self._conns(session_id), connection)

    async def forget(self, session_id: uuid.UUID, connections: list[str]) -> None:
        if connections:
            await self.redis.hdel(self._conns(session_id), *connections)

    async def connections(self, session_id: uuid.UUID) -> dict[str, tuple[str, str]]:
        raw = await self.redis.hgetall(self._conns(session_id))
        found: dict[str, tuple[str, str]] = {}
        for key, value in raw.items():
            proc, _, participant = (value.decode() if isinstance(value, bytes) else value).partition("|")
            found[key.decode() if isinstance(key, bytes) else key] = (proc, participant)
        return found

    async def alive(self, procs: set[str]) -> set[str]:
        ordered = sorted(procs)
        if not ordered:
            return set()
        values = await self.redis.mget([self._proc(p) for p in ordered])
        return {p for p, v in zip(ordered, values, strict=True) if v is not None}


_bundle = msgspec.msgpack.Encoder().encode
_unbundle = msgspec.msgpack.Decoder(list[bytes]).decode


async def retry_forever(what: str, action: Callable[[], Awaitable[None]], interval: float) -> None:
    """A background duty (renewing leases, sweeping) that logs failures and keeps going."""
    while True:
        try:
            await action()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.error("%s failed: %s", what, type(exc).__name__)
        await asyncio.sleep(interval)
