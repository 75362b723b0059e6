"""HTTP endpoints for accounts and the signed-in session."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts import service
from server.accounts.sessions import start_session
from server.errors import ApiError
from server.models import User
from server.models.users import SignIn, UserCreate, UserPublic, UserUpdate, normalise_email
from server.openapi import error_responses

_PUBLIC = {"exclude_from_auth": True}


def _client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AccountController(Controller):
    path = "/api"
    tags = ["accounts"]

    @post(
        "/accounts",
        opt=_PUBLIC,
        status_code=HTTP_201_CREATED,
        summary="Create an account and sign in",
        responses=error_responses(400, 409),
    )
    async def register(
        self, request: Request[Any, Any, Any], data: UserCreate, db: AsyncSession, state: State
    ) -> UserPublic:
        user = await service.create_user(db, data=data, passwords=state.passwords)
        await start_session(request, user.id, request.app.stores.get("sessions"))
        return UserPublic.model_validate(user, from_attributes=True)

    @post(
        "/session",
        opt=_PUBLIC,
        status_code=HTTP_200_OK,
        summary="Sign in",
        description="Five failed attempts for one email, or twenty from one address, within fifteen minutes "
        "pause sign-in for that email or address (429 with Retry-After).",
        responses=error_responses(400, 401, 429),
    )
    async def sign_in(
        self, request: Request[Any, Any, Any], data: SignIn, db: AsyncSession, state: State
    ) -> UserPublic:
        email, address, now = normalise_email(data.email), _client_address(request), time.time()
        verdict = await state.throttle.check(email=email, address=address, now=now)
        if verdict.blocked:
            raise ApiError(
                429,
                "too_many_attempts",
                "Too many sign-in attempts. Please wait a little and try again.",
                headers={"Retry-After": str(verdict.retry_after_seconds)},
            )
        user = await service.authenticate(db, email=email, password=data.password, passwords=state.passwords)
        if user is None:
            await state.throttle.record_failure(email=email, address=address, now=now)
            raise ApiError(401, "wrong_credentials", "That email and password do not match an account.")
        await state.throttle.clear_email(email)
        await start_session(request, user.id, request.app.stores.get("sessions"))
        return UserPublic.model_validate(user, from_attributes=True)

    @delete("/session", status_code=HTTP_204_NO_CONTENT, summary="Sign out", responses=error_responses(401))
    async def sign_out(self, request: Request[User, Any, Any]) -> None:
        request.clear_session()

    @get("/me", summary="Who am I", responses=error_responses(401))
    async def me(self, request: Request[User, Any, Any]) -> UserPublic:
        return UserPublic.model_validate(request.user, from_attributes=True)

    @patch("/me", summary="Change my display name or email sharing", responses=error_responses(400, 401))
    async def update_me(self, request: Request[User, Any, Any], data: UserUpdate, db: AsyncSession) -> UserPublic:
        user = await db.merge(request.user)
        user = await service.update_user(db, user=user, changes=data)
        return UserPublic.model_validate(user, from_attributes=True)
