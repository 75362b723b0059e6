"""HTTP endpoints between sessions: my kit, my solo practices, and our ritual (with its calendar file)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.between import kit, ritual, solo
from server.between.shapes import (
    KitAdd,
    KitItemPublic,
    KitOrder,
    KitPublic,
    RitualList,
    RitualPublic,
    RitualSet,
    SoloComplete,
    SoloPracticeInfo,
    SoloPracticePublic,
    SoloStart,
)
from server.models import User
from server.openapi import error_responses
from server.security.hosts import public_base_url


class KitController(Controller):
    path = "/api/kit"
    tags = ["between sessions"]

    @get(
        "/",
        summary="My self-soothing kit, the suggestions and its bounds (only I see it)",
        responses=error_responses(401),
    )
    async def my_kit(self, request: Request[User, Any, Any], db: AsyncSession) -> KitPublic:
        return await kit.my_kit(db, user=request.user)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Add one thing to my kit: my own words or a suggestion's id",
        responses=error_responses(400, 401, 409),
    )
    async def add(self, request: Request[User, Any, Any], db: AsyncSession, data: KitAdd) -> KitItemPublic:
        return await kit.add(db, user=request.user, text=data.text, suggestion_id=data.suggestion_id)

    @put("/order", summary="Put my kit in a new order", responses=error_responses(400, 401))
    async def reorder(self, request: Request[User, Any, Any], db: AsyncSession, data: KitOrder) -> KitPublic:
        return await kit.reorder(db, user=request.user, ids=data.ids)

    @delete(
        "/{item_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove one thing from my kit",
        responses=error_responses(401, 404),
    )
    async def remove(self, item_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await kit.remove(db, user=request.user, item_id=item_id)


class SoloController(Controller):
    path = "/api/solo"
    tags = ["between sessions"]

    @get(
        "/practices",
        summary="The solo practices: breathing (the shared guide's pace) and grounding",
        responses=error_responses(401),
    )
    async def practices(self) -> list[SoloPracticeInfo]:
        return solo.all_practices()

    @post(
        "/{kind:str}/start",
        status_code=HTTP_201_CREATED,
        summary="Start a solo practice: its definition, the start time and a token to complete it",
        responses=error_responses(401, 404),
    )
    async def start(self, kind: str, request: Request[User, Any, Any], state: State) -> SoloStart:
        return solo.start(user=request.user, kind=kind, secret=state.settings.secret_key)

    @post(
        "/complete",
        status_code=HTTP_201_CREATED,
        summary="Complete a solo practice; it is logged once enough of its length has passed",
        description="409 `not_yet` when it is sooner than the practice's length allows (a tenth less, for clocks).",
        responses=error_responses(400, 401, 409),
    )
    async def complete(
        self, request: Request[User, Any, Any], db: AsyncSession, state: State, data: SoloComplete
    ) -> SoloPracticePublic:
        return await solo.complete(db, user=request.user, token=data.token, secret=state.settings.secret_key)

    @get("/log", summary="My recent solo practices, newest first (only I see them)", responses=error_responses(401))
    async def my_log(self, request: Request[User, Any, Any], db: AsyncSession) -> list[SoloPracticePublic]:
        return await solo.my_recent(db, user=request.user)


class RitualController(Controller):
    path = "/api/rituals"
    tags = ["between sessions"]

    @get("/", summary="Our rituals (both partners see them), soonest first", responses=error_responses(401, 409))
    async def ours(self, request: Request[User, Any, Any], db: AsyncSession) -> RitualList:
        return await ritual.our_rituals(db, user=request.user)

    @put(
        "/{plan_id:str}",
        summary="Set or change our ritual for one plan: weekdays, local time, time zone",
        description="Either partner may set it; both see it and who set it. No confirmation step. "
        "A couple keeps up to max_rituals rituals, one per plan.",
        responses=error_responses(400, 401, 409),
    )
    async def set(
        self, request: Request[User, Any, Any], db: AsyncSession, plan_id: str, data: RitualSet
    ) -> RitualPublic:
        return await ritual.set_ritual(db, user=request.user, plan_id=plan_id, data=data)

    @delete(
        "/{plan_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove our ritual for one plan",
        responses=error_responses(401, 404, 409),
    )
    async def remove(self, request: Request[User, Any, Any], db: AsyncSession, plan_id: str) -> None:
        await ritual.remove_ritual(db, user=request.user, plan_id=plan_id)

    @get(
        "/{plan_id:str}/calendar.ics",
        summary="One ritual as a calendar file (iCalendar, weekly recurrence, link to start that plan)",
        media_type="text/calendar",
        responses=error_responses(401, 404, 409),
    )
    async def calendar(
        self, request: Request[User, Any, Any], db: AsyncSession, state: State, plan_id: str
    ) -> Response[bytes]:
        body = await ritual.calendar_file(
            db, user=request.user, plan_id=plan_id, base_url=public_base_url(request, state.settings)
        )
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            # plan_id is a known plan's id here (calendar_file found its ritual): plain letters and underscores.
            headers={"Content-Disposition": f'attachment; filename="duologue-{plan_id}.ics"'},
        )
