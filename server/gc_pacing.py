"""Short garbage-collection pauses for a process that holds thousands of sockets.

Measured (docs/performance.md): with 2,500 live couples a full collection walks every object of every
socket and stops the event loop for up to a second, so intents wait (p99 825 ms; 11.5 ms with the
collector off). Most of those objects live as long as their socket. Every `interval` seconds we move
what has survived so far out of the collector's sight (`gc.freeze()`), so the automatic collections
only walk objects made since; young garbage is still collected as usual. Once in a long while
(`full_every`) everything is collected for real, so cycles that died after being frozen are not kept
for ever: one longer pause per `full_every`, instead of many per minute.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

logger = logging.getLogger("duologue.gc")


async def pace_garbage_collection(interval: float = 2.0, full_every: float = 3600.0) -> None:
    last_full = time.monotonic()
    while True:
        await asyncio.sleep(interval)
        if time.monotonic() - last_full >= full_every:
            gc.unfreeze()
            gc.collect()
            last_full = time.monotonic()
        else:
            gc.collect(1)  # the young first: what is garbage now must not be frozen
        gc.freeze()
