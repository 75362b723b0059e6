"""Each person owns their data: they can take all of it with them, or leave and take their words along."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from server.live.client import Account, ApiError, LiveSession
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple
from tests.helpers import DEFAULT_PASSWORD, random_email


async def answer_until_private_reflection(live: LiveSession, words: str, private: str) -> None:
    """Answer every step with words marked as this person's, then write a private reflection."""
    seen = 0
    while True:
        frame = await live.wait_for(
            lambda after=seen: next(
                (f for f in live.events if f["seq"] > after and f["event"] == "step_started"), None
            ),
            timeout=30,
        )
        seen = frame["seq"]
        step = frame["data"]
        if step["exercise_id"] == "private_reflection":
            await live.intent("submit", step_no=step["step_no"], value=private)
            await live.wait_event("private_answer_saved")
            return
        if not step["acting"]:
            continue
        kind = step["input"]["kind"]
        value: Any = {"rating": 3, "ready": True, "text": f"{words} at step {step['step_no']}"}.get(kind)
        if kind == "choice":
            value = "no" if step["step_id"] == "more" else step["input"]["options"][0]["value"]
        await live.intent("submit", step_no=step["step_no"], value=value)


async def a_session_with_words(alex: Account, sam: Account) -> tuple[str, dict[str, str]]:
    marks = {
        "alex_words": f"alex-shared-{uuid.uuid4().hex}",
        "alex_private": f"alex-private-{uuid.uuid4().hex}",
        "sam_words": f"sam-shared-{uuid.uuid4().hex}",
        "sam_private": f"sam-private-{uuid.uuid4().hex}",
    }
    session = await alex.start_session("deeper", first_speaker="me")
    a, s = await alex.join(session["id"]), await sam.join(session["id"])
    for live in (a, s):
        await live.intent("ready")
    await asyncio.gather(
        answer_until_private_reflection(a, marks["alex_words"], marks["alex_private"]),
        answer_until_private_reflection(s, marks["sam_words"], marks["sam_private"]),
    )
    await a.intent("end")
    await s.wait_event("session_ended")
    for live in (a, s):
        await live.close()
    return session["id"], marks


async def test_my_export_holds_everything_of_mine_and_nothing_private_of_my_partners(
    shared_server: LiveServer,
) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, marks = await a_session_with_words(alex, sam)

    response = await alex.http.get("/api/me/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    export = response.json()
    assert export["format"] == "duologue-export/1"
    assert export["account"]["email"] == alex.me["email"]
    assert [c["partner_display_names"] for c in export["couples"]] == [["Sam"]]
    assert [s["id"] for s in export["sessions"]] == [session_id]
    assert [s["session_id"] for s in export["summaries"]] == [session_id]
    text = response.text
    for mine in ("alex_words", "alex_private", "sam_words"):  # what I wrote, and what Sam shared with me
        assert marks[mine] in text, mine
    assert marks["sam_private"] not in text


async def test_deleting_my_account_leaves_nothing_of_mine_readable(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session_id, marks = await a_session_with_words(alex, sam)
    other_device = Account(shared_server.url)
    await other_device.sign_in(alex.me["email"], DEFAULT_PASSWORD)

    with pytest.raises(ApiError) as wrong:
        await alex.call("POST", "/api/me/delete", {"password": "not my password at all"})
    assert wrong.value.status == 403
    await alex.call("POST", "/api/me/delete", {"password": DEFAULT_PASSWORD}, expect=204)

    # Signed out everywhere, and the account cannot be signed into again.
    for device in (alex, other_device):
        with pytest.raises(ApiError) as gone:
            await device.call("GET", "/api/me")
        assert gone.value.status == 401
    with pytest.raises(ApiError) as refused:
        await Account(shared_server.url).sign_in(alex.me["email"], DEFAULT_PASSWORD)
    assert refused.value.status == 401

    # Sam keeps a summary, with Alex's words replaced kindly; nothing of Alex's is readable anywhere.
    summary = await sam.summary(session_id)
    markdown = await sam.summary_markdown(session_id)
    assert marks["sam_words"] in str(summary) and marks["sam_private"] in str(summary)
    assert "removed when they closed their account" in markdown
    replay = await sam.join(session_id, since=0)
    await replay.wait_for(lambda: any(f["type"] in ("synced", "snapshot") for f in replay.frames))
    await replay.close()
    readable = [
        summary,
        markdown,
        await sam.sessions(),
        await sam.call("GET", f"/api/sessions/{session_id}"),
        (await sam.http.get("/api/me/export")).text,
        replay.frames,
    ]
    for mark in ("alex_words", "alex_private"):
        assert marks[mark] not in str(readable), mark
    with pytest.raises(ApiError) as no_couple:
        await sam.call("GET", "/api/couple")
    assert no_couple.value.status == 404
    assert alex.me["email"] not in str(readable)

    # Sam can pair again, with someone new.
    newcomer = Account(shared_server.url)
    await newcomer.sign_up(random_email(), "Rowan", DEFAULT_PASSWORD)
    invite = await sam.invite()
    await newcomer.accept(invite["code"])
    assert shared_server.process is not None and "Traceback" not in shared_server.log()


async def test_deleting_my_account_closes_our_facilitators_connection_at_once(shared_server: LiveServer) -> None:
    from tests.e2e.test_live_facilitator import linked_trio

    fran, alex, sam, couple_id = await linked_trio(shared_server.url)
    session = await fran.call("POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "deeper"})
    f = await fran.join(session["id"])
    s = await sam.join(session["id"])
    await f.wait_for(lambda: f.snapshot is not None)
    await alex.call("POST", "/api/me/delete", {"password": DEFAULT_PASSWORD}, expect=204)
    assert await f.wait_closed() == 4403
    assert any(frame["type"] == "revoked" for frame in f.frames)
    await s.wait_event("session_ended")
    assert (await fran.call("GET", "/api/facilitator/couples")) == []
    await s.close()
