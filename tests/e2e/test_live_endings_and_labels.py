"""Over real sockets, in both modes: a session ended before it began leaves nothing in anyone's history,
and a fresh snapshot labels every answer as the live announcements did."""

from __future__ import annotations

import pytest

from server.live.client import ApiError
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple, started_session


async def test_a_session_ended_in_the_lobby_leaves_no_summary(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily", first_speaker="me")
    a = await alex.join(session["id"])
    await a.intent("end")
    ended = await a.wait_event("session_ended")
    assert ended["data"]["reason"] == "ended_early"
    for person in (alex, sam):
        assert await person.call("GET", "/api/summaries") == []
        with pytest.raises(ApiError) as missing:
            await person.summary(session["id"])
        assert missing.value.status == 404
    await a.close()


async def test_a_session_ended_after_it_began_leaves_one_summary_each(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    await a.intent("end")
    await s.wait_event("session_ended")
    for person in (alex, sam):
        [summary] = await person.call("GET", "/api/summaries")
        assert summary["session_id"] == session_id and summary["end_reason"] == "ended_early"
    await a.close()
    await s.close()


async def test_a_new_snapshot_labels_answers_as_the_announcements_did(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    step = (await a.wait_event("step_started"))["data"]
    await a.intent("submit", step_no=step["step_no"], value=4)
    await s.intent("submit", step_no=step["step_no"], value=5)
    await s.wait_event("answers_revealed")
    fresh = await sam.join(session_id)  # no `since`: a reload
    await fresh.wait_for(lambda: fresh.snapshot is not None)
    labels = fresh.snapshot["steps"]
    assert labels[str(step["step_no"])] == {"title": step["step_title"], "input": step["input"]}
    for live in (a, s, fresh):
        await live.close()
