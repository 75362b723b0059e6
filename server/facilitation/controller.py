"""HTTP endpoints for facilitation: the partners' side and the facilitator's side."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.facilitation import service
from server.facilitation.access import authorize_facilitator
from server.facilitation.shapes import (
    ConsentUpdate,
    FacilitatedCouple,
    FacilitatedSessionCreate,
    FacilitatorInvitePreview,
    FacilitatorInvitePublic,
    FacilitatorLinkPublic,
    NoteCreate,
    NotePublic,
    PlanCompose,
    SavedPlanPublic,
    SessionBrief,
    SessionRecord,
    SharedSummary,
)
from server.models import User
from server.models.timestamps import utcnow
from server.openapi import error_responses
from server.pairing.codes import display_code
from server.security.guards import throttle_invite_codes
from server.security.hosts import public_base_url


class PartnerFacilitationController(Controller):
    """What partners do: accept a facilitator, confirm, unlink, and decide about summaries."""

    path = "/api"
    tags = ["facilitation (partners)"]

    @post(
        "/facilitator-invites/{code:str}/accept",
        guards=[throttle_invite_codes],
        status_code=HTTP_201_CREATED,
        summary="Accept a facilitator's invite for my couple (my partner then confirms)",
        responses=error_responses(401, 403, 404, 409, 410),
    )
    async def accept(
        self, code: str, request: Request[User, Any, Any], db: AsyncSession
    ) -> list[FacilitatorLinkPublic]:
        await service.accept_invite(db, code=code, user=request.user)
        return await service.my_links(db, user=request.user)

    @get(
        "/facilitator-invites/{code:str}",
        guards=[throttle_invite_codes],
        summary="Who sent this facilitator invite (before accepting it)",
        responses=error_responses(401, 404),
    )
    async def preview(self, code: str, db: AsyncSession) -> FacilitatorInvitePreview:
        link, facilitator = await service.preview_invite(db, code=code)
        return FacilitatorInvitePreview(
            facilitator_display_name=facilitator.display_name,
            status=service.link_status(link, utcnow()),
            expires_at=link.expires_at,
        )

    @get(
        "/facilitators", summary="Our facilitators (waiting for confirmation or linked)", responses=error_responses(401)
    )
    async def list_links(self, request: Request[User, Any, Any], db: AsyncSession) -> list[FacilitatorLinkPublic]:
        return await service.my_links(db, user=request.user)

    @post(
        "/facilitators/{link_id:uuid}/confirm",
        status_code=HTTP_204_NO_CONTENT,
        summary="Confirm the facilitator my partner accepted",
        responses=error_responses(401, 403, 404, 409),
    )
    async def confirm(self, link_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await service.confirm(db, link_id=link_id, user=request.user)

    @delete(
        "/facilitators/{link_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Unlink (or decline) a facilitator, at once",
        responses=error_responses(401, 404),
    )
    async def unlink(
        self,
        link_id: uuid.UUID,
        request: Request[User, Any, Any],
        db: AsyncSession,
        state: State,
    ) -> None:
        await service.unlink(db, state.live_runtime, link_id=link_id, user=request.user)

    @put(
        "/facilitators/{link_id:uuid}/consent",
        status_code=HTTP_204_NO_CONTENT,
        summary="Let this facilitator read my summaries, or stop (off by default)",
        responses=error_responses(400, 401, 404),
    )
    async def consent(
        self, link_id: uuid.UUID, data: ConsentUpdate, request: Request[User, Any, Any], db: AsyncSession
    ) -> None:
        await service.set_consent(db, link_id=link_id, user=request.user, share=data.share_summaries)


class FacilitatorController(Controller):
    """What facilitators do. Every endpoint refuses anyone who is not the linked facilitator (404/403)."""

    path = "/api/facilitator"
    tags = ["facilitation (facilitators)"]

    @post("/invites", status_code=HTTP_201_CREATED, summary="Invite a couple", responses=error_responses(401, 403))
    async def invite(self, request: Request[User, Any, Any], db: AsyncSession, state: State) -> FacilitatorInvitePublic:
        link = await service.create_invite(db, facilitator=request.user)
        base = public_base_url(request, state.settings)
        code = display_code(link.code)
        return FacilitatorInvitePublic(code=code, link=f"{base}/facilitator-invite/{code}", expires_at=link.expires_at)

    @get("/couples", summary="My couples and their sessions with me", responses=error_responses(401, 403))
    async def couples(self, request: Request[User, Any, Any], db: AsyncSession) -> list[FacilitatedCouple]:
        return await service.couples(db, facilitator=request.user)

    @get(
        "/exercises", summary="Exercises to compose plans from, with their bounds", responses=error_responses(401, 403)
    )
    async def exercises(self, request: Request[User, Any, Any], db: AsyncSession) -> list[dict[str, Any]]:
        await authorize_facilitator(db, request.user)
        return service.exercise_catalogue()

    @get("/plans", summary="My saved plans", responses=error_responses(401, 403))
    async def plans(self, request: Request[User, Any, Any], db: AsyncSession) -> list[SavedPlanPublic]:
        return await service.saved_plans(db, facilitator=request.user)

    @post("/plans", status_code=HTTP_201_CREATED, summary="Save a plan", responses=error_responses(400, 401, 403))
    async def save_plan(self, data: PlanCompose, request: Request[User, Any, Any], db: AsyncSession) -> SavedPlanPublic:
        return await service.save_plan(db, facilitator=request.user, compose=data)

    @delete(
        "/plans/{plan_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a saved plan",
        responses=error_responses(401, 403, 404),
    )
    async def delete_plan(self, plan_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await service.delete_plan(db, facilitator=request.user, plan_id=plan_id)

    @post(
        "/couples/{couple_id:uuid}/sessions",
        status_code=HTTP_201_CREATED,
        summary="Start a session for a couple, with a composed, saved or built-in plan",
        responses=error_responses(400, 401, 403, 404, 409),
    )
    async def start_session(
        self,
        couple_id: uuid.UUID,
        data: FacilitatedSessionCreate,
        request: Request[User, Any, Any],
        db: AsyncSession,
        state: State,
    ) -> SessionBrief:
        row = await service.start_session(
            db, state.live_runtime, facilitator=request.user, couple_id=couple_id, body=data
        )
        return SessionBrief.model_validate(row, from_attributes=True)

    @get(
        "/couples/{couple_id:uuid}/summaries",
        summary="Summaries the partners chose to share with me",
        responses=error_responses(401, 403, 404),
    )
    async def summaries(
        self, couple_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> list[SharedSummary]:
        return await service.shared_summaries(db, facilitator=request.user, couple_id=couple_id)

    @get(
        "/sessions/{session_id:uuid}/record",
        summary="My record of a session: what was shared, pacing, my notes",
        responses=error_responses(401, 403, 404),
    )
    async def record(
        self, session_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession, state: State
    ) -> SessionRecord:
        return await service.record(db, state.live_runtime, facilitator=request.user, session_id=session_id)

    @get("/sessions/{session_id:uuid}/notes", summary="My private notes", responses=error_responses(401, 403, 404))
    async def notes(
        self, session_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> list[NotePublic]:
        return await service.notes(db, facilitator=request.user, session_id=session_id)

    @post(
        "/sessions/{session_id:uuid}/notes",
        status_code=HTTP_201_CREATED,
        summary="Write a private note (only I can read it)",
        responses=error_responses(400, 401, 403, 404),
    )
    async def add_note(
        self, session_id: uuid.UUID, data: NoteCreate, request: Request[User, Any, Any], db: AsyncSession
    ) -> NotePublic:
        return await service.add_note(db, facilitator=request.user, session_id=session_id, text=data.text)
