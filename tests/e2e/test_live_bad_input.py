"""Bad input gets an error frame with a code, changes nothing, and never ends the session for the other."""

import json

import pytest

from server.live.client import LiveError, LiveSession
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple, started_session, through_both_answer


async def expect_error(live: LiveSession, send: str | bytes, code: str) -> None:
    before = len(live.frames)
    await live.send_raw(send)
    frame = await live.wait_for(
        lambda: next((f for f in live.frames[before:] if f["type"] == "error"), None), timeout=5
    )
    assert frame["code"] == code, frame


async def still_alive(a: LiveSession, s: LiveSession) -> None:
    """Both are still connected and the current step still takes the right person's answer."""
    assert a.close_code is None and s.close_code is None
    pong = await a.intent("ping")
    assert pong["type"] == "pong"
    step = a.latest("step_started")["data"]
    if step["acting"]:
        await a.intent("submit", step_no=step["step_no"], value=4)
        await s.wait_event("answer_received", step_no=step["step_no"])


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ("[" * 8000, "invalid_json"),
        (b"\x00\x01binary", "binary_not_supported"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"step_no": 1}', "invalid_message"),
        ('["submit"]', "invalid_message"),
        ('{"type": "submit"}', "invalid_message"),
        ('{"type": "submit", "step_no": "one", "value": 3}', "invalid_message"),
        ('{"type": "ask_space", "return_in_seconds": "soon"}', "invalid_message"),
        ('{"type": "ready", "extra": true}', "invalid_message"),
        ('{"type": "away", "participant": "x"}', "unknown_type"),
        ('{"type": "skip"}', "not_allowed"),
        ('{"type": "ask_space", "return_in_seconds": 30}', "bad_return_time"),
        (json.dumps({"type": "ping", "padding": "x" * 17_000}), "frame_too_large"),
    ],
)
async def test_each_bad_frame_gets_a_named_error_and_the_session_goes_on(
    shared_server: LiveServer, frame: str | bytes, code: str
) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam)
    seq_before = a.last_seq
    await expect_error(a, frame, code)
    assert a.last_seq == seq_before, "a refused message produces no event"
    await still_alive(a, s)


async def test_text_over_the_steps_limit_is_refused(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam, "deeper")
    for step_no in (1, 2):  # check-in: two ratings each
        await a.wait_event("step_started", step_no=step_no)
        for live in (a, s):
            await live.intent("submit", step_no=step_no, value=4)
    await through_both_answer(a, s)
    share = (await a.wait_event("step_started", step_id="share"))["data"]
    limit = share["input"]["max_length"]
    with pytest.raises(LiveError) as refused:
        await a.intent("submit", step_no=share["step_no"], value="x" * (limit + 1))
    assert refused.value.code == "text_too_long"
    await a.intent("submit", step_no=share["step_no"], value="x" * limit)


async def test_an_intent_for_a_step_that_has_passed_is_refused(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam)
    first = a.latest("step_started")["data"]
    await a.intent("submit", step_no=first["step_no"], value=5)
    await s.intent("submit", step_no=first["step_no"], value=5)
    await a.wait_event("step_started", step_no=first["step_no"] + 1)
    with pytest.raises(LiveError) as refused:
        await s.intent("submit", step_no=first["step_no"], value=3)
    assert refused.value.code == "step_passed"
    await still_alive(a, s)


async def test_a_flood_is_rate_limited_without_harming_the_room(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    _, a, s = await started_session(alex, sam)
    before = len(a.frames)
    for _ in range(40):
        await a.send_raw('{"type": "ping"}')
    await a.wait_for(lambda: len([f for f in a.frames[before:] if f["type"] in ("pong", "error")]) >= 40)
    answers = [f for f in a.frames[before:] if f["type"] in ("pong", "error")]
    limited = [f for f in answers if f["type"] == "error"]
    assert limited and all(f["code"] == "rate_limited" for f in limited)
    assert len(answers) - len(limited) <= 21
    await s.intent("ping")  # the partner is untouched


async def test_a_forged_sequence_number_gets_an_error_and_a_full_snapshot(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    forged = await sam.join(session_id, since=a.last_seq + 1000)
    await forged.wait_for(lambda: forged.snapshot is not None)
    assert forged.frames[0]["code"] == "bad_sequence"
    assert forged.snapshot["phase"] == "running"
    await still_alive(a, s)


async def test_frames_far_over_the_limit_close_only_that_connection(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, a, s = await started_session(alex, sam)
    extra = await alex.join(session_id)
    await extra.send_raw("x" * (70 * 1024))
    assert await extra.wait_closed() == 1009
    await still_alive(a, s)
