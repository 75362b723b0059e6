"""Route guards that throttle guessing: invite codes are short enough to be worth guessing."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from server.accounts.throttle import too_many
from server.security.client import client_address


async def throttle_invite_codes(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Looking up or accepting an invite code counts, per person and per address, before the code is read."""
    verdict = await connection.app.state.throttle.admit_invite_code(
        user_id=str(connection.user.id), address=client_address(connection)
    )
    if verdict.blocked:
        raise too_many(verdict, "That was a lot of invite codes in a short time. Please wait a little and try again.")
