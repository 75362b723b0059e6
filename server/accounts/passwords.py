"""Argon2id password hashing in a small bounded pool, uniform in time for unknown emails.

Each hash costs ~0.1-0.3 s of CPU and 64 MiB. Run on the default thread pool, a flood of sign-ins
would queue behind dozens of hashes and starve the event loop (and /healthz) for many seconds. So
hashing gets its own pool sized to the cores, with a short queue; when that is full the caller is
told at once (429 with Retry-After) rather than made to wait.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from server.errors import ApiError

T = TypeVar("T")
QUEUE_PER_WORKER = 4  # waiting hashes per worker before we say "busy": about a second of waiting at most
BUSY_RETRY_AFTER_SECONDS = 2


def default_workers() -> int:
    # One core stays free for the event loop; Argon2's own lanes use the rest.
    return max(1, (os.cpu_count() or 2) - 1)


class HashingBusy(ApiError):
    def __init__(self) -> None:
        super().__init__(
            429,
            "busy",
            "Lots of people are signing in right now. Please try again in a moment.",
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )


@dataclass
class PasswordService:
    hasher: PasswordHasher
    workers: int = field(default_factory=default_workers)
    # Verified against when an email is unknown, so a wrong email costs as long as a wrong password.
    _dummy_hash: str = field(init=False)
    _executor: ThreadPoolExecutor = field(init=False)
    _in_flight: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._dummy_hash = self.hasher.hash("duologue-dummy-password")
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="argon2")

    @classmethod
    def with_parameters(cls, *, time_cost: int, memory_kib: int, parallelism: int, workers: int = 0) -> PasswordService:
        hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        return cls(hasher, workers or default_workers())

    @property
    def capacity(self) -> int:
        return self.workers * (1 + QUEUE_PER_WORKER)

    async def _run(self, fn: Callable[..., T], *args: str) -> T:
        if self._in_flight >= self.capacity:
            raise HashingBusy()
        self._in_flight += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        finally:
            self._in_flight -= 1

    def reserve(self) -> None:
        """Refuse at once, before any other work, when the pool has no room."""
        if self._in_flight >= self.capacity:
            raise HashingBusy()

    async def hash(self, password: str) -> str:
        return await self._run(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when the password matches; always spends one Argon2 verification."""
        matched = await self._run(self._verify_sync, password_hash or self._dummy_hash, password)
        return matched and password_hash is not None

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
