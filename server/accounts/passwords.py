"""Argon2id password hashing, kept off the event loop and uniform in time for unknown emails."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@dataclass
class PasswordService:
    hasher: PasswordHasher
    # Verified against when an email is unknown, so a wrong email costs as long as a wrong password.
    _dummy_hash: str = field(init=False)

    def __post_init__(self) -> None:
        self._dummy_hash = self.hasher.hash("duologue-dummy-password")

    @classmethod
    def with_parameters(cls, *, time_cost: int, memory_kib: int, parallelism: int) -> PasswordService:
        return cls(PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when the password matches; always spends one Argon2 verification."""
        return await asyncio.to_thread(self._verify_sync, password_hash or self._dummy_hash, password) and (
            password_hash is not None
        )

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)
