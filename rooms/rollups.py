"""Rollup rows: one partner's measures of one ended session (exercises/measures.py), ready to insert.

The journal writes them in the same transaction as the session's summaries; sessions that ended before
this table existed are filled in later from their stored events (server/progress/rollups.py).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from exercises.measures import EventLike, measures_from_events
from rooms.models import PracticeSession, SessionEvent, SessionMeasures, SessionRollupFailure
from rooms.timestamps import utcnow

logger = logging.getLogger("duologue.rooms.rollups")

MEASURES = SessionMeasures.__table__  # type: ignore[attr-defined]
SESSIONS = PracticeSession.__table__  # type: ignore[attr-defined]
EVENTS = SessionEvent.__table__  # type: ignore[attr-defined]
FAILURES = SessionRollupFailure.__table__  # type: ignore[attr-defined]


def rollup_rows(
    *,
    session_id: uuid.UUID,
    couple_id: uuid.UUID,
    facilitator_id: uuid.UUID | None,
    started_at: datetime,
    partners: Sequence[uuid.UUID],
    events: Iterable[EventLike],
) -> list[dict[str, Any]]:
    events = list(events)
    facilitator = str(facilitator_id) if facilitator_id else None
    rows = []
    for partner in partners:
        measures = measures_from_events(events, str(partner), facilitator=facilitator)
        rows.append(
            {
                "session_id": session_id,
                "user_id": partner,
                "couple_id": couple_id,
                "facilitator_id": facilitator_id,
                "started_at": started_at,
                **msgspec.structs.asdict(measures),
            }
        )
    return rows


def insert_rollups(conn: AsyncConnection, rows: list[dict[str, Any]]) -> Any:
    """An INSERT that leaves a row already there alone (two writers of the same session's rollup)."""
    dialect = conn.dialect.name
    table: Table = MEASURES
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=["session_id", "user_id"])
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["session_id", "user_id"])
    else:  # pragma: no cover - the two supported backends are above
        statement = insert(table)
    return conn.execute(statement, rows)


async def rollups_for_session(
    conn: AsyncConnection, session_id: uuid.UUID, started_at: datetime
) -> list[dict[str, Any]]:
    """Rows for one ended session from its stored events (in the journal: the events of this very
    transaction included, as they were inserted just before)."""
    row = (
        await conn.execute(
            select(
                SESSIONS.c.couple_id, SESSIONS.c.partner_a_id, SESSIONS.c.partner_b_id, SESSIONS.c.facilitator_id
            ).where(SESSIONS.c.id == session_id)
        )
    ).first()
    if row is None:
        return []
    stored = await conn.execute(
        select(EVENTS.c.type, EVENTS.c.payload, EVENTS.c.audience)
        .where(EVENTS.c.session_id == session_id)
        .order_by(EVENTS.c.seq)
    )
    events: list[Any] = list(stored)
    rows = safe_rollup_rows(
        session_id=session_id,
        couple_id=row.couple_id,
        facilitator_id=row.facilitator_id,
        started_at=started_at,
        partners=(row.partner_a_id, row.partner_b_id),
        events=events,
    )
    if rows is None:
        await mark_failed(conn, session_id)
        return []
    return rows


def safe_rollup_rows(**kwargs: Any) -> list[dict[str, Any]] | None:
    """`rollup_rows`, but a session must end (and progress answer) even if counting it fails: then None,
    and an error line with the exception's type only (never payloads). The caller remembers the failure
    (`mark_failed`), so it is logged once and not tried again on every read."""
    try:
        return rollup_rows(**kwargs)
    except Exception as exc:
        logger.error("counting session %s for progress failed: %s", kwargs.get("session_id"), type(exc).__name__)
        return None


def mark_failed(conn: AsyncConnection, session_id: uuid.UUID) -> Any:
    """Remember that this session's rollup failed (once; a second writer leaves the first mark)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(FAILURES).on_conflict_do_nothing(index_elements=["session_id"])
    elif dialect == "sqlite":
        statement = sqlite.insert(FAILURES).on_conflict_do_nothing(index_elements=["session_id"])
    else:  # pragma: no cover - the two supported backends are above
        statement = insert(FAILURES)
    return conn.execute(statement, [{"session_id": session_id, "failed_at": utcnow()}])
