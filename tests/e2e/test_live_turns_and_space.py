"""Turn-taking, presence and asking for space, between two real clients."""

import asyncio

import pytest

from server.live.client import LiveError
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple, started_session, through_both_answer


async def through_check_in(a, s) -> None:
    for step_no in (1, 2):
        await a.wait_event("step_started", step_no=step_no)
        for live in (a, s):
            await live.intent("submit", step_no=step_no, value=5)


async def to_the_first_share(a, s) -> None:
    """Through the check-in and "both answer, then both see" of the deeper plan, to the first speaker's turn."""
    await through_check_in(a, s)
    await through_both_answer(a, s)


async def test_the_step_announcement_tells_each_person_their_role_prompt_input_and_time(
    shared_server: LiveServer,
) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam, "deeper", first_speaker="me")
    await to_the_first_share(a, s)
    alex_view = (await a.wait_event("step_started", step_id="share"))["data"]
    sam_view = (await s.wait_event("step_started", step_id="share"))["data"]
    assert (alex_view["role"], alex_view["acting"]) == ("speaker", True)
    assert (sam_view["role"], sam_view["acting"]) == ("listener", False)
    assert alex_view["prompt"] != sam_view["prompt"]  # the listener is told what is happening instead
    assert alex_view["input"]["kind"] == "text" and alex_view["input"]["max_length"] > 0
    assert alex_view["deadline"] == sam_view["deadline"] and alex_view["remaining"] > 0


async def test_only_the_person_whose_turn_it_is_can_act(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam, "deeper", first_speaker="me")
    await to_the_first_share(a, s)
    share = (await s.wait_event("step_started", step_id="share"))["data"]
    seq_before = s.last_seq
    with pytest.raises(LiveError) as refused:
        await s.intent("submit", step_no=share["step_no"], value="I would like to speak first")
    assert refused.value.code == "not_your_turn"
    await asyncio.sleep(0.2)
    assert s.last_seq == seq_before and a.latest("step_started")["data"]["step_no"] == share["step_no"]
    await a.intent("submit", step_no=share["step_no"], value="I felt rushed this morning.")
    shared = await s.wait_event("answer_shared", step_no=share["step_no"])
    assert shared["data"]["value"] == "I felt rushed this morning."


async def test_answers_to_a_both_step_are_revealed_together(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam)
    await a.intent("submit", step_no=1, value=6)
    received = await s.wait_event("answer_received", step_no=1)
    assert "value" not in received["data"]  # nobody has to go first
    assert not any(f["event"] == "answers_revealed" for f in s.events)
    await s.intent("submit", step_no=1, value=2)
    revealed = await a.wait_event("answers_revealed", step_no=1)
    assert sorted(revealed["data"]["answers"].values()) == [2, 6]


async def test_presence_counts_tabs_once_and_waits_a_grace_period(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    await a.wait_for(lambda: sorted(a.connected) == sorted([alex.id, sam.id]))

    second_tab = await sam.join(session_id)
    await second_tab.close()
    await asyncio.sleep(1.5)  # longer than this server's 1 s grace period
    assert sam.id in a.connected and not any(f["event"] == "participant_away" for f in a.events)

    await s.close()
    away = await a.wait_event("participant_away", participant=sam.id, timeout=5)
    paused = await a.wait_event("paused", after=away["seq"] - 1)
    assert paused["data"]["remaining"] > 0
    await a.wait_for(lambda: sam.id not in a.connected)

    await s.reconnect()
    await a.wait_event("participant_back", participant=sam.id)
    await a.wait_event("resumed", after=away["seq"])
    await a.wait_for(lambda: sam.id in a.connected)


async def test_asking_for_space_pauses_everyone_and_the_asker_can_come_back_early(
    shared_server: LiveServer,
) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam)
    with pytest.raises(LiveError) as too_short:
        await s.intent("ask_space", return_in_seconds=30)
    assert too_short.value.code == "bad_return_time"

    await s.intent("ask_space", return_in_seconds=20 * 60)
    notice = await a.wait_event("space_requested")
    assert notice["data"]["who"] == sam.id
    assert notice["data"]["return_at"] == pytest.approx(notice["at"] + 20 * 60, abs=1)
    paused = await a.wait_event("paused", after=notice["seq"] - 1)
    frozen = paused["data"]["remaining"]

    with pytest.raises(LiveError) as answering:
        await a.intent("submit", step_no=1, value=4)
    assert answering.value.code == "session_paused"
    with pytest.raises(LiveError) as not_theirs:
        await a.intent("come_back")
    assert not_theirs.value.code == "not_on_break"

    await asyncio.sleep(1)
    await s.intent("come_back")
    resumed = await a.wait_event("resumed", after=notice["seq"])
    assert resumed["data"]["remaining"] == pytest.approx(frozen, abs=0.5)  # the clock stood still


async def test_either_partner_can_end_at_any_moment_without_a_reason(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    await s.intent("end")
    ended = await a.wait_event("session_ended")
    assert ended["data"]["reason"] == "ended_early" and ended["data"]["by"] == sam.id
    with pytest.raises(LiveError) as after_end:
        await a.intent("submit", step_no=1, value=3)
    assert after_end.value.code == "session_ended"
    assert (await alex.summary(session_id))["end_reason"] == "ended_early"
