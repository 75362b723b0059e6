"""HTTP endpoints for accounts, the signed-in session, and each person's control of their own data."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie, State
from litestar.middleware.csrf import generate_csrf_token
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts import deletion, export, service
from server.accounts.sessions import current_session_id, keep_session, start_session
from server.accounts.signout import announce_sign_out, announce_sign_out_everywhere, end_other_sign_ins
from server.accounts.throttle import too_many
from server.errors import ApiError
from server.models import User
from server.models.users import (
    PasswordChange,
    PasswordConfirmation,
    SignIn,
    UserCreate,
    UserPublic,
    UserUpdate,
    normalise_email,
)
from server.openapi import error_responses
from server.security.client import client_address

_PUBLIC = {"exclude_from_auth": True}
CSRF_COOKIE = "duologue_csrf"


def _signed_in(request: Request[Any, Any, Any], user: User, status_code: int) -> Response[UserPublic]:
    """The account, with a fresh CSRF token: a token seen before sign-in is no use after it."""
    settings = request.app.state.settings
    cookie = Cookie(
        key=CSRF_COOKIE,
        value=generate_csrf_token(secret=settings.secret_key),
        path="/",
        secure=settings.cookie_secure,
        httponly=False,
        samesite="lax",
    )
    return Response(UserPublic.model_validate(user, from_attributes=True), status_code=status_code, cookies=[cookie])


async def _admit_password_check(request: Request[User, Any, Any], state: State) -> None:
    """Confirming with the current password counts as a sign-in attempt: a borrowed, signed-in device
    must not become a way to guess the password."""
    state.passwords.reserve()
    verdict = await state.throttle.admit_sign_in(email=request.user.email, address=client_address(request))
    if verdict.blocked:
        raise too_many(verdict, "Too many password attempts. Please wait a little and try again.")


class AccountController(Controller):
    path = "/api"
    tags = ["accounts"]

    @post(
        "/accounts",
        opt=_PUBLIC,
        status_code=HTTP_201_CREATED,
        summary="Create an account and sign in",
        description="Twenty sign-ups per client address per hour (429 with Retry-After after that).",
        responses=error_responses(400, 409, 429),
    )
    async def register(
        self, request: Request[Any, Any, Any], data: UserCreate, db: AsyncSession, state: State
    ) -> Response[UserPublic]:
        state.passwords.reserve()
        verdict = await state.throttle.admit_sign_up(address=client_address(request))
        if verdict.blocked:
            raise too_many(verdict, "Many accounts were made from here just now. Please try again later.")
        user = await service.create_user(db, data=data, passwords=state.passwords)
        await start_session(request, user, request.app.stores.get("sessions"))
        return _signed_in(request, user, HTTP_201_CREATED)

    @post(
        "/session",
        opt=_PUBLIC,
        status_code=HTTP_200_OK,
        summary="Sign in",
        description="Attempts are counted before the password is checked: five per email from one address, "
        "thirty per address and a hundred per email, in fifteen minutes (429 with Retry-After). "
        "When many people sign in at once the answer can be 429 `busy` with Retry-After.",
        responses=error_responses(400, 401, 429),
    )
    async def sign_in(
        self, request: Request[Any, Any, Any], data: SignIn, db: AsyncSession, state: State
    ) -> Response[UserPublic]:
        email, address = normalise_email(data.email), client_address(request)
        state.passwords.reserve()  # "busy" first: a refusal that is not the person's fault must not count
        verdict = await state.throttle.admit_sign_in(email=email, address=address)
        if verdict.blocked:
            raise too_many(verdict, "Too many sign-in attempts. Please wait a little and try again.")
        user = await service.authenticate(db, email=email, password=data.password, passwords=state.passwords)
        if user is None:
            raise ApiError(401, "wrong_credentials", "That email and password do not match an account.")
        await state.throttle.signed_in(email=email, address=address)
        await start_session(request, user, request.app.stores.get("sessions"))
        return _signed_in(request, user, HTTP_200_OK)

    @delete("/session", status_code=HTTP_204_NO_CONTENT, summary="Sign out", responses=error_responses(401))
    async def sign_out(self, request: Request[User, Any, Any]) -> None:
        session_id = current_session_id(request)
        request.clear_session()
        await announce_sign_out(request.app.state.live_runtime, request.user.id, session_id)

    @post(
        "/me/sign-out-everywhere",
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out on every device, this one included",
        responses=error_responses(401),
    )
    async def sign_out_everywhere(self, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await end_other_sign_ins(db, request.user)
        request.clear_session()
        await announce_sign_out_everywhere(request.app.state.live_runtime, request.user.id)

    @get("/me", summary="Who am I", responses=error_responses(401))
    async def me(self, request: Request[User, Any, Any]) -> UserPublic:
        return UserPublic.model_validate(request.user, from_attributes=True)

    @patch("/me", summary="Change my display name or email sharing", responses=error_responses(400, 401))
    async def update_me(self, request: Request[User, Any, Any], data: UserUpdate, db: AsyncSession) -> UserPublic:
        user = await db.merge(request.user)
        user = await service.update_user(db, user=user, changes=data)
        return UserPublic.model_validate(user, from_attributes=True)

    @post(
        "/me/password",
        status_code=HTTP_204_NO_CONTENT,
        summary="Change my password (every other sign-in ends)",
        responses=error_responses(400, 401, 403, 429),
    )
    async def change_password(
        self,
        request: Request[User, Any, Any],
        data: PasswordChange,
        db: AsyncSession,
        state: State,
    ) -> None:
        await _admit_password_check(request, state)
        user = await service.change_password(
            db, user=request.user, current=data.current_password, new=data.new_password, passwords=state.passwords
        )
        # This device stays signed in (its sockets too), under the new generation.
        keep_session(request, user)
        await announce_sign_out_everywhere(
            request.app.state.live_runtime, user.id, keep_session_id=current_session_id(request)
        )

    @get(
        "/me/export",
        summary="Everything about me, as one JSON file",
        description="Account, couple, sessions I took part in with what I and my partner shared, my own "
        "private answers, my summaries (JSON and Markdown). Never my partner's private answers. "
        "Shape: docs/security.md.",
        responses=error_responses(401),
    )
    async def export_me(self, request: Request[User, Any, Any], db: AsyncSession) -> Response[dict[str, Any]]:
        body = await export.everything_about(db, user=request.user)
        return Response(body, headers={"Content-Disposition": 'attachment; filename="duologue-export.json"'})

    @post(
        "/me/delete",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete my account (confirm with my password)",
        description="Signs you out everywhere, ends your couple and facilitator links, erases your private "
        "data and your answers. Your partner keeps their summaries, with your words replaced.",
        responses=error_responses(400, 401, 403, 429),
    )
    async def delete_me(
        self,
        request: Request[User, Any, Any],
        data: PasswordConfirmation,
        db: AsyncSession,
        state: State,
    ) -> None:
        await _admit_password_check(request, state)
        await service.check_password(db, user=request.user, password=data.password, passwords=state.passwords)
        await deletion.delete_account(db, state.live_runtime, user=request.user)
        request.clear_session()
        await announce_sign_out_everywhere(request.app.state.live_runtime, request.user.id)
