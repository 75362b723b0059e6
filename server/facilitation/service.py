"""Facilitation data functions. Every function checks who may do what; the controllers only route."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import DefinitionError
from exercises.plans import Plan, PlanItemSpec, PlanSpec, build_plan
from exercises.summary import Summary, shareable, summary_to_markdown
from rooms.catalogue import builtin_catalogue
from rooms.models import PracticeSession, SessionSummary
from rooms.runtime import LiveRuntime
from server.errors import ApiError
from server.facilitation.access import active_link, authorize_facilitator
from server.facilitation.shapes import (
    FacilitatedCouple,
    FacilitatedSessionCreate,
    FacilitatorLinkPublic,
    NotePublic,
    PartnerBrief,
    PlanCompose,
    SavedPlanPublic,
    SessionBrief,
    SessionRecord,
    SharedSummary,
)
from server.live.opening import open_session
from server.live.protocol import CLOSE_ORIGIN_NOT_ALLOWED, RevokedFrame, encode_frame
from server.models import Couple, FacilitatorLink, FacilitatorNote, SavedPlan, SummaryConsent, User
from server.models.timestamps import utcnow
from server.pairing.codes import new_code, normalise_code
from server.pairing.service import current_members, current_membership
from server.progress.sharing_reset import stop_sharing_progress

INVITE_LIFETIME = timedelta(hours=72)


def link_status(link: FacilitatorLink, now: datetime) -> str:
    if link.unlinked_at is not None:
        return "unlinked"
    if link.confirmed_at is not None:
        return "linked"
    if link.accepted_at is not None:
        return "awaiting_confirmation"
    return "expired" if link.expires_at <= now else "pending"


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "We could not find that for you.")


# ----------------------------------------------------------------------------- partners' side


async def _my_couple_id(db: AsyncSession, user: User) -> uuid.UUID:
    membership = await current_membership(db, user_id=user.id)
    if membership is None or len(await current_members(db, couple_id=membership.couple_id)) < 2:
        raise ApiError(409, "not_paired", "Pair with your partner first: a facilitator works with you both.")
    return membership.couple_id


async def accept_invite(db: AsyncSession, *, code: str, user: User) -> FacilitatorLink:
    link = (await db.exec(select(FacilitatorLink).where(FacilitatorLink.code == normalise_code(code)))).first()
    if link is None:
        raise ApiError(404, "invite_not_found", "We could not find that invite. Please check the code.")
    if link.facilitator_id == user.id:
        raise ApiError(403, "own_invite", "This is your own invite: send it to the couple you work with.")
    status = link_status(link, utcnow())
    if status == "expired":
        raise ApiError(410, "invite_expired", "This invite has expired. Ask your facilitator for a new one.")
    if status != "pending":
        raise ApiError(409, "invite_used", "This invite has already been used. Ask your facilitator for a new one.")
    couple_id = await _my_couple_id(db, user)
    await _refuse_partner_as_facilitator(db, facilitator_id=link.facilitator_id, couple_id=couple_id)
    if await _open_links(db, facilitator_id=link.facilitator_id, couple_id=couple_id):
        raise ApiError(409, "already_linked", "This facilitator is already linked with you both, or waiting to be.")
    link.couple_id, link.accepted_by_id, link.accepted_at = couple_id, user.id, utcnow()
    db.add(link)
    await db.commit()
    return link


async def _open_links(db: AsyncSession, *, facilitator_id: uuid.UUID, couple_id: uuid.UUID) -> list[FacilitatorLink]:
    """Links between this facilitator and couple that are waiting for confirmation or in force."""
    rows = await db.exec(
        select(FacilitatorLink).where(
            FacilitatorLink.facilitator_id == facilitator_id,
            FacilitatorLink.couple_id == couple_id,
            col(FacilitatorLink.accepted_at).is_not(None),
            col(FacilitatorLink.unlinked_at).is_(None),
        )
    )
    return list(rows.all())


async def _refuse_partner_as_facilitator(db: AsyncSession, *, facilitator_id: uuid.UUID, couple_id: uuid.UUID) -> None:
    # One partner facilitating the other would be one partner watching the other.
    if any(m.user_id == facilitator_id for m in await current_members(db, couple_id=couple_id)):
        raise ApiError(409, "facilitator_is_partner", "A partner cannot also be the couple's facilitator.")


async def preview_invite(db: AsyncSession, *, code: str) -> tuple[FacilitatorLink, User]:
    link = (await db.exec(select(FacilitatorLink).where(FacilitatorLink.code == normalise_code(code)))).first()
    facilitator = await db.get(User, link.facilitator_id) if link else None
    if link is None or facilitator is None:
        raise ApiError(404, "invite_not_found", "We could not find that invite. Please check the code.")
    return link, facilitator


async def _my_link(db: AsyncSession, *, link_id: uuid.UUID, user: User) -> FacilitatorLink:
    """A link of the user's current couple that is waiting or active; anything else does not exist for them."""
    membership = await current_membership(db, user_id=user.id)
    link = await db.get(FacilitatorLink, link_id)
    if (
        link is None
        or membership is None
        or link.couple_id != membership.couple_id
        or link_status(link, utcnow()) not in ("awaiting_confirmation", "linked")
    ):
        raise _not_found()
    return link


