"""A facilitator paces a live session for a couple; partners cannot use the controls; privacy holds."""

from __future__ import annotations

import uuid

import pytest

from server.live.client import Account, LiveError
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple, through_both_answer
from tests.helpers import DEFAULT_PASSWORD, random_email

PLAN = {
    "title": "Short practice",
    "exercises": [
        {"exercise": "check_in"},
        {"exercise": "small_truths", "rounds": 1},
        {"exercise": "private_reflection"},
    ],
}
CONTROLS = [
    ("start", {}),
    ("pause", {}),
    ("resume_session", {}),
    ("extend", {"seconds": 60}),
    ("skip", {}),
    ("choose_first_speaker", {"partner": "x"}),
]


async def linked_trio(url: str) -> tuple[Account, Account, Account, str]:
    alex, sam = await paired_couple(url)
    fran = Account(url)
    await fran.call(
        "POST",
        "/api/accounts",
        {"email": random_email(), "display_name": "Fran", "password": DEFAULT_PASSWORD, "is_facilitator": True},
    )
    fran.me = await fran.call("GET", "/api/me")
    invite = await fran.call("POST", "/api/facilitator/invites")
    link_id = (await alex.call("POST", f"/api/facilitator-invites/{invite['code']}/accept"))[0]["id"]
    await sam.call("POST", f"/api/facilitators/{link_id}/confirm")
    couple_id = (await alex.call("GET", "/api/couple"))["id"]
    return fran, alex, sam, couple_id


async def test_a_facilitator_paces_a_session_and_partners_cannot(shared_server: LiveServer) -> None:
    fran, alex, sam, couple_id = await linked_trio(shared_server.url)
    session = await fran.call(
        "POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan": PLAN, "first_speaker": alex.id}
    )
    f, a, s = [await person.join(session["id"]) for person in (fran, alex, sam)]
    await a.wait_for(lambda: fran.id in a.connected)  # partners see the facilitator is there

    # Partners' ready is recorded, but only the facilitator starts; partners cannot use any control.
    await a.intent("ready")
    await s.intent("ready")
    await a.wait_event("ready_recorded", participant=sam.id)
    for kind, fields in CONTROLS:
        seq_before = a.last_seq
        with pytest.raises(LiveError) as refused:
            await s.intent(kind, **fields)
        assert refused.value.code == "not_allowed", kind
        assert a.last_seq == seq_before
    assert not any(e["event"] == "session_started" for e in a.events)
    await f.intent("start")
    await s.wait_event("session_started")

    # The facilitator sees the step as an observer.
    step = (await f.wait_event("step_started", step_no=1))["data"]
    assert step["role"] == "observer" and step["acting"] is False

    # Add time: every partner's deadline moves by the same amount.
    before = (await a.wait_event("step_started", step_no=1))["data"]["deadline"]
    await f.intent("extend", seconds=60)
    extended = await a.wait_event("extended")
    assert extended["data"]["deadline"] == pytest.approx(before + 60, abs=0.01)

    # Pause and resume: the clock stands still in between.
    await f.intent("pause")
    paused = await s.wait_event("facilitator_paused")
    with pytest.raises(LiveError) as held:
        await a.intent("submit", step_no=1, value=4)
    assert held.value.code == "session_paused"
    await f.intent("resume_session")
    await s.wait_event("facilitator_resumed", after=paused["seq"])

    # Skip the check-in's first question, answer the second, then pick who speaks first.
    await f.intent("skip")
    await a.wait_event("step_skipped")
    second = (await a.wait_event("step_started", step_no=2))["data"]
    await a.intent("submit", step_no=second["step_no"], value=5)
    await s.intent("submit", step_no=second["step_no"], value=5)
    await f.intent("choose_first_speaker", partner=sam.id)
    chosen = await s.wait_event("first_speaker_chosen")
    assert chosen["data"]["partner"] == sam.id

    # Small truths: the facilitator sees what the couple shares.
    feeling = (await s.wait_event("step_started", step_id="feeling", after=chosen["seq"]))["data"]
    assert feeling["acting"], "Sam speaks first, as the facilitator chose"
    await s.intent("submit", step_no=feeling["step_no"], value="gratitude")
    share = (await s.wait_event("step_started", step_id="share"))["data"]
    await s.intent("submit", step_no=share["step_no"], value="Sam is grateful for the walk.")
    await f.wait_event("answer_shared", step_id="share")

    # Skip to the private reflection; what a partner writes there never reaches the facilitator.
    step_no = share["step_no"] + 1
    while True:
        current = (await f.wait_event("step_started", step_no=step_no))["data"]
        if current["exercise_id"] == "private_reflection":
            break
        await f.intent("skip")
        step_no += 1
    secret = f"private words {uuid.uuid4().hex}"
    await a.intent("submit", step_no=current["step_no"], value=secret)
    await f.wait_event("answer_received", participant=alex.id)

    note = f"note {uuid.uuid4().hex}"
    await fran.call("POST", f"/api/facilitator/sessions/{session['id']}/notes", {"text": note})
    await f.intent("end")
    ended = await s.wait_event("session_ended")
    assert ended["data"]["by"] == fran.id

    record = await fran.call("GET", f"/api/facilitator/sessions/{session['id']}/record")
    events = [e["event"] for e in record["timeline"]]
    assert {"extended", "facilitator_paused", "step_skipped", "answer_shared"} <= set(events)
    assert "Sam is grateful for the walk." in str(record) and note in str(record)
    assert secret not in str(f.frames) and secret not in str(record)
    for partner, live in ((alex, a), (sam, s)):
        assert note not in str(live.frames)
        assert note not in str(await partner.sessions()) and note not in str(await partner.summary(session["id"]))
    assert secret in str(await alex.summary(session["id"]))

    # Summaries: hidden from the facilitator until a partner says yes, and only that partner's.
    shared_url = f"/api/facilitator/couples/{couple_id}/summaries"
    assert await fran.call("GET", shared_url) == []
    link_id = (await sam.call("GET", "/api/facilitators"))[0]["id"]
    await sam.call("PUT", f"/api/facilitators/{link_id}/consent", {"share_summaries": True})
    shared = await fran.call("GET", shared_url)
    assert {s_["partner"]["id"] for s_ in shared} == {sam.id}
    assert secret not in str(shared)  # Alex's private reflection: not Sam's to share, never shown
    await sam.call("PUT", f"/api/facilitators/{link_id}/consent", {"share_summaries": False})
    assert await fran.call("GET", shared_url) == []  # turned off: hidden at once

    # Alex shares too: the summary reaches the facilitator, the private reflection in it never does.
    await alex.call("PUT", f"/api/facilitators/{link_id}/consent", {"share_summaries": True})
    shared = await fran.call("GET", shared_url)
    assert {s_["partner"]["id"] for s_ in shared} == {alex.id}
    assert "Sam is grateful for the walk." in str(shared)
    assert secret not in str(shared)
    # The same summary as data, for the facilitator's screen to render: still without the private part.
    [content] = [s_["content"] for s_ in shared]
    assert content["participant"] == alex.id and content["private_reflections"] == []


