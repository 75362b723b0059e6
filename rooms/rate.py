"""A per-second counter: two numbers per socket or person instead of a queue of timestamps (memory per room
counts when a process holds thousands of them)."""

from __future__ import annotations


class PerSecond:
    __slots__ = ("count", "limit", "started")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.started = float("-inf")
        self.count = 0

    def over(self, now: float) -> bool:
        """Count one more at `now` (monotonic seconds); True when it is beyond the limit for this second."""
        if now - self.started >= 1.0:
            self.started, self.count = now, 0
        self.count += 1
        return self.count > self.limit
