"""Ending sign-ins, and closing the live sockets they opened, in every process.

A sign-in is known to its sockets by a short hash of its server-side session id (the id itself is a
bearer secret and never goes on a channel). The live runtime closes, on every process, the account's
sockets of either one sign-in that ended, or of every sign-in but the one that stays.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.runtime import LiveRuntime
from server.live.protocol import CLOSE_SIGNED_OUT, ErrorFrame, encode_frame
from server.models import User

logger = logging.getLogger("duologue.accounts")

_FRAME = encode_frame(ErrorFrame(code="signed_out", message="You signed out on this device. Please sign in again."))


def sign_in_tag(session_id: str | None) -> str:
    return hashlib.sha256((session_id or "").encode()).hexdigest()[:24]


async def announce_sign_out(runtime: LiveRuntime, user_id: uuid.UUID, session_id: str | None) -> None:
    """This one sign-in ended: its sockets close."""
    runtime.close_sign_ins(str(user_id), CLOSE_SIGNED_OUT, _FRAME, ended=sign_in_tag(session_id))


async def announce_sign_out_everywhere(
    runtime: LiveRuntime, user_id: uuid.UUID, keep_session_id: str | None = None
) -> None:
    """Every sign-in but `keep_session_id` ended (all of them when None): their sockets close."""
    runtime.close_sign_ins(
        str(user_id), CLOSE_SIGNED_OUT, _FRAME, keep=sign_in_tag(keep_session_id) if keep_session_id else None
    )


async def end_other_sign_ins(db: AsyncSession, user: User) -> User:
    """Raise the account's sign-in generation: every session made before now stops being accepted."""
    fresh = await db.get(User, user.id, with_for_update=True)
    assert fresh is not None
    fresh.sign_in_generation += 1
    db.add(fresh)
    await db.commit()
    return fresh