async def test_unlinking_closes_the_facilitators_connection_at_once(shared_server: LiveServer) -> None:
    fran, alex, _sam, couple_id = await linked_trio(shared_server.url)
    session = await fran.call("POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "deeper"})
    f = await fran.join(session["id"])
    a = await alex.join(session["id"])
    await f.wait_for(lambda: f.snapshot is not None)
    link_id = (await alex.call("GET", "/api/facilitators"))[0]["id"]
    await alex.call("DELETE", f"/api/facilitators/{link_id}")
    assert await f.wait_closed() == 4403
    assert any(frame["type"] == "revoked" for frame in f.frames)
    await a.wait_event("session_ended")
    again = await fran.join(session["id"])
    assert await again.wait_closed() == 4404  # and cannot come back


async def test_only_the_sessions_own_facilitator_can_join_it(shared_server: LiveServer) -> None:
    fran, _alex, _sam, couple_id = await linked_trio(shared_server.url)
    session = await fran.call("POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "deeper"})
    gale = Account(shared_server.url)
    await gale.call(
        "POST",
        "/api/accounts",
        {"email": random_email(), "display_name": "Gale", "password": DEFAULT_PASSWORD, "is_facilitator": True},
    )
    intruder = await gale.join(session["id"])
    assert await intruder.wait_closed() == 4404
    own = await fran.join(session["id"])
    await own.wait_for(lambda: own.snapshot is not None)
    assert own.snapshot["as"] == "facilitator" and own.close_code is None
    await own.close()


async def test_consent_shares_only_summaries_of_sessions_the_facilitator_ran(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    # A session the couple had on their own, before any facilitator: Sam shares something.
    alone = await alex.start_session("deeper", first_speaker="partner")
    a, s = await alex.join(alone["id"]), await sam.join(alone["id"])
    for live in (a, s):
        await live.intent("ready")
    words = f"between the two of us {uuid.uuid4().hex}"
    for step_no in (1, 2):
        await s.wait_event("step_started", step_no=step_no)
        for live in (a, s):
            await live.intent("submit", step_no=step_no, value=4)
    await through_both_answer(s, a)
    share = (await s.wait_event("step_started", step_id="share"))["data"]
    await s.intent("submit", step_no=share["step_no"], value=words)
    await a.intent("end")
    await s.wait_event("session_ended")
    assert words in str(await alex.summary(alone["id"]))

    fran = Account(shared_server.url)
    await fran.call(
        "POST",
        "/api/accounts",
        {"email": random_email(), "display_name": "Fran", "password": DEFAULT_PASSWORD, "is_facilitator": True},
    )
    invite = await fran.call("POST", "/api/facilitator/invites")
    link_id = (await alex.call("POST", f"/api/facilitator-invites/{invite['code']}/accept"))[0]["id"]
    await sam.call("POST", f"/api/facilitators/{link_id}/confirm")
    await alex.call("PUT", f"/api/facilitators/{link_id}/consent", {"share_summaries": True})
    couple_id = (await alex.call("GET", "/api/couple"))["id"]
    shared = await fran.call("GET", f"/api/facilitator/couples/{couple_id}/summaries")
    assert shared == []  # Alex's consent covers sessions Fran ran, not the couple's own (which hold Sam's words)
