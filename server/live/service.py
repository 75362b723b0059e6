"""Practice-session data functions: create, list, read; and each partner's own summaries."""

from __future__ import annotations

import contextlib
import secrets
import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import End, IntentRejected, choose_first_speaker, new_session
from exercises.plans import Plan
from exercises.state import encode_state
from rooms.catalogue import builtin_catalogue
from rooms.models import PracticeSession, SessionSummary
from rooms.runtime import LiveRuntime, SessionNotFound
from server.errors import ApiError
from server.live.models import PlanPublic, SessionPublic, SummaryListItem, SummaryPublic
from server.live.prompt_history import fresh_prompts
from server.models import Couple, User
from server.pairing.service import current_members, current_membership


def plans() -> list[PlanPublic]:
    return [
        PlanPublic(
            id=plan.id,
            title=plan.title,
            description=plan.description,
            estimated_minutes=plan.estimated_minutes,
            exercises=[p.definition.title for p in plan.exercises],
        )
        for plan in builtin_catalogue().plans.values()
    ]


def _plan(plan_id: str) -> Plan:
    plan = builtin_catalogue().plans.get(plan_id)
    if plan is None:
        known = ", ".join(sorted(builtin_catalogue().plans))
        raise ApiError(400, "unknown_plan", f"There is no plan called {plan_id!r}. Choose one of: {known}.")
    return plan


async def create_session(db: AsyncSession, *, user: User, plan_id: str, first_speaker: str) -> PracticeSession:
    plan = _plan(plan_id)
    membership = await current_membership(db, user_id=user.id)
    members = await current_members(db, couple_id=membership.couple_id) if membership else []
    if membership is None or len(members) < 2:
        raise ApiError(409, "not_paired", "Pair with your partner first; a session needs you both.")
    partner_id = next(m.user_id for m in members if m.user_id != user.id)
    ongoing = await db.exec(
        select(PracticeSession).where(
            PracticeSession.couple_id == membership.couple_id, col(PracticeSession.status) != "ended"
        )
    )
    if ongoing.first() is not None:
        raise _in_progress()
    partners = (str(user.id), str(partner_id))
    if first_speaker == "me":
        speaker = partners[0]
    elif first_speaker == "partner":
        speaker = partners[1]
    else:
        speaker = choose_first_speaker(plan, partners, secrets.randbelow(2))
    return await open_session(
        db,
        couple_id=membership.couple_id,
        created_by=user.id,
        partners=partners,
        plan=plan,
        first_speaker=speaker,
    )


async def open_session(
    db: AsyncSession,
    *,
    couple_id: uuid.UUID,
    created_by: uuid.UUID,
    partners: tuple[str, str],
    plan: Plan,
    first_speaker: str,
    facilitator_id: uuid.UUID | None = None,
) -> PracticeSession:
    """Store a new session in its lobby; the database refuses a second open one for the couple."""
    prompts = await fresh_prompts(db, couple_id=couple_id, plan=plan)  # issue 11: prompts that don't repeat
    try:
        state = new_session(
            plan,
            partners,
            first_speaker=first_speaker,
            facilitator=str(facilitator_id) if facilitator_id else None,
            prompts=prompts,
        )
    except ValueError as exc:  # e.g. a facilitator who is also one of the partners
        raise ApiError(
            409, "invalid_participants", "A session needs two partners and, if any, another facilitator."
        ) from exc
    row = PracticeSession(
        couple_id=couple_id,
        created_by_id=created_by,
        partner_a_id=uuid.UUID(partners[0]),
        partner_b_id=uuid.UUID(partners[1]),
        facilitator_id=facilitator_id,
        plan_id=plan.id,
        plan_title=plan.title,
        state=encode_state(state),
    )
    db.add(row)
    try:
        await db.commit()
    except IntegrityError as exc:  # someone started one at the same moment
        await db.rollback()
        raise _in_progress() from exc
    return row


def _in_progress() -> ApiError:
    return ApiError(409, "session_in_progress", "You already have a session open together. Join it, or end it first.")


def _is_partner(row: PracticeSession, user_id: uuid.UUID) -> bool:
    return user_id in (row.partner_a_id, row.partner_b_id)


async def session_for_participant(
    db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID
) -> PracticeSession | None:
    row = await db.get(PracticeSession, session_id)
    if row is None or not (_is_partner(row, user_id) or row.facilitator_id == user_id):
        return None
    if row.status != "ended":
        couple = await db.get(Couple, row.couple_id)
        if couple is None or couple.ended_at is not None:
            return None  # the couple has split: nobody may reach the other through an old session
    if user_id == row.facilitator_id and not await _facilitator_still_linked(db, row, user_id):
        return None  # unlinked by a partner: the facilitator's access ended at once
    return row


