"""HTTP endpoints of progress: my own, my partner's (with consent), sharing, the self-check, and the
facilitator's view. Every rule about who sees what lives in server/progress/service.py."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from server.errors import ApiError
from server.facilitation.access import authorize_facilitator
from server.models import RecordedScore, User
from server.openapi import error_responses
from server.progress import service
from server.progress.params import parse_tz, parse_weeks, today_in
from server.progress.shapes import (
    CoupleProgress,
    PartnerProgress,
    Progress,
    RecordedScorePublic,
    ScoreCreate,
    SelfCheckAnswers,
    SelfCheckForm,
    SelfCheckSkipped,
    SelfCheckTaken,
    ShareChoice,
    Sharing,
)

Weeks = Parameter(query="weeks", default=12, description="How many ISO weeks to show: 4, 12 or 52.")
Tz = Parameter(query="tz", default="UTC", max_length=200, description="Your IANA time zone, e.g. Europe/Berlin.")


class ProgressController(Controller):
    """A person's own progress, their partner's when shared, their sharing choices and the self-check."""

    path = "/api/progress"
    tags = ["progress"]

    @get("", summary="My progress over the last weeks, one series per measure", responses=error_responses(400, 401))
    async def mine(
        self, request: Request[User, Any, Any], db: AsyncSession, weeks: int = Weeks, tz: str = Tz
    ) -> Progress:
        zone = parse_tz(tz)
        data = await service.my_progress(db, request.user, weeks=parse_weeks(weeks), tz=zone, today=today_in(zone))
        return Progress.model_validate(data)

    @get(
        "/partner",
        summary="My partner's progress: everything when they share it, else the sessions we had together",
        responses=error_responses(400, 401, 404),
    )
    async def partner(
        self, request: Request[User, Any, Any], db: AsyncSession, weeks: int = Weeks, tz: str = Tz
    ) -> PartnerProgress:
        zone = parse_tz(tz)
        weeks = parse_weeks(weeks)
        data = await service.partner_progress(db, request.user, weeks=weeks, tz=zone, today=today_in(zone))
        return PartnerProgress.model_validate(data)

    @get("/sharing", summary="Who I show my progress to (off by default)", responses=error_responses(401))
    async def sharing(self, request: Request[User, Any, Any], db: AsyncSession) -> Sharing:
        return Sharing.model_validate(await service.sharing(db, request.user))

    @put(
        "/sharing/partner",
        status_code=HTTP_200_OK,
        summary="Show my progress to my partner, or stop at once",
        responses=error_responses(400, 401, 404),
    )
    async def share_with_partner(
        self, data: ShareChoice, request: Request[User, Any, Any], db: AsyncSession
    ) -> Sharing:
        return Sharing.model_validate(await service.set_partner_sharing(db, request.user, data.shared))

    @put(
        "/sharing/facilitators/{facilitator_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Show my progress to one of our facilitators, or stop at once",
        responses=error_responses(400, 401, 404),
    )
    async def share_with_facilitator(
        self, facilitator_id: uuid.UUID, data: ShareChoice, request: Request[User, Any, Any], db: AsyncSession
    ) -> Sharing:
        result = await service.set_facilitator_sharing(db, request.user, facilitator_id, data.shared)
        return Sharing.model_validate(result)

    @get(
        "/self-check",
        summary="The weekly self-check: its statements and whether it is due",
        responses=error_responses(400, 401),
    )
    async def self_check(self, request: Request[User, Any, Any], db: AsyncSession, tz: str = Tz) -> SelfCheckForm:
        form = await service.self_check_form(db, request.user, today_in(parse_tz(tz)))
        return SelfCheckForm.model_validate(form)

    @post(
        "/self-check",
        status_code=HTTP_201_CREATED,
        summary="Take the self-check (a second one the same local day replaces the first)",
        responses=error_responses(400, 401),
    )
    async def take_self_check(
        self, data: SelfCheckAnswers, request: Request[User, Any, Any], db: AsyncSession, tz: str = Tz
    ) -> SelfCheckTaken:
        taken = await service.take_self_check(db, request.user, data.answers, today_in(parse_tz(tz)))
        return SelfCheckTaken.model_validate(taken)

    @post(
        "/self-check/skip",
        status_code=HTTP_200_OK,
        summary="Not this week: hide the self-check card for seven days",
        responses=error_responses(400, 401),
    )
    async def skip_self_check(
        self, request: Request[User, Any, Any], db: AsyncSession, tz: str = Tz
    ) -> SelfCheckSkipped:
        return SelfCheckSkipped.model_validate(await service.skip_self_check(db, request.user, today_in(parse_tz(tz))))


class FacilitatorProgressController(Controller):
    """A facilitator's view of a linked couple's progress: only what each partner shares with them."""

    path = "/api/facilitator"
    tags = ["facilitation (facilitators)"]

    @get(
        "/couples/{couple_id:uuid}/progress",
        summary="Progress each partner shares with me, and attendance of the sessions I ran",
        responses=error_responses(400, 401, 403, 404),
    )
    async def couple_progress(
        self, couple_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession, weeks: int = Weeks, tz: str = Tz
    ) -> CoupleProgress:
        data = await self._progress(couple_id, request.user, db, weeks, tz)
        return CoupleProgress.model_validate(data)

    @get(
        "/couples/{couple_id:uuid}/progress.csv",
        summary="The same, as a CSV file: one row per partner, week and measure",
        responses=error_responses(400, 401, 403, 404),
        media_type="text/csv",
    )
    async def couple_progress_csv(
        self, couple_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession, weeks: int = Weeks, tz: str = Tz
    ) -> Response[str]:
        data = await self._progress(couple_id, request.user, db, weeks, tz)
        return Response(
            service.couple_progress_csv(data),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="progress.csv"', "cache-control": "no-store"},
        )

    async def _progress(
        self, couple_id: uuid.UUID, user: User, db: AsyncSession, weeks: int, tz: str
    ) -> dict[str, Any]:
        await authorize_facilitator(db, user, couple_id=couple_id)
        zone = parse_tz(tz)
        return await service.couple_progress(
            db, user, couple_id, weeks=parse_weeks(weeks), tz=zone, today=today_in(zone)
        )

    @post(
        "/couples/{couple_id:uuid}/scores",
        status_code=HTTP_201_CREATED,
        summary="Record a score from a questionnaire I gave (only for a partner who shares progress with me)",
        responses=error_responses(400, 401, 403, 404),
    )
    async def record_score(
        self, couple_id: uuid.UUID, data: ScoreCreate, request: Request[User, Any, Any], db: AsyncSession
    ) -> RecordedScorePublic:
        await authorize_facilitator(db, request.user, couple_id=couple_id)
        row = await service.record_score(db, request.user, couple_id, data, today_in(parse_tz("UTC")))
        return _public(row)

    @get(
        "/couples/{couple_id:uuid}/scores",
        summary="Scores I recorded for this couple (partners who still share with me)",
        responses=error_responses(401, 403, 404),
    )
    async def list_scores(
        self, couple_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> list[RecordedScorePublic]:
        await authorize_facilitator(db, request.user, couple_id=couple_id)
        return [_public(r) for r in await service.scores_i_recorded(db, request.user, couple_id)]

    @delete(
        "/scores/{score_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a score I recorded",
        responses=error_responses(401, 403, 404),
    )
    async def delete_score(self, score_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await authorize_facilitator(db, request.user)
        row = await db.get(RecordedScore, score_id)
        if row is None or row.facilitator_id != request.user.id:
            raise ApiError(404, "not_found", "We could not find that for you.")
        await authorize_facilitator(db, request.user, couple_id=row.couple_id)
        await service.delete_score(db, score_id)


def _public(row: RecordedScore) -> RecordedScorePublic:
    return RecordedScorePublic.model_validate(row, from_attributes=True)
