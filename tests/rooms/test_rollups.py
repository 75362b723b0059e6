"""When a live session ends, each partner's measures are stored with their summaries, in one commit."""

from __future__ import annotations

from sqlmodel import select

from exercises import End, Ready, Submit
from rooms.models import SessionMeasures, SessionSummary
from tests.rooms.conftest import FakeSocket, Harness


async def submit(h: Harness, session_id, who: str, socket: FakeSocket, value) -> None:
    step_no = socket.events("step_started")[-1]["data"]["step_no"]
    await h.runtime.submit(session_id, who, Submit(step_no=step_no, value=value))


async def test_a_daily_session_that_ends_leaves_one_measures_row_per_partner(harness: Harness, db_session) -> None:
    session_id, a, b = await harness.new_session()
    sa, sb = FakeSocket(a), FakeSocket(b)
    await harness.runtime.attach(session_id, sa, None)
    await harness.runtime.attach(session_id, sb, None)
    await harness.runtime.submit(session_id, a, Ready())
    await harness.runtime.submit(session_id, b, Ready())
    for value_a, value_b in ((3, 4), (2, 5)):  # check-in: connected, calm
        await submit(harness, session_id, a, sa, value_a)
        await submit(harness, session_id, b, sb, value_b)
    await submit(harness, session_id, a, sa, "gratitude")  # a's small truth: the feeling
    await submit(harness, session_id, a, sa, "I felt grateful for the walk.")
    await submit(harness, session_id, b, sb, "You felt grateful for our walk.")
    await submit(harness, session_id, a, sa, "yes")
    async with db_session() as db:
        assert (await db.exec(select(SessionMeasures))).all() == []  # nothing until the session ends
    await harness.runtime.submit(session_id, b, End())
    await harness.settle()
    async with db_session() as db:
        rows = {str(r.user_id): r for r in (await db.exec(select(SessionMeasures))).all()}
        summaries = (await db.exec(select(SessionSummary).where(SessionSummary.session_id == session_id))).all()
    assert set(rows) == {a, b} and len(summaries) == 2
    mine = rows[a]
    assert (mine.attended, mine.completed, mine.self_disclosure) == (True, False, 1)
    assert (mine.reflections_total, mine.reflections_landed) == (1, 1)
    assert (mine.connected_start, mine.calm_start, mine.connected_end) == (3, 2, None)
    assert rows[b].self_disclosure == 0 and rows[b].calm_start == 5
    assert mine.session_id == session_id and mine.started_at is not None and mine.facilitator_id is None
