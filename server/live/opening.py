"""Opening a session, for partners and facilitators alike: the runtime stores it; we word its refusals."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.plans import Plan
from rooms.models import PracticeSession
from rooms.runtime import LiveRuntime, SessionAlreadyOpen
from server.errors import ApiError
from server.live.prompt_history import fresh_prompts


def session_in_progress() -> ApiError:
    return ApiError(409, "session_in_progress", "You already have a session open together. Join it, or end it first.")


async def open_session(
    db: AsyncSession,
    runtime: LiveRuntime,
    *,
    couple_id: uuid.UUID,
    created_by: uuid.UUID,
    partners: tuple[str, str],
    plan: Plan,
    first_speaker: str,
    facilitator_id: uuid.UUID | None = None,
) -> PracticeSession:
    """Store a new session in its lobby; the database refuses a second open one for the couple."""
    prompts = await fresh_prompts(db, couple_id=couple_id, plan=plan)  # prompts that don't repeat for them
    try:
        session_id = await runtime.open_session(
            couple_id=couple_id,
            created_by=created_by,
            partners=partners,
            plan=plan,
            first_speaker=first_speaker,
            facilitator_id=facilitator_id,
            prompts=prompts,
        )
    except SessionAlreadyOpen as exc:
        raise session_in_progress() from exc
    except ValueError as exc:  # e.g. a facilitator who is also one of the partners
        raise ApiError(
            409, "invalid_participants", "A session needs two partners and, if any, another facilitator."
        ) from exc
    row = await db.get(PracticeSession, session_id)
    assert row is not None  # just stored
    return row
