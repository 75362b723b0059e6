"""The live runtime with a real database and a moving clock: storing, numbering, timers, presence."""

import pytest
from sqlmodel import col, select

from exercises import AskSpace, ComeBack, IntentRejected, Ready, Submit
from rooms.models import PracticeSession, SessionEvent, SessionSummary
from tests.rooms.conftest import Harness


async def start(h: Harness) -> tuple:
    session_id, a, b = await h.new_session("daily")
    await h.runtime.connect(session_id, a)
    await h.runtime.connect(session_id, b)
    await h.runtime.apply_intent(session_id, a, Ready())
    await h.runtime.apply_intent(session_id, b, Ready())
    return session_id, a, b


def step_of(h: Harness, session_id, who: str) -> dict:
    return [e for e in h.publisher.events_for(session_id, who) if e.type == "step_started"][-1].payload


async def test_events_are_stored_with_increasing_numbers_before_they_are_published(
    harness: Harness, db_session
) -> None:
    session_id, a, _b = await start(harness)
    published = harness.publisher.events_for(session_id, a)
    async with db_session() as db:
        stored = (
            await db.exec(
                select(SessionEvent).where(SessionEvent.session_id == session_id).order_by(col(SessionEvent.seq))
            )
        ).all()
        row = await db.get(PracticeSession, session_id)
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert row.version == len(stored) and row.status == "running"
    assert {e.seq for e in published} <= {e.seq for e in stored}
    assert [e.seq for e in published] == sorted(e.seq for e in published)


async def test_each_partner_gets_their_own_step_announcement(harness: Harness) -> None:
    session_id, a, b = await start(harness)
    for who in (a, b):
        step = step_of(harness, session_id, who)
        assert step["exercise_id"] == "check_in" and step["role"] == "both" and step["acting"]
        assert step["deadline"] == pytest.approx(harness.clock() + step["remaining"])
        assert step["input"]["kind"] == "rating"


async def test_a_rejected_intent_changes_nothing(harness: Harness, db_session) -> None:
    session_id, a, _b = await start(harness)
    async with db_session() as db:
        before = await db.get(PracticeSession, session_id)
    with pytest.raises(IntentRejected) as rejected:
        await harness.runtime.apply_intent(session_id, a, Submit(step_no=999, value=3))
    assert rejected.value.code in {"step_passed", "unknown_step"}
    async with db_session() as db:
        after = await db.get(PracticeSession, session_id, populate_existing=True)
    assert (after.version, after.state) == (before.version, before.state)


async def test_the_server_warns_thirty_seconds_before_the_deadline_then_moves_on(harness: Harness) -> None:
    session_id, a, b = await start(harness)
    step = step_of(harness, session_id, a)
    harness.clock.advance(step["remaining"] - 29)
    await harness.settle()
    names = [e.type for e in harness.publisher.events_for(session_id, b)]
    assert "warning" in names and "step_completed" not in names
    harness.clock.advance(30)
    await harness.settle()
    completed = [e for e in harness.publisher.events_for(session_id, b) if e.type == "step_completed"]
    assert completed and completed[0].payload["outcome"] == "timed_out"
    assert step_of(harness, session_id, b)["step_no"] == step["step_no"] + 1


async def test_space_freezes_time_and_the_return_time_asks_both_to_resume(harness: Harness) -> None:
    session_id, a, b = await start(harness)
    remaining = step_of(harness, session_id, a)["remaining"]
    await harness.runtime.apply_intent(session_id, b, AskSpace(return_in_seconds=20 * 60))
    harness.clock.advance(10 * 60)
    await harness.settle()
    assert not any(e.type == "step_completed" for e in harness.publisher.events_for(session_id, a))
    harness.clock.advance(10 * 60 + 1)
    await harness.settle()
    due = [e for e in harness.publisher.events_for(session_id, a) if e.type == "space_return_due"]
    assert due and set(due[0].payload["asked"]) == {a, b}
    await harness.runtime.apply_intent(session_id, b, ComeBack())
    resumed = [e for e in harness.publisher.events_for(session_id, a) if e.type == "resumed"]
    assert resumed and resumed[-1].payload["remaining"] == pytest.approx(remaining, abs=1)


