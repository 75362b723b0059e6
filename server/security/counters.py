"""Attempt counters with one atomic increment-with-expiry, in memory or in Redis.

Counting *before* the expensive or sensitive check is what makes a throttle hold under parallel
requests: 30 guesses sent at once all see counts 1..30, so only the first few are let through.
Windows are fixed: the first attempt starts one, and it expires as a whole.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis


@dataclass(frozen=True)
class Hit:
    count: int  # attempts in the current window, this one included
    retry_after_seconds: int  # until the window ends


class AttemptCounter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> Hit: ...

    async def reset(self, key: str) -> None: ...

    async def close(self) -> None: ...


@dataclass
class MemoryCounter:
    """One process: the increment has no `await` inside, so the event loop makes it atomic."""

    clock: object = time.monotonic
    _windows: dict[str, tuple[int, float]] = field(default_factory=dict)

    async def hit(self, key: str, window_seconds: int) -> Hit:
        now = self.clock()  # type: ignore[operator]
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window_seconds
            if len(self._windows) > 100_000:  # a flood of distinct keys must not grow memory forever
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        self._windows[key] = (count + 1, ends)
        # Rounded to the millisecond first: (now + 900) - now can be 900.0000000001, which would say 901.
        return Hit(count + 1, max(1, math.ceil(round(ends - now, 3))))

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    async def close(self) -> None:
        return None


# INCR and the expiry in one server-side step: no other client can slip in between them.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


class RedisCounter:
    """Shared by every process; one Lua script per attempt."""

    def __init__(self, url: str, namespace: str) -> None:
        self._redis = Redis.from_url(url)
        self._prefix = f"{namespace}:attempts:"
        self._script = self._redis.register_script(_HIT_SCRIPT)

    async def hit(self, key: str, window_seconds: int) -> Hit:
        count, ttl_ms = await self._script(keys=[self._prefix + key], args=[window_seconds * 1000])
        return Hit(int(count), max(1, math.ceil(int(ttl_ms) / 1000)))

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def close(self) -> None:
        await self._redis.aclose()


def build_counter(redis_url: str | None, namespace: str) -> AttemptCounter:
    return RedisCounter(redis_url, namespace) if redis_url else MemoryCounter()
