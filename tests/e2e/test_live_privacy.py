"""A private reflection reaches nobody but its author: no frame, no API answer, no export, no log line."""

import uuid

from server.live.client import Account
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple


async def everything_readable_by(person: Account, session_id: str) -> str:
    """Every HTTP answer this person can ask for about the session and themself."""
    answers = [
        await person.call("GET", "/api/me"),
        await person.call("GET", "/api/couple"),
        await person.sessions(),
        await person.call("GET", f"/api/sessions/{session_id}"),
        await person.call("GET", "/api/summaries"),
        await person.summary(session_id),
        await person.summary_markdown(session_id),
    ]
    return str(answers)


async def test_the_partner_never_receives_a_private_reflection(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    session = await alex.start_session("deeper", first_speaker="me")
    session_id = session["id"]
    a, s = await alex.join(session_id), await sam.join(session_id)
    for live in (a, s):
        await live.intent("ready")
    secret = f"I was afraid you would leave {uuid.uuid4().hex}"

    # Skip ahead to the private reflection: end the mirror exercise by letting the steps be answered.
    async def answer_until_private(live, me: str) -> None:
        seen = 0
        while True:
            frame = await live.wait_for(
                lambda after=seen: next(
                    (f for f in live.events if f["seq"] > after and f["event"] == "step_started"), None
                ),
                timeout=20,
            )
            seen = frame["seq"]
            step = frame["data"]
            if step["exercise_id"] == "private_reflection":
                if me == "alex":
                    await live.intent("submit", step_no=step["step_no"], value=secret)
                return
            if not step["acting"]:
                continue
            kind = step["input"]["kind"]
            value = {"rating": 3, "ready": True, "text": f"{me} words"}.get(kind)
            if kind == "choice":
                value = "no" if step["step_id"] == "more" else step["input"]["options"][0]["value"]
            await live.intent("submit", step_no=step["step_no"], value=value)

    import asyncio

    await asyncio.gather(answer_until_private(a, "alex"), answer_until_private(s, "sam"))
    saved = await a.wait_event("private_answer_saved")
    assert saved["data"]["value"] == secret  # the author sees their own words
    await s.wait_event("answer_received", step_no=saved["data"]["step_no"])

    # A fresh connection, a full replay and a snapshot for the partner: none holds it.
    replay = await sam.join(session_id, since=0)
    snapshot = await sam.join(session_id)
    await replay.wait_for(lambda: any(f["type"] == "synced" for f in replay.frames))
    await snapshot.wait_for(lambda: snapshot.snapshot is not None)
    await a.intent("end")
    await s.wait_event("session_ended")

    for frames in (s.frames, replay.frames, snapshot.frames):
        assert secret not in str(frames)
    assert secret not in await everything_readable_by(sam, session_id)
    assert secret in await everything_readable_by(alex, session_id)  # the author keeps it
    for live in (a, s, replay, snapshot):
        await live.close()
    assert secret not in live_server.log(), "private words never reach the log"
