"""Server-side sessions whose id is replaced at sign-in, and the auth that reads them."""

from __future__ import annotations

import secrets
import time
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


async def start_session(connection: ASGIConnection[Any, Any, Any, Any], user: User, store: Any) -> str:
    """Sign a user in under a fresh session id, dropping whatever session the browser brought.

    The session remembers when it began (for the absolute lifetime) and the account's sign-in
    generation (so "sign out everywhere" ends it). Returns the new session id."""
    old_id = connection.cookies.get(SESSION_COOKIE)
    if old_id:
        await store.delete(old_id)
    session_id = secrets.token_hex(32)
    connection.scope.setdefault("state", {})[_ROTATED_ID_KEY] = session_id
    connection.set_session(
        {"user_id": str(user.id), "generation": user.sign_in_generation, "signed_in_at": time.time()}
    )
    return session_id


def keep_session(connection: ASGIConnection[Any, Any, Any, Any], user: User) -> None:
    """Keep this device signed in (same id, same start) under the account's new sign-in generation."""
    session = dict(connection.scope.get("session") or {})
    connection.set_session({**session, "generation": user.sign_in_generation})


def current_session_id(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The id this request's sign-in is stored under (the rotated one right after signing in)."""
    return connection.scope.get("state", {}).get(_ROTATED_ID_KEY) or connection.cookies.get(SESSION_COOKIE)


def session_still_valid(session: dict[str, Any], user: User | None, absolute_seconds: float) -> bool:
    if user is None or user.deleted_at is not None:
        return False
    if session.get("generation", 0) != user.sign_in_generation:
        return False  # signed out everywhere, or the password changed, since this sign-in
    signed_in_at = session.get("signed_in_at")
    return isinstance(signed_in_at, int | float) and time.time() - signed_in_at < absolute_seconds


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    user_id = session.get("user_id")
    if not user_id:
        return None
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    if "signed_in_at" not in session:
        # A sign-in made before lifetimes were recorded: its 30 days start now (an upgrade signs nobody out).
        session["signed_in_at"] = time.time()
    async with connection.app.state.db_sessions() as db:
        user = await db.get(User, key)
    absolute_seconds = connection.app.state.settings.session_absolute_days * 24 * 3600
    return user if session_still_valid(session, user, absolute_seconds) else None


def build_session_auth(
    *, secure: bool, exclude: list[str], idle_days: float = 14
) -> SessionAuth[User, RotatingSessionBackend]:
    # max_age is the idle expiry: the stored session and the cookie are renewed with every answer.
    config = RotatingSessionConfig(
        key=SESSION_COOKIE, httponly=True, samesite="lax", secure=secure, max_age=int(idle_days * 24 * 3600)
    )
    return SessionAuth[User, RotatingSessionBackend](
        retrieve_user_handler=retrieve_user,
        session_backend_config=config,
        exclude=exclude,
        exclude_opt_key="exclude_from_auth",
    )
