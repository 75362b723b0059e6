"""Everything about one person, as one JSON document they can take with them.

What is in it is what they could already see in the app: their account, couples, the sessions they
took part in (every event addressed to them: what both shared, their own private answers, never the
partner's), their summaries, their progress (self-checks, measures, sharing choices, scores recorded
about them), their private journal (and which entry they share), their noticings, and, for
facilitators, the notes and plans they wrote. A facilitator's export never holds an entry shared
with them: that is the author's.
"""

from __future__ import annotations

import time
from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.journal import events_since
from rooms.models import PracticeSession, SessionSummary
from server.between.export import between_sessions
from server.journal.export import journal_export
from server.models import CoupleMember, FacilitatorNote, SavedPlan, User
from server.progress.export import my_progress_data

EXPORT_FORMAT = "duologue-export/1"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def everything_about(db: AsyncSession, *, user: User) -> dict[str, Any]:
    me = str(user.id)
    memberships = (await db.exec(select(CoupleMember).where(CoupleMember.user_id == user.id))).all()
    couples = []
    for membership in memberships:
        others = (
            await db.exec(
                select(CoupleMember, User)
                .join(User, col(User.id) == col(CoupleMember.user_id))
                .where(CoupleMember.couple_id == membership.couple_id, CoupleMember.user_id != user.id)
            )
        ).all()
        couples.append(
            {
                "couple_id": str(membership.couple_id),
                "joined_at": _iso(membership.joined_at),
                "left_at": _iso(membership.left_at),
                "partner_display_names": [other.display_name for _, other in others],
            }
        )
    session_rows = (
        await db.exec(
            select(PracticeSession)
            .where(or_(PracticeSession.partner_a_id == user.id, PracticeSession.partner_b_id == user.id))
            .order_by(col(PracticeSession.created_at))
        )
    ).all()
    sessions = []
    for row in session_rows:
        events = await events_since(db, row.id, 0, row.version, me)
        sessions.append(
            {
                "id": str(row.id),
                "plan_title": row.plan_title,
                "status": row.status,
                "end_reason": row.end_reason,
                "created_at": _iso(row.created_at),
                "started_at": _iso(row.started_at),
                "ended_at": _iso(row.ended_at),
                "events": [{"seq": e.seq, "event": e.type, "data": e.payload, "at": e.at} for e in events],
            }
        )
    summaries = (
        await db.exec(
            select(SessionSummary).where(SessionSummary.user_id == user.id).order_by(col(SessionSummary.created_at))
        )
    ).all()
    notes = (await db.exec(select(FacilitatorNote).where(FacilitatorNote.facilitator_id == user.id))).all()
    plans = (await db.exec(select(SavedPlan).where(SavedPlan.facilitator_id == user.id))).all()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": time.time(),
        "account": {
            "id": me,
            "email": user.email,
            "display_name": user.display_name,
            "share_email_with_partner": user.share_email_with_partner,
            "is_facilitator": user.is_facilitator,
            "created_at": _iso(user.created_at),
        },
        "couples": couples,
        "sessions": sessions,
        "summaries": [
            {
                "session_id": str(s.session_id),
                "created_at": _iso(s.created_at),
                "content": s.content,
                "markdown": s.markdown,
            }
            for s in summaries
        ],
        "progress": await my_progress_data(db, user=user),
        "facilitation": {
            "notes_i_wrote": [
                {"session_id": str(n.session_id), "text": n.text, "created_at": _iso(n.created_at)} for n in notes
            ],
            "saved_plans": [{"title": p.title, "spec": p.spec, "created_at": _iso(p.created_at)} for p in plans],
        },
        **await journal_export(db, user=user),
        "between_sessions": await between_sessions(db, user=user),
    }