async def my_links(db: AsyncSession, *, user: User) -> list[FacilitatorLinkPublic]:
    membership = await current_membership(db, user_id=user.id)
    if membership is None:
        return []
    links = (await db.exec(select(FacilitatorLink).where(FacilitatorLink.couple_id == membership.couple_id))).all()
    now, result = utcnow(), []
    for link in links:
        status = link_status(link, now)
        if status not in ("awaiting_confirmation", "linked"):
            continue
        facilitator = await db.get(User, link.facilitator_id)
        result.append(
            FacilitatorLinkPublic(
                id=link.id,
                facilitator_display_name=facilitator.display_name if facilitator else "",
                status=status,
                accepted_by_me=link.accepted_by_id == user.id,
                can_confirm=status == "awaiting_confirmation" and link.accepted_by_id != user.id,
                share_my_summaries=await consent_granted(db, user_id=user.id, facilitator_id=link.facilitator_id),
            )
        )
    return result


async def confirm(db: AsyncSession, *, link_id: uuid.UUID, user: User) -> None:
    link = await _my_link(db, link_id=link_id, user=user)
    if link_status(link, utcnow()) != "awaiting_confirmation":
        raise ApiError(409, "already_linked", "This facilitator is already linked with you both.")
    if link.accepted_by_id == user.id:
        raise ApiError(403, "needs_partner", "Your partner confirms this one, so that you both agree.")
    assert link.couple_id is not None
    await _refuse_partner_as_facilitator(db, facilitator_id=link.facilitator_id, couple_id=link.couple_id)
    link.confirmed_by_id, link.confirmed_at = user.id, utcnow()
    db.add(link)
    await db.commit()


async def unlink(db: AsyncSession, runtime: LiveRuntime, *, link_id: uuid.UUID, user: User) -> FacilitatorLink:
    """Either partner, any time, at once: the facilitator loses access, and an open session they run ends."""
    link = await _my_link(db, link_id=link_id, user=user)
    assert link.couple_id is not None
    await end_facilitation(db, runtime, facilitator_id=link.facilitator_id, couple_id=link.couple_id, by=user)
    return link


