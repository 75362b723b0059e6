"""Ending sign-ins, and closing the live sockets they opened, in every process.

A sign-in is known to its sockets by a short hash of its server-side session id (the id itself is a
bearer secret and never goes on a channel). Each live connection listens on its account's control
channel; a message names either one sign-in that ended, or the one sign-in that stays (everything
else ends). With Redis this reaches sockets held by other processes too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

from litestar import WebSocket
from litestar.channels import ChannelsPlugin
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts.sessions import SESSION_COOKIE
from server.live.protocol import CLOSE_SIGNED_OUT, ErrorFrame, encode_frame
from server.models import User

logger = logging.getLogger("duologue.accounts")


def sign_in_tag(session_id: str | None) -> str:
    return hashlib.sha256((session_id or "").encode()).hexdigest()[:24]


def control_channel(user_id: uuid.UUID | str) -> str:
    return f"duologue.account.{user_id}"


async def announce_sign_out(channels: ChannelsPlugin, user_id: uuid.UUID, session_id: str | None) -> None:
    """This one sign-in ended: its sockets close."""
    await _publish(channels, user_id, {"ended": sign_in_tag(session_id)})


async def announce_sign_out_everywhere(
    channels: ChannelsPlugin, user_id: uuid.UUID, keep_session_id: str | None = None
) -> None:
    """Every sign-in but `keep_session_id` ended (all of them when None): their sockets close."""
    await _publish(channels, user_id, {"keep": sign_in_tag(keep_session_id) if keep_session_id else None})


async def _publish(channels: ChannelsPlugin, user_id: uuid.UUID, message: dict[str, Any]) -> None:
    await channels.wait_published(json.dumps(message).encode(), [control_channel(user_id)])


async def end_other_sign_ins(db: AsyncSession, user: User) -> User:
    """Raise the account's sign-in generation: every session made before now stops being accepted."""
    fresh = await db.get(User, user.id, with_for_update=True)
    assert fresh is not None
    fresh.sign_in_generation += 1
    db.add(fresh)
    await db.commit()
    return fresh


def _ends_me(message: dict[str, Any], my_tag: str) -> bool:
    if "ended" in message:
        return message["ended"] == my_tag
    return "keep" in message and message["keep"] != my_tag


@contextlib.asynccontextmanager
async def close_when_signed_out(
    socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin, user_id: uuid.UUID
) -> AsyncIterator[None]:
    """While inside, the socket is closed (after an error frame) as soon as its sign-in ends."""
    my_tag = sign_in_tag(socket.cookies.get(SESSION_COOKIE))
    subscriber = await channels.subscribe([control_channel(user_id)])

    async def on_message(data: bytes) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            return
        if isinstance(message, dict) and _ends_me(message, my_tag):
            with contextlib.suppress(Exception):  # the socket may already be closing
                frame = ErrorFrame(code="signed_out", message="You signed out on this device. Please sign in again.")
                await socket.send_text(encode_frame(frame).decode())
                await socket.close(code=CLOSE_SIGNED_OUT, reason="signed_out")

    try:
        async with subscriber.run_in_background(on_message, join=False):
            yield
    finally:
        await channels.unsubscribe(subscriber)
