"""Only the couple's two partners get into a live session; everyone else is refused with a clear code."""

import asyncio
import json
import uuid

import pytest
from websockets.asyncio.client import connect

from server.live.client import Account, LiveError
from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import paired_couple
from tests.helpers import DEFAULT_PASSWORD, random_email


async def refused(url: str, **options) -> tuple[int, dict]:
    async with connect(url, **options) as ws:
        frame = json.loads(await ws.recv())
        await ws.wait_closed()
        return ws.close_code, frame


async def test_both_partners_are_admitted(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    for person in (alex, sam):
        live = await person.join(session["id"])
        await live.wait_for(lambda live=live: live.snapshot is not None)
        assert live.snapshot["you"] == person.id and live.snapshot["phase"] == "lobby"
        assert person.id in live.connected
        await live.close()


async def test_a_third_user_is_refused(shared_server: LiveServer) -> None:
    alex, _sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    async with Account(shared_server.url) as stranger:
        await stranger.sign_up(random_email(), "Kim", DEFAULT_PASSWORD)
        live = await stranger.join(session["id"])
        assert await live.wait_closed() == 4404
        assert live.frames[0]["code"] == "session_not_found"


async def test_a_signed_out_visitor_is_refused(shared_server: LiveServer) -> None:
    alex, _ = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    code, frame = await refused(shared_server.url.replace("http", "ws") + f"/api/sessions/{session['id']}/live")
    assert (code, frame["code"]) == (4401, "not_signed_in")


async def test_a_forged_session_cookie_is_refused(shared_server: LiveServer) -> None:
    alex, _ = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    code, frame = await refused(
        shared_server.url.replace("http", "ws") + f"/api/sessions/{session['id']}/live",
        additional_headers={"Cookie": "duologue_session=" + "f" * 64},
    )
    assert (code, frame["code"]) == (4401, "not_signed_in")


async def test_a_wrong_session_id_is_refused(shared_server: LiveServer) -> None:
    alex, _ = await paired_couple(shared_server.url)
    live = await alex.join(str(uuid.uuid4()))
    assert await live.wait_closed() == 4404


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1"])
async def test_a_page_on_another_origin_cannot_open_the_socket(shared_server: LiveServer, origin: str) -> None:
    alex, _ = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    live = await alex.join(session["id"], origin=origin)
    assert await live.wait_closed() == 4403
    assert live.frames[0]["code"] == "origin_not_allowed"


async def test_the_apps_own_origin_is_accepted(shared_server: LiveServer) -> None:
    alex, _ = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    live = await alex.join(session["id"], origin=shared_server.url)
    await live.wait_for(lambda: live.snapshot is not None)
    assert live.close_code is None
    await live.close()


async def test_the_partner_sees_the_session_and_strangers_do_not(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("deeper")
    listed = await sam.sessions()
    assert [s["id"] for s in listed] == [session["id"]] and listed[0]["started_by_me"] is False
    async with Account(shared_server.url) as stranger:
        await stranger.sign_up(random_email(), "Kim", DEFAULT_PASSWORD)
        assert await stranger.sessions() == []
        with pytest.raises(Exception, match="404"):
            await stranger.call("GET", f"/api/sessions/{session['id']}")


async def test_leaving_the_couple_ends_the_open_session_for_both(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    s = await sam.join(session["id"])
    await s.intent("ready")
    await alex.call("DELETE", "/api/couple")
    ended = await s.wait_event("session_ended")
    assert ended["data"]["reason"] == "ended_early" and ended["data"]["by"] == alex.id
    assert (await sam.sessions())[0]["status"] == "ended"
    with pytest.raises(LiveError) as refused:
        await s.intent("ready")
    assert refused.value.code == "session_ended"


async def test_a_person_may_have_five_sockets_open_to_a_session_and_a_sixth_is_refused(
    shared_server: LiveServer,
) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    tabs = [await alex.join(session["id"]) for _ in range(5)]
    for tab in tabs:
        await tab.wait_for(lambda tab=tab: tab.snapshot is not None)
    sixth = await alex.join(session["id"])
    assert await sixth.wait_closed() == 4429
    assert sixth.frames[0]["code"] == "too_many_connections" and "5 places" in sixth.frames[0]["message"]
    partner = await sam.join(session["id"])  # the limit is per person: Sam still gets in
    await partner.wait_for(lambda: partner.snapshot is not None)
    await tabs[0].close()  # one tab closes: a new one is welcome again (once the server has seen it go)
    for _attempt in range(50):
        again = await alex.join(session["id"])
        await again.wait_for(lambda again=again: again.snapshot is not None or again.close_code is not None)
        if again.close_code is None:
            break
        assert again.close_code == 4429
        await asyncio.sleep(0.1)
    assert again.close_code is None and again.snapshot is not None