async def test_a_partner_who_drops_is_shown_away_only_after_the_grace_period(harness: Harness) -> None:
    session_id, a, b = await start(harness)
    await harness.runtime.connect(session_id, b)  # a second tab
    await harness.runtime.disconnect(session_id, b)
    harness.clock.advance(11)
    await harness.settle()
    assert not any(e.type == "participant_away" for e in harness.publisher.events_for(session_id, a))

    await harness.runtime.disconnect(session_id, b)  # the last tab
    harness.clock.advance(5)
    await harness.settle()
    assert not any(e.type == "participant_away" for e in harness.publisher.events_for(session_id, a))
    harness.clock.advance(6)
    await harness.settle()
    names = [e.type for e in harness.publisher.events_for(session_id, a)]
    assert "participant_away" in names and "paused" in names
    assert harness.publisher.presence_for(session_id, a)[-1] == (a,)

    await harness.runtime.connect(session_id, b)
    names = [e.type for e in harness.publisher.events_for(session_id, a)]
    assert names[-2:] == ["participant_back", "resumed"] or "participant_back" in names


async def test_a_session_nobody_attends_for_thirty_minutes_is_abandoned_with_summaries(
    harness: Harness, db_session
) -> None:
    session_id, a, b = await start(harness)
    await harness.runtime.disconnect(session_id, a)
    await harness.runtime.disconnect(session_id, b)
    harness.clock.advance(11)
    await harness.settle()
    harness.clock.advance(29 * 60)
    await harness.settle()
    async with db_session() as db:
        assert (await db.get(PracticeSession, session_id)).status == "running"
    harness.clock.advance(61)
    await harness.settle()
    async with db_session() as db:
        row = await db.get(PracticeSession, session_id, populate_existing=True)
        summaries = (await db.exec(select(SessionSummary).where(SessionSummary.session_id == session_id))).all()
    assert (row.status, row.end_reason) == ("ended", "abandoned")
    assert {str(s.user_id) for s in summaries} == {a, b}


async def test_abandonment_counts_from_a_breaks_return_time(harness: Harness, db_session) -> None:
    session_id, a, b = await start(harness)
    await harness.runtime.apply_intent(session_id, a, AskSpace(return_in_seconds=60 * 60))
    await harness.runtime.disconnect(session_id, a)
    await harness.runtime.disconnect(session_id, b)
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


async def test_recovery_rearms_timers_after_a_restart(harness: Harness, settings) -> None:
    session_id, a, b = await start(harness)
    step = step_of(harness, session_id, a)
    await harness.runtime.close()

    from rooms.runtime import LiveRuntime, RuntimeConfig
    from server.db import session_factory
    from tests.rooms.conftest import RecordingPublisher

    publisher = RecordingPublisher()
    fresh = LiveRuntime(
        session_factory(harness.engine),
        publisher,
        RuntimeConfig(grace_seconds=10, max_nap_seconds=0.005),
        clock=harness.clock,
    )
    assert await fresh.recover() == 1
    # Nobody is connected to a fresh process: the clock stops at once, not after a grace period.
    assert {e.type for e in publisher.events_for(session_id, a)} >= {"participant_away", "paused"}
    harness.clock.advance(step["remaining"] + 60)
    await harness.settle()
    assert not any(e.type == "step_completed" for e in publisher.events_for(session_id, a))
    await fresh.connect(session_id, a)
    await fresh.connect(session_id, b)
    assert [e.type for e in publisher.events_for(session_id, a)][-1] == "resumed"
    harness.clock.advance(step["remaining"] + 1)
    await harness.settle()
    assert any(e.type == "step_completed" for e in publisher.events_for(session_id, a))
    await fresh.close()


async def test_a_failing_publisher_never_stops_the_rooms_clock(harness: Harness) -> None:
    session_id, a, _b = await start(harness)
    step = step_of(harness, session_id, a)

    async def broken(*_args: object) -> None:
        raise ConnectionError("the pub/sub backend is down")

    working = harness.publisher.publish_event
    harness.publisher.publish_event = broken  # type: ignore[method-assign]
    harness.clock.advance(step["remaining"] - 29)  # the warning fails to publish
    await harness.settle()
    harness.publisher.publish_event = working  # type: ignore[method-assign]
    harness.clock.advance(30)
    await harness.settle()
    completed = [e for e in harness.publisher.events_for(session_id, a) if e.type == "step_completed"]
    assert completed and completed[0].payload["step_no"] == step["step_no"]
