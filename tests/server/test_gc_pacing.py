"""The collector's pacing keeps pauses short without keeping garbage for ever."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Callable

from server.gc_pacing import pace_garbage_collection


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


async def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - the collector has no event to wait on
            await asyncio.sleep(0.01)


async def test_survivors_are_frozen_and_a_cycle_that_dies_after_that_is_still_collected() -> None:
    gc.unfreeze()
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector can free it
    alive = weakref.ref(a)
    pacer = asyncio.create_task(pace_garbage_collection(interval=0.02, full_every=1.0))
    try:
        await wait_until(lambda: gc.get_freeze_count() > 0)  # the cycle, alive, is now out of sight
        del a, b
        gc.collect(2)  # an ordinary collection does not see frozen objects: no long pause for them
        assert alive() is not None
        await wait_until(lambda: alive() is None)  # the periodic full pass frees it
    finally:
        pacer.cancel()
        gc.unfreeze()
