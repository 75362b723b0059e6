"""One timer task for every room in the process: a heap of absolute due times against an injectable clock.

A task per room would cost memory and wake-ups for thousands of idle rooms; here one task sleeps until
the earliest due time (in naps, so a clock that jumps — a suspended host, a test — is noticed) and runs
what is due. A timer is cancelled by handle; a stale entry is skipped when it comes up.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Callable

logger = logging.getLogger("duologue.rooms.timers")


class TimerHandle:
    __slots__ = ("callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callable[[], None]) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Timers:
    def __init__(self, clock: Callable[[], float], max_nap_seconds: float = 1.0) -> None:
        self.clock = clock
        self.max_nap_seconds = max_nap_seconds
        self._heap: list[tuple[float, int, TimerHandle]] = []
        self._counter = itertools.count()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._cancelled = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="room-timers")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        handle = TimerHandle(when, callback)
        earliest = self._heap[0][0] if self._heap else None
        heapq.heappush(self._heap, (when, next(self._counter), handle))
        if earliest is None or when < earliest:
            self._changed.set()
        return handle

    def cancel(self, handle: TimerHandle | None) -> None:
        if handle is None or handle.cancelled:
            return
        handle.cancel()
        self._cancelled += 1
        if self._cancelled > 1024 and self._cancelled * 2 > len(self._heap):  # mostly dead entries: compact
            self._heap = [entry for entry in self._heap if not entry[2].cancelled]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def due(self) -> bool:
        """Whether a live timer is due now and has not run yet."""
        now = self.clock()
        return any(when <= now and not handle.cancelled for when, _, handle in self._heap)

    def __len__(self) -> int:
        return len(self._heap) - self._cancelled

    async def _run(self) -> None:
        while True:
            self._run_due()
            nap = self.max_nap_seconds
            if self._heap:
                nap = min(nap, max(0.0, self._heap[0][0] - self.clock()))
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=nap)

    def _run_due(self) -> None:
        now = self.clock()
        while self._heap and self._heap[0][0] <= now:
            _, _, handle = heapq.heappop(self._heap)
            if handle.cancelled:
                self._cancelled = max(0, self._cancelled - 1)
                continue
            handle.cancelled = True  # a handle fires once
            try:
                handle.callback()
            except Exception as exc:  # one room's failure must not stop every other room's clock
                logger.error("a room timer failed: %s", type(exc).__name__)
