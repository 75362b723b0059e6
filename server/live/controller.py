"""HTTP endpoints for plans, practice sessions and summaries."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED
from sqlmodel.ext.asyncio.session import AsyncSession

from server.live import catalogue_api, service
from server.live.models import PlanPublic, SessionCreate, SessionPublic, SummaryListItem, SummaryPublic
from server.models import User
from server.openapi import error_responses


class PracticeController(Controller):
    path = "/api"
    tags = ["practice"]

    @get("/plans", summary="The built-in plans", responses=error_responses(401))
    async def list_plans(self) -> list[PlanPublic]:
        return service.plans()

    @get(
        "/rules",
        summary="Session rules: how long a break may last, and the short pause",
        description="The one source of these numbers: the engine enforces them and the web client shows them.",
        responses=error_responses(401),
    )
    async def rules(self) -> dict[str, Any]:
        return catalogue_api.rules()

    @post(
        "/sessions",
        status_code=HTTP_201_CREATED,
        summary="Start a practice session for my couple",
        description="Your partner sees it in GET /api/sessions and joins through the websocket at `live_path`.",
        responses=error_responses(400, 401, 409),
    )
    async def create_session(
        self, request: Request[User, Any, Any], data: SessionCreate, db: AsyncSession, state: State
    ) -> SessionPublic:
        row = await service.create_session(
            db, state.live_runtime, user=request.user, plan_id=data.plan_id, first_speaker=data.first_speaker
        )
        return await service.to_public(db, row, request.user)

    @get("/sessions", summary="My sessions, newest first", responses=error_responses(401))
    async def list_sessions(self, request: Request[User, Any, Any], db: AsyncSession) -> list[SessionPublic]:
        return [
            await service.to_public(db, row, request.user) for row in await service.list_sessions(db, user=request.user)
        ]

    @get("/sessions/{session_id:uuid}", summary="One of my sessions", responses=error_responses(401, 404))
    async def get_session(
        self, session_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> SessionPublic:
        row = await service.get_session(db, session_id=session_id, user=request.user)
        return await service.to_public(db, row, request.user)

    @get("/summaries", summary="My session summaries, newest first", responses=error_responses(401))
    async def list_summaries(self, request: Request[User, Any, Any], db: AsyncSession) -> list[SummaryListItem]:
        return await service.my_summaries(db, user=request.user)

    @get(
        "/summaries/{session_id:uuid}",
        summary="My summary of one session (only ever my own)",
        responses=error_responses(401, 404),
    )
    async def get_summary(
        self, session_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> SummaryPublic:
        return await service.my_summary(db, session_id=session_id, user=request.user)

    @get(
        "/summaries/{session_id:uuid}/markdown",
        summary="My summary of one session as a Markdown file",
        media_type="text/markdown",
        responses=error_responses(401, 404),
    )
    async def get_summary_markdown(
        self, session_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> Response[str]:
        summary = await service.my_summary(db, session_id=session_id, user=request.user)
        day = (summary.started_at or summary.created_at).strftime("%Y-%m-%d")
        return Response(
            summary.markdown,
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="duologue-{day}.md"'},
        )
