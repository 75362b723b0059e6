"""The live runtime with a real database and a moving clock: storing, numbering, timers, presence."""

import asyncio

import pytest
from sqlmodel import col, select

from exercises import AskSpace, ComeBack, IntentRejected, Ready, Submit
from rooms.models import PracticeSession, SessionEvent, SessionSummary
from rooms.runtime import Busy, RateLimited, TooManyConnections
from tests.rooms.conftest import FakeSocket, Harness, wait_until


async def start(h: Harness) -> tuple:
    session_id, a, b = await h.new_session()
    sa, sb = FakeSocket(a), FakeSocket(b)
    await h.runtime.attach(session_id, sa, None)
    await h.runtime.attach(session_id, sb, None)
    await h.runtime.submit(session_id, a, Ready())
    await h.runtime.submit(session_id, b, Ready())
    return session_id, a, b, sa, sb


def step_of(socket: FakeSocket) -> dict:
    return socket.events("step_started")[-1]["data"]


async def test_events_are_numbered_stored_and_only_then_delivered_in_order(harness: Harness, db_session) -> None:
    session_id, _a, _b, sa, _sb = await start(harness)
    async with db_session() as db:
        stored = (
            await db.exec(
                select(SessionEvent).where(SessionEvent.session_id == session_id).order_by(col(SessionEvent.seq))
            )
        ).all()
        row = await db.get(PracticeSession, session_id)
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert row.version == len(stored) and row.status == "running"
    delivered = [e["seq"] for e in sa.events()]
    assert delivered == sorted(delivered) and set(delivered) <= {e.seq for e in stored}


async def test_the_plan_is_stored_once_and_the_state_without_it(harness: Harness, db_session) -> None:
    session_id, *_ = await start(harness)
    async with db_session() as db:
        row = await db.get(PracticeSession, session_id)
    assert row.plan and b'"exercises"' in row.plan
    assert b'"exercises"' not in row.state and len(row.state) < len(row.plan)


async def test_an_acknowledged_intent_is_durable_when_submit_returns(harness: Harness, db_session) -> None:
    session_id, a, *_ = await start(harness)
    seq = await harness.runtime.submit(session_id, a, AskSpace(return_in_seconds=20 * 60))
    async with db_session() as db:
        found = (
            await db.exec(select(SessionEvent).where(SessionEvent.session_id == session_id, SessionEvent.seq == seq))
        ).first()
    assert found is not None


async def test_each_partner_gets_their_own_step_announcement(harness: Harness) -> None:
    _session_id, _a, _b, sa, sb = await start(harness)
    for socket in (sa, sb):
        step = step_of(socket)
        assert step["exercise_id"] == "check_in" and step["role"] == "both" and step["acting"]
        assert step["deadline"] == pytest.approx(harness.clock() + step["remaining"])


async def test_a_rejected_intent_changes_nothing(harness: Harness, db_session) -> None:
    session_id, a, *_ = await start(harness)
    async with db_session() as db:
        before = await db.get(PracticeSession, session_id)
    with pytest.raises(IntentRejected) as rejected:
        await harness.runtime.submit(session_id, a, Submit(step_no=999, value=3))
    assert rejected.value.code in {"step_passed", "unknown_step"}
    async with db_session() as db:
        after = await db.get(PracticeSession, session_id, populate_existing=True)
    assert (after.version, after.state) == (before.version, before.state)


async def test_many_rooms_intents_share_commits(harness: Harness) -> None:
    rooms = [await harness.new_session() for _ in range(8)]
    before = harness.runtime.writer.commits
    await asyncio.gather(*(harness.runtime.submit(s, who, Ready()) for s, a, b in rooms for who in (a, b)))
    assert harness.runtime.writer.commits - before < 16


