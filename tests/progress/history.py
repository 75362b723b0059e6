"""Real sessions in the database for progress tests: driven through the engine, stored as the journal does.

The engine runs with the stand-in ids "ana", "ben" and "fay"; `remap` puts real user ids in their place
everywhere (payloads, answer maps, audiences), so the stored events are exactly what a live session
between those people would have left.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from exercises.state import encode_state_without_plan
from rooms.models import PracticeSession, SessionEvent
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run

SESSIONS = PracticeSession.__table__  # type: ignore[attr-defined]
EVENTS = SessionEvent.__table__  # type: ignore[attr-defined]


def remap(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {ids.get(k, k): remap(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [remap(v, ids) for v in value]
    return value


async def store_run(
    conn: AsyncConnection,
    run: Run,
    *,
    couple_id: uuid.UUID,
    ana: uuid.UUID,
    ben: uuid.UUID,
    fay: uuid.UUID | None = None,
    started_at: datetime,
) -> uuid.UUID:
    """Store one ended session (no rollup: the progress endpoints fill those in)."""
    ids = {ANA: str(ana), BEN: str(ben), **({FAY: str(fay)} if fay else {})}
    session_id = uuid.uuid4()
    events = [
        {
            "session_id": session_id,
            "seq": i + 1,
            "type": e.type,
            "audience": remap(list(e.audience), ids) if e.audience is not None else None,
            "payload": remap(msgspec.to_builtins(e.payload), ids),
            "at": started_at.timestamp(),
        }
        for i, e in enumerate(run.events)
    ]
    ended = started_at + timedelta(seconds=(run.state.ended_at or run.now) - (run.state.started_at or run.now))
    await conn.execute(
        insert(SESSIONS).values(
            id=session_id,
            couple_id=couple_id,
            created_by_id=ana,
            partner_a_id=ana,
            partner_b_id=ben,
            facilitator_id=fay,
            plan_id=run.state.plan.id,
            plan_title=run.state.plan.title,
            status=run.state.phase,
            end_reason=run.state.end_reason,
            version=len(events),
            state=encode_state_without_plan(run.state),
            plan=msgspec.json.encode(run.state.plan),
            created_at=started_at.astimezone(UTC),
            started_at=started_at.astimezone(UTC) if run.state.started_at is not None else None,
            ended_at=ended.astimezone(UTC) if run.state.phase == "ended" else None,
        )
    )
    if events:
        await conn.execute(insert(EVENTS), events)
    return session_id
