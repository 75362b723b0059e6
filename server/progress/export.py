"""A person's progress in their account export, and the rows their account deletion erases."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Delete, delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.models import SessionMeasures
from server.models import (
    ProgressFacilitatorShare,
    ProgressPartnerShare,
    RecordedScore,
    SelfCheckRecord,
    SelfCheckSkip,
    User,
)
from server.progress.backfill import ensure_rollups

MEASURE_FIELDS = (
    "attended",
    "completed",
    "with_facilitator",
    "self_disclosure",
    "reflections_total",
    "reflections_landed",
    "understood_sum",
    "understood_count",
    "breathing_completed",
    "breaks_taken",
    "breaks_returned",
    "connected_start",
    "connected_end",
    "calm_start",
    "calm_end",
)


async def my_progress_data(db: AsyncSession, *, user: User) -> dict[str, Any]:
    await ensure_rollups(db, [user.id])  # sessions that ended before progress existed count too
    checks = await db.exec(
        select(SelfCheckRecord).where(SelfCheckRecord.user_id == user.id).order_by(col(SelfCheckRecord.taken_on))
    )
    skips = await db.exec(
        select(SelfCheckSkip).where(SelfCheckSkip.user_id == user.id).order_by(col(SelfCheckSkip.skipped_on))
    )
    measures = await db.exec(
        select(SessionMeasures).where(SessionMeasures.user_id == user.id).order_by(col(SessionMeasures.started_at))
    )
    partner_shares = await db.exec(select(ProgressPartnerShare).where(ProgressPartnerShare.user_id == user.id))
    facilitator_shares = await db.exec(
        select(ProgressFacilitatorShare, User.display_name)  # type: ignore[call-overload]
        .join(User, col(User.id) == col(ProgressFacilitatorShare.facilitator_id))
        .where(ProgressFacilitatorShare.user_id == user.id)
    )
    scores = await db.exec(
        select(RecordedScore, User.display_name)  # type: ignore[call-overload]
        .join(User, col(User.id) == col(RecordedScore.facilitator_id))
        .where(RecordedScore.user_id == user.id)
        .order_by(col(RecordedScore.administered_on))
    )
    return {
        "self_checks": [
            {"taken_on": c.taken_on.isoformat(), "answers": c.answers, "scores": c.scores} for c in checks.all()
        ],
        "self_check_skips": [s.skipped_on.isoformat() for s in skips.all()],
        "session_measures": [
            {
                "session_id": str(m.session_id),
                "started_at": m.started_at.isoformat(),
                **{name: getattr(m, name) for name in MEASURE_FIELDS},
            }
            for m in measures.all()
        ],
        "sharing": {
            "with_partner": [
                {"couple_id": str(s.couple_id), "shared": s.shared, "updated_at": s.updated_at.isoformat()}
                for s in partner_shares.all()
            ],
            "with_facilitators": [
                {"facilitator": name, "shared": s.shared, "updated_at": s.updated_at.isoformat()}
                for s, name in facilitator_shares.all()
            ],
        },
        "scores_recorded_about_me": [
            {
                "instrument": r.instrument,
                "subscale": r.subscale,
                "value": r.value,
                "scale_min": r.scale_min,
                "scale_max": r.scale_max,
                "administered_on": r.administered_on.isoformat(),
                "recorded_by": name,
            }
            for r, name in scores.all()
        ],
    }


def progress_rows_of(user_id: uuid.UUID) -> list[Delete]:
    """Everything of a person's progress, for account deletion. Scores a facilitator recorded about
    someone else stay that person's; sharing choices that name this person as facilitator go."""
    return [
        delete(SelfCheckRecord).where(col(SelfCheckRecord.user_id) == user_id),
        delete(SelfCheckSkip).where(col(SelfCheckSkip.user_id) == user_id),
        delete(SessionMeasures).where(col(SessionMeasures.user_id) == user_id),
        delete(ProgressPartnerShare).where(col(ProgressPartnerShare.user_id) == user_id),
        delete(ProgressFacilitatorShare).where(
            or_(
                col(ProgressFacilitatorShare.user_id) == user_id,
                col(ProgressFacilitatorShare.facilitator_id) == user_id,
            )
        ),
        delete(RecordedScore).where(col(RecordedScore.user_id) == user_id),
        # Solo practices are erased with the rest of between-sessions (server/between/erase.py).
    ]