async def test_beyond_capacity_intents_are_refused_as_busy_and_nothing_changes(harness: Harness) -> None:
    session_id, a, b, *_ = await start(harness)
    harness.runtime.writer.max_pending_events = 1
    results = await asyncio.gather(
        harness.runtime.submit(session_id, a, AskSpace(return_in_seconds=20 * 60)),
        harness.runtime.submit(session_id, b, Submit(step_no=999, value=3)),
        return_exceptions=True,
    )
    assert isinstance(results[0], int) and isinstance(results[1], Busy) and results[1].retry_after > 0
    harness.runtime.writer.max_pending_events = 20_000
    await harness.runtime.submit(session_id, a, ComeBack())  # the room still works


async def test_the_intent_rate_limit_counts_all_of_a_participants_sockets(harness: Harness) -> None:
    session_id, a, *_ = await start(harness)
    second = FakeSocket(a)
    await harness.runtime.attach(session_id, second, None)
    limit = harness.config.max_intents_per_second
    outcomes = await asyncio.gather(
        *(harness.runtime.submit(session_id, a, Submit(step_no=999, value=1)) for _ in range(limit + 3)),
        return_exceptions=True,
    )
    # 23 at once: at least the 3 beyond the limit are refused (the `ready` just before may count too).
    assert sum(isinstance(o, RateLimited) for o in outcomes) >= 3
    assert all(isinstance(o, RateLimited | IntentRejected) for o in outcomes)


async def test_a_participant_may_have_at_most_five_sockets(harness: Harness) -> None:
    session_id, a, *_ = await start(harness)
    for _ in range(4):  # one is open already
        await harness.runtime.attach(session_id, FakeSocket(a), None)
    with pytest.raises(TooManyConnections):
        await harness.runtime.attach(session_id, FakeSocket(a), None)


async def test_the_server_warns_thirty_seconds_before_the_deadline_then_moves_on(harness: Harness) -> None:
    _session_id, _a, _b, sa, sb = await start(harness)
    step = step_of(sa)
    harness.clock.advance(step["remaining"] - 29)
    await harness.settle()
    assert "warning" in sb.names() and "step_completed" not in sb.names()
    harness.clock.advance(30)
    await wait_until(lambda: bool(sb.events("step_completed")))
    assert sb.events("step_completed")[0]["data"]["outcome"] == "timed_out"
    await wait_until(lambda: step_of(sb)["step_no"] == step["step_no"] + 1)


async def test_space_freezes_time_and_the_return_time_asks_both_to_resume(harness: Harness) -> None:
    session_id, a, b, sa, _sb = await start(harness)
    remaining = step_of(sa)["remaining"]
    await harness.runtime.submit(session_id, b, AskSpace(return_in_seconds=20 * 60))
    harness.clock.advance(10 * 60)
    await harness.settle()
    assert not sa.events("step_completed")
    harness.clock.advance(10 * 60 + 1)
    await wait_until(lambda: bool(sa.events("space_return_due")))
    assert set(sa.events("space_return_due")[0]["data"]["asked"]) == {a, b}
    await harness.runtime.submit(session_id, b, ComeBack())
    assert sa.events("resumed")[-1]["data"]["remaining"] == pytest.approx(remaining, abs=1)


async def test_a_partner_who_drops_is_shown_away_only_after_the_grace_period(harness: Harness) -> None:
    session_id, a, b, sa, sb = await start(harness)
    second_tab = FakeSocket(b)
    await harness.runtime.attach(session_id, second_tab, None)
    await harness.runtime.detach(session_id, second_tab)
    harness.clock.advance(11)
    await harness.settle()
    assert "participant_away" not in sa.names()

    await harness.runtime.detach(session_id, sb)  # the last tab
    harness.clock.advance(5)
    await harness.settle()
    assert "participant_away" not in sa.names()
    harness.clock.advance(6)
    await wait_until(lambda: "paused" in sa.names())
    assert "participant_away" in sa.names()
    await wait_until(lambda: sa.presence()[-1] == [a])

    await harness.runtime.attach(session_id, FakeSocket(b), None)
    await wait_until(lambda: "resumed" in sa.names())
    assert "participant_back" in sa.names()


