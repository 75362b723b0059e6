"""Journal and noticing words never leave their author: not through any other person's answer, not to a log.

A real server at DEBUG. Alex writes a journal entry and a noticing holding a unique marker, and uses
every journal and noticing endpoint; then Sam and their facilitator call everything they can (sessions,
summaries, exports, facilitator views, their own journal and noticing). The marker is in Alex's own
answers only, and never in the server's log. (The one entry Alex shares is tested in test_journal_privacy.)
"""

from __future__ import annotations

import uuid
from pathlib import Path

from server.live.client import Account
from tests.e2e.conftest import LiveServer, free_port
from tests.e2e.live_helpers import started_session
from tests.e2e.test_live_facilitator import linked_trio


async def read_all(person: Account, paths: list[str]) -> str:
    """Every answer's body, whatever its status (an error must not quote the words either)."""
    texts = []
    for path in paths:
        response = await person.http.get(path)
        assert response.status_code in (200, 404), (path, response.status_code, response.text)
        texts.append(response.text)
    return "\n".join(texts)


async def everything_sam_can_read(sam: Account, session_id: str) -> str:
    paths = [
        "/api/me",
        "/api/couple",
        "/api/sessions",
        f"/api/sessions/{session_id}",
        "/api/summaries",
        f"/api/summaries/{session_id}",
        f"/api/summaries/{session_id}/markdown",
        "/api/me/export",
        "/api/facilitators",
        "/api/journal",
        "/api/journal/share",
        "/api/noticing",
        "/api/noticing/pattern?tz=Europe/Paris",
    ]
    return await read_all(sam, paths)


async def everything_fran_can_read(fran: Account, couple_id: str, session_id: str) -> str:
    paths = [
        "/api/me",
        "/api/facilitator/couples",
        f"/api/facilitator/couples/{couple_id}/summaries",
        f"/api/facilitator/couples/{couple_id}/journal",
        f"/api/facilitator/sessions/{session_id}/record",
        f"/api/facilitator/sessions/{session_id}/notes",
        "/api/me/export",
        "/api/journal",
        "/api/noticing",
    ]
    return await read_all(fran, paths)


async def test_journal_and_noticing_words_reach_nobody_else_and_no_log(
    shared_server: LiveServer, tmp_path: Path
) -> None:
    marker = f"journal-marker-{uuid.uuid4().hex}"
    env = {**shared_server.env, "DUOLOGUE_LOG_LEVEL": "DEBUG", "DUOLOGUE_DATA_DIR": str(tmp_path / "var")}
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "debug.log")
    server.start()
    try:
        fran, alex, sam, couple_id = await linked_trio(server.url)
        entry = await alex.call("POST", "/api/journal", {"text": f"I was scared {marker}", "feelings": ["afraid"]})
        await alex.call("PATCH", f"/api/journal/{entry['id']}", {"text": f"Still scared {marker}"})
        moment = await alex.call("POST", "/api/noticing", {"intensity": 6, "context": f"after {marker}"})
        await alex.call("PATCH", f"/api/noticing/{moment['id']}", {"feeling": "tense", "context": f"later {marker}"})
        found = await alex.call("GET", f"/api/journal?q={marker}")
        pattern = await alex.call("GET", "/api/noticing/pattern?tz=Europe/Paris")
        assert [e["id"] for e in found] == [entry["id"]]
        assert marker in str(pattern) and marker in str(await alex.call("GET", "/api/me/export"))
        # Bad input about the private words is refused without echoing them.
        for bad in ({"text": marker, "feelings": [marker]}, {"text": marker * 400}):
            response = await alex.http.post(
                "/api/journal", json=bad, headers={"x-csrf-token": alex.http.cookies["duologue_csrf"]}
            )
            assert response.status_code == 400 and marker not in response.text

        # A session with the facilitator, ended, with summaries shared: all that Sam and Fran can read.
        session = await fran.call(
            "POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "daily", "first_speaker": "random"}
        )
        f = await fran.join(session["id"])
        await f.intent("end")
        await f.wait_event("session_ended")
        await f.close()
        links = await alex.call("GET", "/api/facilitators")
        for person in (alex, sam):
            await person.call("PUT", f"/api/facilitators/{links[0]['id']}/consent", {"share_summaries": True})

        # And a session the couple ran on their own, ended, so Sam has a summary to read.
        own_id, a, s = await started_session(alex, sam)
        await a.intent("end")
        await s.wait_event("session_ended")
        for live in (a, s):
            await live.close()
        await sam.call("GET", f"/api/summaries/{own_id}")  # written, and readable by Sam

        assert marker not in await everything_sam_can_read(sam, session["id"])
        assert marker not in await everything_sam_can_read(sam, own_id)
        assert marker not in await everything_fran_can_read(fran, couple_id, session["id"])
        for person in (fran, alex, sam):
            await person.http.aclose()
        assert marker not in server.log(), "journal and noticing words never reach the log"
        assert "DEBUG" in server.log()  # the log really was at DEBUG
    finally:
        server.stop()
