"""HTTP endpoints for the private journal, sharing one entry with a facilitator, and noticing.

Every author endpoint acts on the signed-in person's own rows only (someone else's is a 404); the one
facilitator endpoint goes through `authorize_facilitator`, like every facilitator endpoint.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.text import visible_length
from server.errors import ApiError
from server.journal import entries, noticing, sharing
from server.journal.definitions import journal_definitions
from server.journal.shapes import (
    EntryEdit,
    EntryPublic,
    EntryWrite,
    FeelingOption,
    JournalOptions,
    NoticingOptions,
    NoticingPattern,
    NoticingPublic,
    NoticingWrite,
    PromptOption,
    SharedEntry,
    SharedWith,
    ShareRequest,
)
from server.models import User
from server.openapi import error_responses
from server.text_checks import CONTROL_MESSAGE, has_control_characters

_LIMITS = journal_definitions().limits
# Far beyond any journal, and well inside the 64-bit integer both databases take for OFFSET.
MAX_OFFSET = 1_000_000


def _feelings() -> list[FeelingOption]:
    return [FeelingOption(id=f.id, label=f.label) for f in journal_definitions().feelings]


class JournalController(Controller):
    path = "/api/journal"
    tags = ["journal (private)"]

    @get("/options", summary="Feeling tags, prompts and bounds for writing an entry", responses=error_responses(401))
    async def options(self) -> JournalOptions:
        defs = journal_definitions()
        return JournalOptions(
            feelings=_feelings(),
            prompts=[PromptOption(id=p.id, text=p.text) for p in defs.prompts],
            entry_max_chars=_LIMITS.entry_max_chars,
            search_max_chars=_LIMITS.search_max_chars,
        )

    @get("", summary="My entries, newest first; search by words and by feeling", responses=error_responses(400, 401))
    async def list_entries(
        self,
        request: Request[User, Any, Any],
        db: AsyncSession,
        q: Annotated[str | None, Parameter(description="Words to find in the text (any case)")] = None,
        feeling: Annotated[str | None, Parameter(description="Only entries tagged with this feeling id")] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 100,
        offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> list[EntryPublic]:
        if q is not None and visible_length(q) > _LIMITS.search_max_chars:
            raise ApiError(400, "search_too_long", f"Search for up to {_LIMITS.search_max_chars} characters.")
        if q is not None and has_control_characters(q, multi_line=False):
            raise ApiError(400, "bad_search", CONTROL_MESSAGE)
        if feeling is not None and journal_definitions().unknown_feelings([feeling]):
            raise ApiError(400, "unknown_feeling", "We don't know that feeling. Choose from the list offered.")
        rows = await entries.search(db, user=request.user, text=q, feeling=feeling, limit=limit, offset=offset)
        current = await sharing.live_share(db, user=request.user)
        return [entries.to_public(e, current[1] if current and current[0].entry_id == e.id else None) for e in rows]

    @post("", status_code=HTTP_201_CREATED, summary="Write an entry", responses=error_responses(400, 401))
    async def write(self, data: EntryWrite, request: Request[User, Any, Any], db: AsyncSession) -> EntryPublic:
        return entries.to_public(await entries.write(db, user=request.user, body=data))

    @get("/share", summary="The entry I share with a facilitator now, if any", responses=error_responses(401))
    async def current_share(self, request: Request[User, Any, Any], db: AsyncSession) -> EntryPublic | None:
        current = await sharing.live_share(db, user=request.user)
        if current is None:
            return None
        entry = await entries.own_entry(db, user=request.user, entry_id=current[0].entry_id)
        return entries.to_public(entry, current[1])

    @delete(
        "/share",
        status_code=HTTP_204_NO_CONTENT,
        summary="Stop sharing: the facilitator no longer sees the entry, at once",
        responses=error_responses(401),
    )
    async def unshare(self, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await sharing.unshare(db, user=request.user)

    @get("/{entry_id:uuid}", summary="One of my entries", responses=error_responses(401, 404))
    async def read(self, entry_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> EntryPublic:
        entry = await entries.own_entry(db, user=request.user, entry_id=entry_id)
        current = await sharing.live_share(db, user=request.user)
        return entries.to_public(entry, current[1] if current and current[0].entry_id == entry.id else None)

    @patch(
        "/{entry_id:uuid}",
        summary="Edit an entry (a facilitator it is shared with sees the new words)",
        responses=error_responses(400, 401, 404),
    )
    async def edit(
        self, entry_id: uuid.UUID, data: EntryEdit, request: Request[User, Any, Any], db: AsyncSession
    ) -> EntryPublic:
        entry = await entries.edit(db, user=request.user, entry_id=entry_id, body=data)
        current = await sharing.live_share(db, user=request.user)
        return entries.to_public(entry, current[1] if current and current[0].entry_id == entry.id else None)

    @delete(
        "/{entry_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an entry for good (and its share)",
        responses=error_responses(401, 404),
    )
    async def remove(self, entry_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await entries.remove(db, user=request.user, entry_id=entry_id)

    @put(
        "/{entry_id:uuid}/share",
        summary="Share this one entry with a facilitator linked with my couple (replaces any other share)",
        responses=error_responses(400, 401, 404),
    )
    async def share(
        self, entry_id: uuid.UUID, data: ShareRequest, request: Request[User, Any, Any], db: AsyncSession
    ) -> SharedWith:
        return await sharing.share(db, user=request.user, entry_id=entry_id, link_id=data.link_id)


class FacilitatorJournalController(Controller):
    path = "/api/facilitator/couples"
    tags = ["facilitation (facilitators)"]

    @get(
        "/{couple_id:uuid}/journal",
        summary="Journal entries the partners chose to share with me (their current words)",
        responses=error_responses(401, 403, 404),
    )
    async def shared_entries(
        self, couple_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession
    ) -> list[SharedEntry]:
        return await sharing.shared_with_facilitator(db, facilitator=request.user, couple_id=couple_id)


class NoticingController(Controller):
    path = "/api/noticing"
    tags = ["noticing (private)"]

    @get("/options", summary="Feelings and bounds for a noticing", responses=error_responses(401))
    async def options(self) -> NoticingOptions:
        return NoticingOptions(
            feelings=_feelings(),
            intensity_min=_LIMITS.intensity_min,
            intensity_max=_LIMITS.intensity_max,
            context_max_chars=_LIMITS.context_max_chars,
            pattern_weeks_default=_LIMITS.pattern_weeks_default,
            pattern_weeks_max=_LIMITS.pattern_weeks_max,
            pattern_weeks_choices=list(_LIMITS.pattern_weeks_choices),
        )

    @post(
        "",
        status_code=HTTP_201_CREATED,
        summary="I noticed the urge to pull away (now); every detail optional",
        responses=error_responses(400, 401),
    )
    async def notice(self, data: NoticingWrite, request: Request[User, Any, Any], db: AsyncSession) -> NoticingPublic:
        return noticing.to_public(await noticing.notice(db, user=request.user, body=data))

    @get("", summary="My recent noticings, newest first", responses=error_responses(400, 401))
    async def recent(
        self, request: Request[User, Any, Any], db: AsyncSession, limit: Annotated[int, Parameter(ge=1, le=200)] = 20
    ) -> list[NoticingPublic]:
        return [noticing.to_public(r) for r in await noticing.recent(db, user=request.user, limit=limit)]

    @get(
        "/pattern",
        summary="When it happens over weeks: time of day, day of week, after what (in my time zone)",
        responses=error_responses(400, 401),
    )
    async def pattern(
        self,
        request: Request[User, Any, Any],
        db: AsyncSession,
        tz: Annotated[str, Parameter(description="IANA time zone, e.g. Europe/Paris (checked by parse_tz)")],
        weeks: Annotated[
            int | None, Parameter(ge=1, le=_LIMITS.pattern_weeks_max, description="One of pattern_weeks_choices")
        ] = None,
    ) -> NoticingPattern:
        chosen = _LIMITS.pattern_weeks_default if weeks is None else weeks
        if chosen not in _LIMITS.pattern_weeks_choices:
            spans = ", ".join(str(w) for w in _LIMITS.pattern_weeks_choices[:-1])
            raise ApiError(
                400, "bad_weeks", f"The pattern can be seen over {spans} or {_LIMITS.pattern_weeks_choices[-1]} weeks."
            )
        return await noticing.weekly_pattern(db, user=request.user, tz_name=tz, weeks=chosen)

    @patch(
        "/{noticing_id:uuid}",
        summary="Add or change the details of a noticing",
        responses=error_responses(400, 401, 404),
    )
    async def details(
        self, noticing_id: uuid.UUID, data: NoticingWrite, request: Request[User, Any, Any], db: AsyncSession
    ) -> NoticingPublic:
        return noticing.to_public(await noticing.add_details(db, user=request.user, noticing_id=noticing_id, body=data))

    @delete(
        "/{noticing_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a noticing (a tap by mistake)",
        responses=error_responses(401, 404),
    )
    async def remove(self, noticing_id: uuid.UUID, request: Request[User, Any, Any], db: AsyncSession) -> None:
        await noticing.remove(db, user=request.user, noticing_id=noticing_id)