async def facilitators_of(db: AsyncSession, *, couple_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await db.exec(
        select(FacilitatorLink).where(
            FacilitatorLink.couple_id == couple_id,
            col(FacilitatorLink.accepted_at).is_not(None),
            col(FacilitatorLink.unlinked_at).is_(None),
        )
    )
    return {link.facilitator_id for link in rows.all()}


async def end_facilitation(
    db: AsyncSession, runtime: LiveRuntime, *, facilitator_id: uuid.UUID, couple_id: uuid.UUID, by: User
) -> None:
    """Unlink every link between them, switch both partners' sharing off (a new link starts from 'off'),
    and end any open session the facilitator runs for the couple."""
    now = utcnow()
    for open_link in await _open_links(db, facilitator_id=facilitator_id, couple_id=couple_id):
        open_link.unlinked_by_id, open_link.unlinked_at = by.id, now
        db.add(open_link)
    members = [m.user_id for m in await current_members(db, couple_id=couple_id)]
    consents = await db.exec(
        select(SummaryConsent).where(
            SummaryConsent.facilitator_id == facilitator_id, col(SummaryConsent.user_id).in_(members)
        )
    )
    for consent in consents.all():
        consent.granted, consent.updated_at = False, now
        db.add(consent)
    await stop_sharing_progress(db, facilitator_id=facilitator_id, user_ids=members)
    await db.commit()
    sessions = await db.exec(
        select(PracticeSession).where(
            PracticeSession.couple_id == couple_id, PracticeSession.facilitator_id == facilitator_id
        )
    )
    revoked = encode_frame(RevokedFrame(code=CLOSE_ORIGIN_NOT_ALLOWED))
    for row in sessions.all():
        if row.status != "ended":
            await runtime.end(row.id, str(by.id))
        # Their open live connections close straight away, on whichever process holds them.
        runtime.revoke(row.id, str(facilitator_id), CLOSE_ORIGIN_NOT_ALLOWED, "access_revoked", revoked)


async def consent_granted(db: AsyncSession, *, user_id: uuid.UUID, facilitator_id: uuid.UUID) -> bool:
    row = (
        await db.exec(
            select(SummaryConsent).where(
                SummaryConsent.user_id == user_id, SummaryConsent.facilitator_id == facilitator_id
            )
        )
    ).first()
    return bool(row and row.granted)


async def set_consent(db: AsyncSession, *, link_id: uuid.UUID, user: User, share: bool) -> None:
    link = await _my_link(db, link_id=link_id, user=user)
    row = (
        await db.exec(
            select(SummaryConsent).where(
                SummaryConsent.user_id == user.id, SummaryConsent.facilitator_id == link.facilitator_id
            )
        )
    ).first() or SummaryConsent(user_id=user.id, facilitator_id=link.facilitator_id)
    row.granted, row.updated_at = share, utcnow()
    db.add(row)
    await db.commit()


# ----------------------------------------------------------------------------- facilitators' side


async def create_invite(db: AsyncSession, *, facilitator: User) -> FacilitatorLink:
    await authorize_facilitator(db, facilitator)
    now = utcnow()
    link = FacilitatorLink(
        facilitator_id=facilitator.id, code=new_code(), created_at=now, expires_at=now + INVITE_LIFETIME
    )
    db.add(link)
    await db.commit()
    return link


async def require_link(db: AsyncSession, *, facilitator: User, couple_id: uuid.UUID) -> FacilitatorLink:
    access = await authorize_facilitator(db, facilitator, couple_id=couple_id)
    assert access.link is not None
    return access.link


async def is_linked(db: AsyncSession, *, facilitator_id: uuid.UUID, couple_id: uuid.UUID) -> bool:
    return await active_link(db, facilitator_id=facilitator_id, couple_id=couple_id) is not None


def _brief(row: PracticeSession) -> SessionBrief:
    return SessionBrief.model_validate(row, from_attributes=True)


async def _partners(db: AsyncSession, couple_id: uuid.UUID) -> list[PartnerBrief]:
    members = await current_members(db, couple_id=couple_id)
    users = [await db.get(User, m.user_id) for m in sorted(members, key=lambda m: m.joined_at)]
    return [PartnerBrief(id=u.id, display_name=u.display_name) for u in users if u is not None]


async def couples(db: AsyncSession, *, facilitator: User) -> list[FacilitatedCouple]:
    await authorize_facilitator(db, facilitator)
    links = await db.exec(
        select(FacilitatorLink).where(
            FacilitatorLink.facilitator_id == facilitator.id,
            col(FacilitatorLink.confirmed_at).is_not(None),
            col(FacilitatorLink.unlinked_at).is_(None),
        )
    )
    result = []
    for link in links.all():
        assert link.couple_id is not None
        couple = await db.get(Couple, link.couple_id)
        if couple is None or couple.ended_at is not None:
            continue
        sessions = (
            await db.exec(
                select(PracticeSession)
                .where(PracticeSession.couple_id == link.couple_id, PracticeSession.facilitator_id == facilitator.id)
                .order_by(col(PracticeSession.created_at).desc())
            )
        ).all()
        result.append(
            FacilitatedCouple(
                couple_id=link.couple_id,
                link_id=link.id,
                partners=await _partners(db, link.couple_id),
                upcoming=[_brief(s) for s in sessions if s.status == "lobby"],
                live=[_brief(s) for s in sessions if s.status == "running"],
                past=[_brief(s) for s in sessions if s.status == "ended"],
            )
        )
    return result


def compose_plan(compose: PlanCompose, first_speaker: str = "random") -> Plan:
    """A facilitator's plan, checked against the definitions' bounds (400 with the reason otherwise)."""
    spec = PlanSpec(
        id=f"custom-{secrets.token_hex(4)}",
        title=compose.title,
        description=compose.description or "A plan composed by your facilitator.",
        exercises=tuple(
            PlanItemSpec(exercise=i.exercise, rounds=i.rounds, time_limits=dict(i.time_limits))
            for i in compose.exercises
        ),
    )
    try:
        return build_plan(spec, builtin_catalogue().exercises, source_name="plan", rules=builtin_catalogue().rules)
    except DefinitionError as exc:
        raise ApiError(400, "invalid_plan", str(exc)) from exc
    except msgspec.ValidationError as exc:
        raise ApiError(400, "invalid_plan", f"plan: {exc}") from exc


async def save_plan(db: AsyncSession, *, facilitator: User, compose: PlanCompose) -> SavedPlanPublic:
    await authorize_facilitator(db, facilitator)
    plan = compose_plan(compose)
    row = SavedPlan(facilitator_id=facilitator.id, title=compose.title, spec=compose.model_dump())
    db.add(row)
    await db.commit()
    return SavedPlanPublic(
        id=row.id, title=row.title, spec=row.spec, estimated_minutes=plan.estimated_minutes, created_at=row.created_at
    )


async def saved_plans(db: AsyncSession, *, facilitator: User) -> list[SavedPlanPublic]:
    await authorize_facilitator(db, facilitator)
    rows = (
        await db.exec(
            select(SavedPlan).where(SavedPlan.facilitator_id == facilitator.id).order_by(col(SavedPlan.created_at))
        )
    ).all()
    return [
        SavedPlanPublic(
            id=r.id,
            title=r.title,
            spec=r.spec,
            estimated_minutes=compose_plan(PlanCompose.model_validate(r.spec)).estimated_minutes,
            created_at=r.created_at,
        )
        for r in rows
    ]


async def _saved_plan(db: AsyncSession, *, facilitator: User, plan_id: uuid.UUID) -> SavedPlan:
    row = await db.get(SavedPlan, plan_id)
    if row is None or row.facilitator_id != facilitator.id:
        raise _not_found()
    return row


async def delete_plan(db: AsyncSession, *, facilitator: User, plan_id: uuid.UUID) -> None:
    await authorize_facilitator(db, facilitator)
    await db.delete(await _saved_plan(db, facilitator=facilitator, plan_id=plan_id))
    await db.commit()


async def start_session(
    db: AsyncSession, runtime: LiveRuntime, *, facilitator: User, couple_id: uuid.UUID, body: FacilitatedSessionCreate
) -> PracticeSession:
    await require_link(db, facilitator=facilitator, couple_id=couple_id)
    chosen = [body.plan is not None, body.saved_plan_id is not None, body.plan_id is not None]
    if sum(chosen) != 1:
        raise ApiError(400, "invalid_plan", "Give exactly one of: plan, saved_plan_id or plan_id.")
    if body.plan is not None:
        plan = compose_plan(body.plan)
    elif body.saved_plan_id is not None:
        saved = await _saved_plan(db, facilitator=facilitator, plan_id=body.saved_plan_id)
        plan = compose_plan(PlanCompose.model_validate(saved.spec))
    else:
        found = builtin_catalogue().plans.get(body.plan_id or "")
        if found is None:
            raise ApiError(400, "unknown_plan", f"There is no plan called {body.plan_id!r}.")
        plan = found
    partners = [str(p.id) for p in await _partners(db, couple_id)]
    if len(partners) != 2:
        raise _not_found()
    if body.first_speaker == "random":
        first = partners[secrets.randbelow(2)]
    elif body.first_speaker in partners:
        first = body.first_speaker
    else:
        raise ApiError(400, "invalid_first_speaker", "Choose random, or one of the two partners.")
    return await open_session(
        db,
        runtime,
        couple_id=couple_id,
        created_by=facilitator.id,
        partners=(partners[0], partners[1]),
        plan=plan,
        first_speaker=first,
        facilitator_id=facilitator.id,
    )


async def _my_facilitated_session(db: AsyncSession, *, facilitator: User, session_id: uuid.UUID) -> PracticeSession:
    access = await authorize_facilitator(db, facilitator, session_id=session_id)
    assert access.session is not None
    return access.session


async def add_note(db: AsyncSession, *, facilitator: User, session_id: uuid.UUID, text: str) -> NotePublic:
    await _my_facilitated_session(db, facilitator=facilitator, session_id=session_id)
    note = FacilitatorNote(facilitator_id=facilitator.id, session_id=session_id, text=text)
    db.add(note)
    await db.commit()
    return NotePublic(id=note.id, text=note.text, created_at=note.created_at)


async def notes(db: AsyncSession, *, facilitator: User, session_id: uuid.UUID) -> list[NotePublic]:
    await _my_facilitated_session(db, facilitator=facilitator, session_id=session_id)
    rows = await db.exec(
        select(FacilitatorNote)
        .where(FacilitatorNote.session_id == session_id, FacilitatorNote.facilitator_id == facilitator.id)
        .order_by(col(FacilitatorNote.created_at))
    )
    return [NotePublic(id=n.id, text=n.text, created_at=n.created_at) for n in rows.all()]


async def record(db: AsyncSession, runtime: LiveRuntime, *, facilitator: User, session_id: uuid.UUID) -> SessionRecord:
    """What the facilitator saw (events addressed to everyone or to them: never a private answer) and notes."""
    row = await _my_facilitated_session(db, facilitator=facilitator, session_id=session_id)
    events = await runtime.timeline(session_id, str(facilitator.id))
    timeline = [{"seq": e.seq, "event": e.type, "data": e.payload, "at": e.at} for e in events]
    return SessionRecord(
        session=_brief(row), timeline=timeline, notes=await notes(db, facilitator=facilitator, session_id=session_id)
    )


async def shared_summaries(db: AsyncSession, *, facilitator: User, couple_id: uuid.UUID) -> list[SharedSummary]:
    """Summaries of the partners who said yes to this facilitator; a 'no' hides them at once."""
    await require_link(db, facilitator=facilitator, couple_id=couple_id)
    result = []
    for partner in await _partners(db, couple_id):
        if not await consent_granted(db, user_id=partner.id, facilitator_id=facilitator.id):
            continue
        rows = await db.exec(
            select(SessionSummary, PracticeSession)
            .join(PracticeSession, col(PracticeSession.id) == col(SessionSummary.session_id))
            # Only sessions this facilitator ran: they saw those live; anything else was the couple's alone.
            .where(
                SessionSummary.user_id == partner.id,
                PracticeSession.couple_id == couple_id,
                PracticeSession.facilitator_id == facilitator.id,
            )
            .order_by(col(SessionSummary.created_at).desc())
        )
        for summary, session in rows.all():
            # Rebuilt from the stored content without the private reflections: consent covers the summary,
            # never what its author wrote for themself alone.
            shared = shareable(msgspec.convert(summary.content, Summary))
            preface = f"_Shared with you by {partner.display_name}; written to them._\n\n"
            markdown = preface + summary_to_markdown(shared)
            result.append(
                SharedSummary(
                    partner=partner,
                    session_id=session.id,
                    plan_title=session.plan_title,
                    markdown=markdown,
                    content=msgspec.to_builtins(shared),
                )
            )
    return result


def exercise_catalogue() -> list[dict[str, object]]:
    """What a facilitator may compose from, with the bounds the definitions allow."""
    items = []
    for definition in builtin_catalogue().exercises.values():
        items.append(
            {
                "id": definition.id,
                "title": definition.title,
                "description": definition.description,
                "rounds": {"default": definition.rounds, "min": definition.rounds_min, "max": definition.rounds_max},
                "steps": [
                    {
                        "id": step.id,
                        "title": step.title,
                        "time_limit": {
                            "default": step.time_limit,
                            "min": step.time_limit_min,
                            "max": step.time_limit_max,
                        },
                    }
                    for step in definition.steps
                    if step.time_limit is not None
                ],
            }
        )
    return items
