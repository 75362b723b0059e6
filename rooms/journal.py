"""The session journal: the engine's state snapshot plus every event, numbered and stored before publishing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import Event, build_summary, keeps_summaries, next_wakeup
from exercises.state import SessionState, encode_state
from exercises.summary import summary_to_markdown
from rooms.models import PracticeSession, SessionEvent, SessionSummary


class VersionConflict(Exception):
    """Someone else (another process) wrote this session first; reload and try again."""


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    type: str
    payload: dict[str, Any]
    audience: tuple[str, ...] | None
    at: float

    def visible_to(self, participant: str) -> bool:
        return self.audience is None or participant in self.audience


def _from_timestamp(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


async def load(db: AsyncSession, session_id: uuid.UUID) -> PracticeSession | None:
    return await db.get(PracticeSession, session_id, populate_existing=True)


async def commit_transition(
    db: AsyncSession, row: PracticeSession, new_state: SessionState, events: list[Event], now: float
) -> list[StoredEvent]:
    """Write the new state and its events in one transaction, fenced by the version read earlier."""
    # Read before the UPDATE: the ORM synchronises `row` with the values it writes.
    first_seq, old_version, was_ended = row.version + 1, row.version, row.status == "ended"
    stored = [
        StoredEvent(first_seq + i, e.type, msgspec.to_builtins(e.payload), e.audience, now)
        for i, e in enumerate(events)
    ]
    new_version = old_version + len(stored)
    values: dict[str, Any] = {
        "state": encode_state(new_state),
        "version": new_version,
        "status": new_state.phase,
        "end_reason": new_state.end_reason,
        "next_wakeup": next_wakeup(new_state),
        "started_at": _from_timestamp(new_state.started_at),
        "ended_at": _from_timestamp(new_state.ended_at),
    }
    result = await db.exec(
        update(PracticeSession)
        .where(col(PracticeSession.id) == row.id, col(PracticeSession.version) == old_version)
        .values(**values)
    )
    if result.rowcount != 1:
        await db.rollback()
        raise VersionConflict(str(row.id))
    for event in stored:
        db.add(
            SessionEvent(
                session_id=row.id,
                seq=event.seq,
                type=event.type,
                audience=list(event.audience) if event.audience is not None else None,
                payload=event.payload,
                at=event.at,
            )
        )
    if not was_ended and keeps_summaries(new_state):  # a session ended before it started leaves none
        for partner in new_state.partners:
            summary = build_summary(new_state, partner)
            db.add(
                SessionSummary(
                    session_id=row.id,
                    user_id=uuid.UUID(partner),
                    content=msgspec.to_builtins(summary),
                    markdown=summary_to_markdown(summary),
                )
            )
    await db.commit()
    return stored


async def events_since(
    db: AsyncSession, session_id: uuid.UUID, since: int, until: int, participant: str
) -> list[StoredEvent]:
    """What one participant missed in (since, until], in order, without anything addressed to others.

    `until` is the version the caller read: later events arrive live and must not be sent twice.
    """
    rows = await db.exec(
        select(SessionEvent)
        .where(SessionEvent.session_id == session_id, col(SessionEvent.seq) > since, col(SessionEvent.seq) <= until)
        .order_by(col(SessionEvent.seq))
    )
    events = [
        StoredEvent(r.seq, r.type, r.payload, tuple(r.audience) if r.audience is not None else None, r.at)
        for r in rows.all()
    ]
    return [e for e in events if e.visible_to(participant)]


async def live_sessions(db: AsyncSession) -> list[PracticeSession]:
    rows = await db.exec(select(PracticeSession).where(col(PracticeSession.status) != "ended"))
    return list(rows.all())
