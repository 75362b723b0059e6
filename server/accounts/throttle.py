"""Who may try to sign in, sign up or use an invite code right now.

Sign-in policy (docs/security.md): attempts are counted before the password is checked, in three
fixed windows of 15 minutes: 5 per (email, client address), 30 per client address, 100 per email.
Five wrong passwords from one place therefore stop that place only; the real owner elsewhere still
gets in, and only a spread-out attack (100 tries from many addresses) pauses the email itself.
A successful sign-in clears that (email, address) pair and the email's count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from server.errors import ApiError
from server.security.counters import AttemptCounter
from server.settings import Settings


@dataclass(frozen=True)
class ThrottleVerdict:
    blocked: bool
    retry_after_seconds: int = 0


def _hashed(value: str) -> str:
    # The store (Redis, perhaps shared) never holds a list of email addresses or invite codes.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass
class Throttle:
    counter: AttemptCounter
    settings: Settings

    async def _admit(self, limits: list[tuple[str, int]], window: int) -> ThrottleVerdict:
        waits = []
        for key, limit in limits:
            hit = await self.counter.hit(key, window)
            if hit.count > limit:
                waits.append(hit.retry_after_seconds)
        return ThrottleVerdict(blocked=bool(waits), retry_after_seconds=max(waits, default=0))

    async def admit_sign_in(self, *, email: str, address: str) -> ThrottleVerdict:
        s = self.settings
        return await self._admit(
            [
                (f"signin:pair:{_hashed(email)}:{address}", s.signin_max_attempts_per_email_and_address),
                (f"signin:addr:{address}", s.signin_max_attempts_per_address),
                (f"signin:email:{_hashed(email)}", s.signin_max_attempts_per_email),
            ],
            s.signin_window_seconds,
        )

    async def signed_in(self, *, email: str, address: str) -> None:
        await self.counter.reset(f"signin:pair:{_hashed(email)}:{address}")
        await self.counter.reset(f"signin:email:{_hashed(email)}")

    async def admit_sign_up(self, *, address: str) -> ThrottleVerdict:
        s = self.settings
        return await self._admit([(f"signup:addr:{address}", s.signup_max_per_address)], s.abuse_window_seconds)

    async def admit_invite_code(self, *, user_id: str, address: str) -> ThrottleVerdict:
        s = self.settings
        limit = s.invite_accept_max_attempts
        return await self._admit(
            [(f"invite:user:{user_id}", limit), (f"invite:addr:{address}", limit * 3)], s.abuse_window_seconds
        )


def too_many(verdict: ThrottleVerdict, message: str) -> ApiError:
    return ApiError(429, "too_many_attempts", message, headers={"Retry-After": str(verdict.retry_after_seconds)})
