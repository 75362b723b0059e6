"""Counts failed sign-ins per email and per client address in a Litestar store (memory or Redis)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from litestar.stores.base import Store


@dataclass(frozen=True)
class ThrottleVerdict:
    blocked: bool
    retry_after_seconds: int = 0


@dataclass
class SignInThrottle:
    store: Store
    max_per_email: int
    max_per_address: int
    window_seconds: int

    async def check(self, *, email: str, address: str, now: float) -> ThrottleVerdict:
        """Blocked while either key has reached its limit inside the sliding window."""
        waits = []
        for key, limit in self._keys(email, address):
            failures = await self._recent(key, now)
            if len(failures) >= limit:
                # The oldest failure that still counts must age out before one more attempt is allowed.
                oldest_counting = failures[-limit]
                waits.append(oldest_counting + self.window_seconds - now)
        if not waits:
            return ThrottleVerdict(blocked=False)
        return ThrottleVerdict(blocked=True, retry_after_seconds=max(1, math.ceil(max(waits))))

    async def record_failure(self, *, email: str, address: str, now: float) -> None:
        for key, _limit in self._keys(email, address):
            failures = [*await self._recent(key, now), now]
            await self.store.set(key, json.dumps(failures[-100:]), expires_in=self.window_seconds)

    async def clear_email(self, email: str) -> None:
        await self.store.delete(self._email_key(email))

    def _keys(self, email: str, address: str) -> list[tuple[str, int]]:
        return [(self._email_key(email), self.max_per_email), (f"signin:addr:{address}", self.max_per_address)]

    @staticmethod
    def _email_key(email: str) -> str:
        # Hashed so the store (Redis, perhaps shared) never holds a list of email addresses.
        return "signin:email:" + hashlib.sha256(email.encode()).hexdigest()

    async def _recent(self, key: str, now: float) -> list[float]:
        raw = await self.store.get(key)
        if raw is None:
            return []
        return [t for t in json.loads(raw) if t > now - self.window_seconds]
