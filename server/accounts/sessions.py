"""Server-side sessions whose id is replaced at sign-in, and the auth that reads them."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.security.session_auth import SessionAuth

from server.models import User

_ROTATED_ID_KEY = "duologue_rotated_session_id"
SESSION_COOKIE = "duologue_session"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar keeps the id from the incoming cookie; at sign-in we must not (session fixation)."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        rotated = connection.scope.get("state", {}).get(_ROTATED_ID_KEY)
        return rotated or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: Any, message: Any, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        # An anonymous visit has nothing to remember: do not fill the store with empty sessions.
        if scope_session == {} and not connection.cookies.get(self.config.key):
            return
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


async def start_session(connection: ASGIConnection[Any, Any, Any, Any], user_id: uuid.UUID, store: Any) -> None:
    """Sign a user in under a fresh session id, dropping whatever session the browser brought."""
    old_id = connection.cookies.get(SESSION_COOKIE)
    if old_id:
        await store.delete(old_id)
    connection.scope.setdefault("state", {})[_ROTATED_ID_KEY] = secrets.token_hex(32)
    connection.set_session({"user_id": str(user_id)})


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    user_id = session.get("user_id")
    if not user_id:
        return None
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    async with connection.app.state.db_sessions() as db:
        return await db.get(User, key)


def build_session_auth(*, secure: bool, exclude: list[str]) -> SessionAuth[User, RotatingSessionBackend]:
    config = RotatingSessionConfig(
        key=SESSION_COOKIE, httponly=True, samesite="lax", secure=secure, max_age=14 * 24 * 3600
    )
    return SessionAuth[User, RotatingSessionBackend](
        retrieve_user_handler=retrieve_user,
        session_backend_config=config,
        exclude=exclude,
        exclude_opt_key="exclude_from_auth",
    )
