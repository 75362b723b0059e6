"""Deleting an account: end everything live first, then erase or scrub every stored trace of the person.

What stays: a tombstone row (so the partner's history still points somewhere, with no email, name or
password), the partner's own summaries with this person's words replaced by a kind placeholder, and
a facilitator's own notes about sessions they ran (those are the facilitator's words, not ours to erase).
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.summary import Summary, summary_to_markdown
from rooms.models import PracticeSession, SessionEvent, SessionSummary
from rooms.runtime import LiveRuntime
from server.between.erase import erase_between_sessions
from server.facilitation.service import end_facilitation, facilitators_of
from server.journal.erase import erase_journal
from server.live.service import end_open_sessions
from server.models import FacilitatorLink, FacilitatorNote, Invite, SavedPlan, SummaryConsent, User
from server.models.timestamps import utcnow
from server.pairing.service import current_membership, leave_couple
from server.progress.export import progress_rows_of

REMOVED_WORDS = "(Your partner's words were removed when they closed their account.)"
CLOSED_ACCOUNT_NAME = "A closed account"
UNUSABLE_HASH = "!closed"


async def delete_account(db: AsyncSession, runtime: LiveRuntime, *, user: User) -> None:
    await _end_live_ties(db, runtime, user)
    await _scrub_sessions(db, user)
    await erase_between_sessions(db, user=user)
    await _erase_own_rows(db, user)
    await _tombstone(db, user)


async def _end_live_ties(db: AsyncSession, runtime: LiveRuntime, user: User) -> None:
    """As leaving a couple does: open sessions end (summaries are written), facilitation ends, the couple ends."""
    membership = await current_membership(db, user_id=user.id)
    if membership is not None:
        couple_id = membership.couple_id
        await end_open_sessions(db, runtime, couple_id=couple_id, user=user)
        for facilitator_id in await facilitators_of(db, couple_id=couple_id):
            # (this also closes the facilitator's sockets to the couple's sessions, on every process)
            await end_facilitation(db, runtime, facilitator_id=facilitator_id, couple_id=couple_id, by=user)
        await leave_couple(db, user=user)
    # As a facilitator: every couple I am linked with is unlinked, my open sessions with them end.
    links = await db.exec(
        select(FacilitatorLink).where(
            FacilitatorLink.facilitator_id == user.id, col(FacilitatorLink.unlinked_at).is_(None)
        )
    )
    for link in links.all():
        if link.couple_id is None:
            link.unlinked_at, link.unlinked_by_id = utcnow(), user.id
            db.add(link)
            await db.commit()
        else:
            await end_facilitation(db, runtime, facilitator_id=user.id, couple_id=link.couple_id, by=user)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value  # "ready" marks say nothing about a person
    return REMOVED_WORDS if isinstance(value, str) else None


def _scrub_event(event: SessionEvent, me: str) -> dict[str, Any] | None:
    payload = dict(event.payload)
    mine_shared = event.type == "answer_shared" and payload.get("author") == me
    mine_private = event.type == "private_answer_saved" and event.audience == [me]
    if mine_shared or mine_private:
        payload["value"] = _scrub_value(payload.get("value"))
    elif event.type == "answers_revealed" and me in (payload.get("answers") or {}):
        payload["answers"] = {**payload["answers"], me: _scrub_value(payload["answers"][me])}
    else:
        return None
    return payload


def _scrub_state(state: bytes, me: str) -> bytes:
    data = msgspec.json.decode(state)
    for answer in data.get("answers", []):
        if answer.get("author") == me:
            answer["value"] = _scrub_value(answer.get("value"))
    step = data.get("step") or {}
    if me in (step.get("answers") or {}):
        step["answers"][me] = _scrub_value(step["answers"][me])
    return msgspec.json.encode(data)


def _scrub_summary(content: dict[str, Any], me: str) -> dict[str, Any]:
    """The partner's summary without my words: lines I wrote say so kindly; my ratings are gone."""

    def lines(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**line, "value": REMOVED_WORDS} if line.get("author") == me else line for line in items]

    scrubbed = dict(content)
    for key in ("you_shared", "partner_shared"):
        scrubbed[key] = [{**exchange, "lines": lines(exchange.get("lines", []))} for exchange in content.get(key, [])]
    scrubbed["together"] = lines(content.get("together", []))
    scrubbed["scores"] = [{**s, "partners_before": None, "partners_after": None} for s in content.get("scores", [])]
    return scrubbed


async def _scrub_sessions(db: AsyncSession, user: User) -> None:
    me = str(user.id)
    rows = await db.exec(
        select(PracticeSession).where(
            or_(PracticeSession.partner_a_id == user.id, PracticeSession.partner_b_id == user.id)
        )
    )
    for session in rows.all():
        session.state = _scrub_state(session.state, me)
        db.add(session)
        for event in (await db.exec(select(SessionEvent).where(SessionEvent.session_id == session.id))).all():
            payload = _scrub_event(event, me)
            if payload is not None:
                event.payload = payload
                db.add(event)
        partner_summaries = await db.exec(
            select(SessionSummary).where(SessionSummary.session_id == session.id, SessionSummary.user_id != user.id)
        )
        for summary in partner_summaries.all():
            summary.content = _scrub_summary(summary.content, me)
            summary.markdown = summary_to_markdown(msgspec.convert(summary.content, Summary))
            db.add(summary)
    await db.commit()


async def _erase_own_rows(db: AsyncSession, user: User) -> None:
    await erase_journal(db, user=user)  # journal entries, shares (mine and those made to me), noticings
    for statement in (
        delete(SessionSummary).where(col(SessionSummary.user_id) == user.id),
        delete(SummaryConsent).where(
            or_(col(SummaryConsent.user_id) == user.id, col(SummaryConsent.facilitator_id) == user.id)
        ),
        delete(SavedPlan).where(col(SavedPlan.facilitator_id) == user.id),
        delete(FacilitatorNote).where(col(FacilitatorNote.facilitator_id) == user.id),
        delete(Invite).where(col(Invite.inviter_id) == user.id, col(Invite.accepted_at).is_(None)),
        *progress_rows_of(user.id),
    ):
        await db.exec(statement)  # type: ignore[call-overload]
    await db.commit()


async def _tombstone(db: AsyncSession, user: User) -> None:
    row = await db.get(User, user.id, with_for_update=True)
    assert row is not None
    row.email = f"closed-{row.id.hex}@closed.invalid"
    row.display_name = CLOSED_ACCOUNT_NAME
    row.password_hash = UNUSABLE_HASH
    row.share_email_with_partner = False
    row.is_facilitator = False
    row.sign_in_generation += 1
    row.deleted_at = utcnow()
    db.add(row)
    await db.commit()