async def _facilitator_still_linked(db: AsyncSession, row: PracticeSession, user_id: uuid.UUID) -> bool:
    from server.facilitation.service import is_linked  # facilitation builds on live sessions, not the reverse

    facilitator = await db.get(User, user_id)
    if facilitator is None or not facilitator.is_facilitator:
        return False
    return await is_linked(db, facilitator_id=user_id, couple_id=row.couple_id)


async def end_open_sessions(db: AsyncSession, runtime: LiveRuntime, *, couple_id: uuid.UUID, user: User) -> None:
    """When someone leaves the couple, their open session ends too (ended early, by them)."""
    rows = await db.exec(
        select(PracticeSession).where(PracticeSession.couple_id == couple_id, col(PracticeSession.status) != "ended")
    )
    for row in rows.all():
        with contextlib.suppress(IntentRejected, SessionNotFound):
            await runtime.apply_intent(row.id, str(user.id), End())


async def get_session(db: AsyncSession, *, session_id: uuid.UUID, user: User) -> PracticeSession:
    row = await session_for_participant(db, session_id=session_id, user_id=user.id)
    if row is None:
        raise ApiError(404, "session_not_found", "We could not find that session for you.")
    return row


async def list_sessions(db: AsyncSession, *, user: User) -> list[PracticeSession]:
    rows = await db.exec(
        select(PracticeSession)
        .where(or_(PracticeSession.partner_a_id == user.id, PracticeSession.partner_b_id == user.id))
        .order_by(col(PracticeSession.created_at).desc())
    )
    return list(rows.all())


async def to_public(db: AsyncSession, row: PracticeSession, user: User) -> SessionPublic:
    partner_id = row.partner_b_id if row.partner_a_id == user.id else row.partner_a_id
    partner = await db.get(User, partner_id)
    facilitator = await db.get(User, row.facilitator_id) if row.facilitator_id else None
    summary = await db.exec(
        select(SessionSummary.id).where(SessionSummary.session_id == row.id, SessionSummary.user_id == user.id)
    )
    return SessionPublic(
        id=row.id,
        plan_id=row.plan_id,
        plan_title=row.plan_title,
        status=row.status,
        end_reason=row.end_reason,
        created_at=row.created_at,
        started_at=row.started_at,
        ended_at=row.ended_at,
        started_by_me=row.created_by_id == user.id,
        partner_display_name=partner.display_name if partner else None,
        facilitator_display_name=facilitator.display_name if facilitator else None,
        live_path=f"/api/sessions/{row.id}/live",
        summary_available=summary.first() is not None,
    )


def _minutes(row: PracticeSession) -> int:
    if row.started_at is None or row.ended_at is None:
        return 0
    return round((row.ended_at - row.started_at).total_seconds() / 60)


async def my_summaries(db: AsyncSession, *, user: User) -> list[SummaryListItem]:
    rows = await db.exec(
        select(SessionSummary, PracticeSession)
        .join(PracticeSession, col(PracticeSession.id) == col(SessionSummary.session_id))
        .where(SessionSummary.user_id == user.id)
        .order_by(col(SessionSummary.created_at).desc())
    )
    return [_summary_item(summary, session) for summary, session in rows.all()]


def _summary_item(summary: SessionSummary, session: PracticeSession) -> SummaryListItem:
    return SummaryListItem(
        session_id=session.id,
        plan_title=session.plan_title,
        created_at=summary.created_at,
        started_at=session.started_at,
        ended_at=session.ended_at,
        end_reason=session.end_reason,
        minutes=_minutes(session),
    )


async def my_summary(db: AsyncSession, *, session_id: uuid.UUID, user: User) -> SummaryPublic:
    """Only the summary's owner ever gets it; for anyone else it does not exist."""
    row = await db.exec(
        select(SessionSummary, PracticeSession)
        .join(PracticeSession, col(PracticeSession.id) == col(SessionSummary.session_id))
        .where(SessionSummary.session_id == session_id, SessionSummary.user_id == user.id)
    )
    found = row.first()
    if found is None:
        raise ApiError(404, "summary_not_found", "There is no summary of yours for that session.")
    summary, session = found
    item = _summary_item(summary, session)
    return SummaryPublic(**item.model_dump(), content=summary.content, markdown=summary.markdown)
