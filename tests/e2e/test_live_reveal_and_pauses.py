"""Between real clients and a real server: "both answer, then both see" leaks nothing before the reveal
(no frame, replay or snapshot); the short pause is not a break; a facilitator's return is announced."""

from __future__ import annotations

import uuid

import pytest

from server.live.client import LiveError
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple, started_session
from tests.e2e.test_live_facilitator import linked_trio


async def through_check_in(a, s) -> None:
    for step_no in (1, 2):
        await a.wait_event("step_started", step_no=step_no)
        for live in (a, s):
            await live.intent("submit", step_no=step_no, value=5)


async def test_no_answer_reaches_the_other_before_the_reveal(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    session_id, a, s = await started_session(alex, sam, "deeper")
    await through_check_in(a, s)
    question = (await a.wait_event("step_started", exercise_id="both_answer", step_id="answer"))["data"]
    sams_view = (await s.wait_event("step_started", step_no=question["step_no"]))["data"]
    assert question["drawn_prompt"] and question["drawn_prompt"] == sams_view["drawn_prompt"]
    assert question["drawn_prompt"] in sams_view["prompt"]  # both see the couple's question

    secret = f"Alex's answer {uuid.uuid4().hex}"
    await a.intent("submit", step_no=question["step_no"], value=secret)
    await s.wait_event("answer_received", step_no=question["step_no"])
    # Sam's live socket, a full replay and a fresh snapshot: none holds Alex's answer yet.
    replay = await sam.join(session_id, since=0)
    snapshot = await sam.join(session_id)
    await replay.wait_for(lambda: any(f["type"] == "synced" for f in replay.frames))
    await snapshot.wait_for(lambda: snapshot.snapshot is not None)
    assert snapshot.snapshot["answered"] == [alex.id] and snapshot.snapshot["your_answer"] is None
    for frames in (s.frames, replay.frames, snapshot.frames):
        assert secret not in str(frames)
    mine = await alex.join(session_id)
    await mine.wait_for(lambda: mine.snapshot is not None)
    assert mine.snapshot["your_answer"] == secret  # the author sees their own
    for live in (replay, snapshot, mine):
        await live.close()

    # Sam answers: both answers reach both partners in the same event, at the same moment.
    await s.intent("submit", step_no=question["step_no"], value="Sam's answer")
    for_alex = await a.wait_event("answers_revealed", step_no=question["step_no"])
    for_sam = await s.wait_event("answers_revealed", step_no=question["step_no"])
    assert for_alex["seq"] == for_sam["seq"]
    assert for_sam["data"]["answers"] == {alex.id: secret, sam.id: "Sam's answer"}
    noticed = (await s.wait_event("step_started", step_id="noticed"))["data"]
    assert noticed["role"] == "both" and noticed["acting"]
    for live in (a, s):
        await live.close()


async def test_one_moment_pauses_briefly_and_is_not_a_break(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    rules = a.snapshot["rules"] if a.snapshot else await alex.call("GET", "/api/rules")
    assert rules["short_pause"]["max_seconds"] == 300 and rules["break"]["min_minutes"] == 20

    await s.intent("one_moment")
    started = await a.wait_event("moment_started")
    assert started["data"]["who"] == sam.id and started["data"]["seconds"] == 300
    assert started["data"]["until"] == pytest.approx(started["at"] + 300, abs=1)
    paused = await a.wait_event("paused", after=started["seq"] - 1)
    assert paused["data"]["reason"] == "moment"
    with pytest.raises(LiveError) as twice:
        await s.intent("one_moment")
    assert twice.value.code == "moment_running"
    with pytest.raises(LiveError) as not_theirs:
        await a.intent("moment_done")
    assert not_theirs.value.code == "no_moment"
    await s.intent("moment_done")
    ended = await a.wait_event("moment_ended")
    assert ended["data"] == {"who": sam.id, "reason": "back"}
    await a.wait_event("resumed", after=ended["seq"] - 1)
    assert not any(f["event"] == "space_requested" for f in a.events)

    # A break is something else: at least 20 minutes, less than a day.
    for seconds in (5 * 60, 19 * 60, 24 * 60 * 60):
        with pytest.raises(LiveError) as refused:
            await a.intent("ask_space", return_in_seconds=seconds)
        assert refused.value.code == "bad_return_time"
        assert "at least 20 minutes and less than 24 hours" in refused.value.message
    await a.intent("ask_space", return_in_seconds=20 * 60)
    await s.wait_event("space_requested")
    await a.intent("end")
    await s.wait_event("session_ended")
    summary = (await alex.summary(session_id))["content"]
    assert [space["who"] for space in summary["spaces"]] == [alex.id]  # the moment is not counted as a break
    for live in (a, s):
        await live.close()


async def test_a_facilitator_who_comes_back_is_announced_like_anyone(shared_server: LiveServer) -> None:
    fran, alex, _, couple_id = await linked_trio(shared_server.url)
    session = await fran.call("POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "daily"})
    f, a = await fran.join(session["id"]), await alex.join(session["id"])
    await a.wait_for(lambda: fran.id in a.connected)
    await f.close()
    away = await a.wait_event("participant_away", participant=fran.id, timeout=10)
    f = await fran.join(session["id"])
    back = await a.wait_event("participant_back", participant=fran.id, after=away["seq"], timeout=10)
    assert back["data"] == {"participant": fran.id}
    for live in (f, a):
        await live.close()
