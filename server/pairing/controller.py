"""HTTP endpoints for invites and the couple."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.facilitation.service import end_facilitation, facilitators_of
from server.live.service import end_open_sessions
from server.models import Invite, User
from server.models.couples import CouplePublic, InvitePreview, InvitePublic
from server.models.timestamps import utcnow
from server.openapi import error_responses
from server.pairing import service
from server.pairing.codes import display_code
from server.security.guards import throttle_invite_codes
from server.security.hosts import public_base_url


def _public_invite(request: Request[Any, Any, Any], invite: Invite) -> InvitePublic:
    state: State = request.app.state
    base = public_base_url(request, state.settings)
    return InvitePublic(
        code=display_code(invite.code),
        link=f"{base}/invite/{display_code(invite.code)}",
        created_at=invite.created_at,
        expires_at=invite.expires_at,
        status=service.invite_status(invite, utcnow()),
    )


class PairingController(Controller):
    path = "/api"
    tags = ["pairing"]

    @post(
        "/invites",
        status_code=HTTP_201_CREATED,
        summary="Create an invite for my partner",
        responses=error_responses(401, 409),
    )
    async def create_invite(self, request: Request[User, Any, Any], db: AsyncSession, state: State) -> InvitePublic:
        invite = await service.create_invite(
            db, inviter=request.user, lifetime=timedelta(hours=state.settings.invite_lifetime_hours)
        )
        return _public_invite(request, invite)

    @get("/invites", summary="My invites, newest first", responses=error_responses(401))
    async def list_invites(self, request: Request[User, Any, Any], db: AsyncSession) -> list[InvitePublic]:
        return [_public_invite(request, i) for i in await service.list_invites(db, inviter_id=request.user.id)]

    @get(
        "/invites/{code:str}",
        guards=[throttle_invite_codes],
        summary="Look at an invite before accepting it",
        responses=error_responses(401, 404),
    )
    async def preview_invite(self, code: str, db: AsyncSession) -> InvitePreview:
        invite = await service.find_invite(db, code=code)
        inviter = await db.get(User, invite.inviter_id)
        assert inviter is not None
        return InvitePreview(
            code=display_code(invite.code),
            inviter_display_name=inviter.display_name,
            expires_at=invite.expires_at,
            status=service.invite_status(invite, utcnow()),
        )

    @delete(
        "/invites/{code:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Cancel one of my invites",
        responses=error_responses(401, 404, 409),
    )
    async def cancel_invite(self, code: str, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await service.cancel_invite(db, code=code, user=request.user)

    @post(
        "/invites/{code:str}/accept",
        guards=[throttle_invite_codes],
        status_code=HTTP_201_CREATED,
        summary="Accept my partner's invite",
        responses=error_responses(401, 403, 404, 409, 410),
    )
    async def accept_invite(self, code: str, request: Request[User, Any, Any], db: AsyncSession) -> CouplePublic:
        await service.accept_invite(db, code=code, user=request.user)
        return await service.couple_view(db, user=request.user)

    @get("/couple", summary="My couple and my partner", responses=error_responses(401, 404))
    async def couple(self, request: Request[User, Any, Any], db: AsyncSession) -> CouplePublic:
        return await service.couple_view(db, user=request.user)

    @delete(
        "/couple",
        status_code=HTTP_204_NO_CONTENT,
        summary="Leave my couple (for both of us; each keeps their history)",
        responses=error_responses(401, 404),
    )
    async def leave_couple(self, request: Request[User, Any, Any], db: AsyncSession, state: State) -> None:
        membership = await service.current_membership(db, user_id=request.user.id)
        if membership is not None:
            await end_open_sessions(db, state.live_runtime, couple_id=membership.couple_id, user=request.user)
            for facilitator_id in await facilitators_of(db, couple_id=membership.couple_id):
                await end_facilitation(
                    db,
                    state.live_runtime,
                    facilitator_id=facilitator_id,
                    couple_id=membership.couple_id,
                    by=request.user,
                )
        await service.leave_couple(db, user=request.user)