async def test_a_session_nobody_attends_for_thirty_minutes_is_abandoned_with_summaries(
    harness: Harness, db_session
) -> None:
    session_id, a, b, sa, sb = await start(harness)
    await harness.runtime.detach(session_id, sa)
    await harness.runtime.detach(session_id, sb)
    harness.clock.advance(11)
    await harness.settle()
    harness.clock.advance(29 * 60)
    await harness.settle()
    async with db_session() as db:
        assert (await db.get(PracticeSession, session_id)).status == "running"
    harness.clock.advance(61)
    await harness.settle()

    async def ended() -> bool:
        async with db_session() as db:
            return (await db.get(PracticeSession, session_id, populate_existing=True)).status == "ended"

    async with asyncio.timeout(20):
        while not await ended():  # noqa: ASYNC110 - polling the database, which has no event to wait on
            await asyncio.sleep(0.02)
    async with db_session() as db:
        row = await db.get(PracticeSession, session_id, populate_existing=True)
        summaries = (await db.exec(select(SessionSummary).where(SessionSummary.session_id == session_id))).all()
    assert row.end_reason == "abandoned"
    assert {str(s.user_id) for s in summaries} == {a, b}


async def test_abandonment_counts_from_a_breaks_return_time(harness: Harness, db_session) -> None:
    session_id, a, _b, sa, sb = await start(harness)
    await harness.runtime.submit(session_id, a, AskSpace(return_in_seconds=60 * 60))
    await harness.runtime.detach(session_id, sa)
    await harness.runtime.detach(session_id, sb)
    harness.clock.advance(11)  # the grace period passes: both are away
    await harness.settle()
    harness.clock.advance(60 * 60 + 29 * 60 - 11)
    await harness.settle()
    async with db_session() as db:
        assert (await db.get(PracticeSession, session_id)).status == "running"
    harness.clock.advance(2 * 60)
    await harness.settle()
    async with db_session() as db:
        assert (await db.get(PracticeSession, session_id, populate_existing=True)).end_reason == "abandoned"


async def test_another_runtime_takes_over_and_fires_the_deadline_exactly_once(harness: Harness, db_session) -> None:
    session_id, a, b, sa, _sb = await start(harness)
    step = step_of(sa)
    await harness.runtime.close()  # this process goes away (its queued writes are committed first)

    fresh = harness.fresh_runtime()
    await fresh.start()
    try:
        await wait_until(lambda: session_id in fresh.rooms)  # the sweep gives the session an owner
        back_a, back_b = FakeSocket(a), FakeSocket(b)
        await fresh.attach(session_id, back_a, None)
        await fresh.attach(session_id, back_b, None)
        harness.clock.advance(step["remaining"] + 1)
        await wait_until(lambda: bool(back_a.events("step_completed")))
        await fresh.close()
        async with db_session() as db:
            completed = (
                await db.exec(
                    select(SessionEvent).where(
                        SessionEvent.session_id == session_id, SessionEvent.type == "step_completed"
                    )
                )
            ).all()
        assert [e.payload["step_no"] for e in completed] == [step["step_no"]]
    finally:
        await fresh.close()


async def test_a_takeover_waits_the_grace_period_before_marking_anyone_away(harness: Harness) -> None:
    session_id, a, b, *_ = await start(harness)
    await harness.runtime.close()
    fresh = harness.fresh_runtime()
    await fresh.start()
    try:
        await wait_until(lambda: session_id in fresh.rooms)
        watcher = FakeSocket(a)
        await fresh.attach(session_id, watcher, None)
        harness.clock.advance(5)
        await harness.settle()
        assert "participant_away" not in watcher.names()  # b may be reconnecting right now
        harness.clock.advance(6)
        await wait_until(lambda: "participant_away" in watcher.names())
        assert watcher.events("participant_away")[-1]["data"]["participant"] == b
    finally:
        await fresh.close()


async def test_nobody_is_marked_away_in_a_lobby_they_have_not_joined_yet(harness: Harness) -> None:
    session_id, a, _b = await harness.new_session()
    watcher = FakeSocket(a)
    await harness.runtime.attach(session_id, watcher, None)
    harness.clock.advance(harness.config.grace_seconds * 3)
    await harness.settle()
    assert "participant_away" not in watcher.names() and "paused" not in watcher.names()
