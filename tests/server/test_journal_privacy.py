"""Journal entries and noticings are the author's alone: every endpoint, tried by everyone else.

The one exception: the single entry an author shares with a linked facilitator of their couple, seen
by that facilitator only, with its current words, until it is taken back, unlinked or deleted.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from server.db import create_engine, session_factory
from server.journal import sharing
from server.journal.shapes import SharedWith
from server.models import User
from server.pairing.service import leave_couple
from server.settings import Settings
from tests.helpers import DEFAULT_PASSWORD, Browser, error_code
from tests.server.test_facilitation import Cast, cast

SECRET = "the-words-only-alex-may-read"
OTHERS = ("sam", "facilitator", "other_facilitator", "stranger")

# Endpoints about one of Alex's rows: nobody else learns it exists (404), signed out is 401.
OWN_ROW_ENDPOINTS = [
    ("GET", "/api/journal/{entry_id}", None),
    ("PATCH", "/api/journal/{entry_id}", {"text": "overwritten"}),
    ("DELETE", "/api/journal/{entry_id}", None),
    ("PUT", "/api/journal/{entry_id}/share", {"link_id": "{link_id}"}),
    ("PATCH", "/api/noticing/{noticing_id}", {"context": "overwritten"}),
    ("DELETE", "/api/noticing/{noticing_id}", None),
]
# Endpoints about "my" things: everyone gets their own (nothing of Alex's); signed out is 401.
MY_ENDPOINTS = [
    ("GET", "/api/journal", None),
    ("GET", "/api/journal?q=the-words", None),
    ("GET", "/api/journal/options", None),
    ("POST", "/api/journal", {"text": "my own words"}),
    ("GET", "/api/journal/share", None),
    ("DELETE", "/api/journal/share", None),
    ("GET", "/api/noticing", None),
    ("GET", "/api/noticing/options", None),
    ("GET", "/api/noticing/pattern?tz=Europe/Paris", None),
    ("POST", "/api/noticing", {"intensity": 3}),
]


async def alex_writes(c: Cast) -> dict[str, str]:
    entry = (await c.alex.post("/api/journal", json={"text": SECRET, "feelings": ["afraid"]})).json()
    moment = (await c.alex.post("/api/noticing", json={"feeling": "tense", "context": SECRET})).json()
    return {"entry_id": entry["id"], "noticing_id": moment["id"], "link_id": c.link_id, "couple_id": c.couple_id}


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


async def alex_still_has_everything(c: Cast, ids: dict[str, str]) -> None:
    entry = (await c.alex.get(f"/api/journal/{ids['entry_id']}")).json()
    assert entry["text"] == SECRET and entry["shared_with"] is None
    assert [n["context"] for n in (await c.alex.get("/api/noticing")).json()] == [SECRET]


@pytest.mark.parametrize(("method", "path", "body"), OWN_ROW_ENDPOINTS)
async def test_nobody_but_the_author_can_touch_an_entry_or_noticing(
    new_browser: Callable[[], Any], method: str, path: str, body: Any
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    url, payload = path.format(**ids), fill(body, ids)
    for who in OTHERS:
        response = await getattr(c, who).request(method, url, json=payload)
        assert response.status_code == 404, (who, method, url, response.text)
        assert SECRET not in response.text
    response = await c.signed_out.request(method, url, json=payload)
    assert response.status_code == 401 and error_code(response) == "not_signed_in"
    await alex_still_has_everything(c, ids)
    response = await c.alex.request(method, url, json=payload)
    assert response.status_code in (200, 204), (method, url, response.text)


@pytest.mark.parametrize(("method", "path", "body"), MY_ENDPOINTS)
async def test_everyone_else_sees_only_their_own_things(
    new_browser: Callable[[], Any], method: str, path: str, body: Any
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    for who in OTHERS:
        response = await getattr(c, who).request(method, path, json=body)
        assert response.status_code in (200, 201, 204), (who, path, response.text)
        assert SECRET not in response.text
    response = await c.signed_out.request(method, path, json=body)
    assert response.status_code == 401
    await alex_still_has_everything(c, ids)
    response = await c.alex.request(method, path, json=body)
    assert response.status_code in (200, 201, 204)


# ----------------------------------------------------------------------------- sharing one entry


async def facilitator_sees(c: Cast, who: Browser | None = None) -> list[str]:
    response = await (who or c.facilitator).get(f"/api/facilitator/couples/{c.couple_id}/journal")
    assert response.status_code == 200, response.text
    return [shared["entry"]["text"] for shared in response.json()]


async def share(c: Cast, entry_id: str, link_id: str | None = None) -> Any:
    return await c.alex.request("PUT", f"/api/journal/{entry_id}/share", json={"link_id": link_id or c.link_id})


async def test_the_facilitator_sees_nothing_until_alex_shares_then_exactly_that_entry(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    other = (await c.alex.post("/api/journal", json={"text": "not for anyone"})).json()
    assert await facilitator_sees(c) == []

    response = await share(c, ids["entry_id"])
    assert response.status_code == 200, response.text
    assert response.json()["facilitator_display_name"] == "Fran"
    shared = (await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/journal")).json()
    assert [(s["partner_display_name"], s["entry"]["text"]) for s in shared] == [("Alex", SECRET)]
    assert shared[0]["feeling_labels"] == ["afraid"]
    assert "not for anyone" not in str(shared)
    # Alex sees where it is shared; nobody else learns anything.
    assert (await c.alex.get("/api/journal/share")).json()["id"] == ids["entry_id"]
    listed = {e["id"]: e["shared_with"] for e in (await c.alex.get("/api/journal")).json()}
    assert listed[ids["entry_id"]]["facilitator_display_name"] == "Fran" and listed[other["id"]] is None
    for who in ("sam", "stranger"):
        response = await getattr(c, who).get(f"/api/facilitator/couples/{c.couple_id}/journal")
        assert response.status_code == 403 and SECRET not in response.text
    response = await c.other_facilitator.get(f"/api/facilitator/couples/{c.couple_id}/journal")
    assert response.status_code == 404 and SECRET not in response.text
    assert (await c.signed_out.get(f"/api/facilitator/couples/{c.couple_id}/journal")).status_code == 401
    assert SECRET not in (await c.sam.get("/api/journal/share")).text
    # The facilitator cannot reach the entry itself, nor the noticing, through the author's endpoints.
    assert (await c.facilitator.get(f"/api/journal/{ids['entry_id']}")).status_code == 404


async def test_the_facilitator_reads_the_current_words_of_an_edited_entry(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    await share(c, ids["entry_id"])
    await c.alex.patch(f"/api/journal/{ids['entry_id']}", json={"text": "Said more gently now"})
    assert await facilitator_sees(c) == ["Said more gently now"]


async def test_one_shared_entry_at_a_time(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    second = (await c.alex.post("/api/journal", json={"text": "the second one"})).json()
    await share(c, ids["entry_id"])
    await share(c, second["id"])
    assert await facilitator_sees(c) == ["the second one"]
    assert (await c.alex.get(f"/api/journal/{ids['entry_id']}")).json()["shared_with"] is None


@pytest.mark.parametrize("how", ["revoked", "entry_deleted", "unlinked_by_sam", "unlinked_by_alex", "couple_split"])
async def test_the_facilitator_loses_the_entry_at_once(new_browser: Callable[[], Any], how: str) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    await share(c, ids["entry_id"])
    assert await facilitator_sees(c) == [SECRET]
    if how == "revoked":
        assert (await c.alex.delete("/api/journal/share")).status_code == 204
    elif how == "entry_deleted":
        assert (await c.alex.delete(f"/api/journal/{ids['entry_id']}")).status_code == 204
    elif how.startswith("unlinked"):
        who = c.sam if how.endswith("sam") else c.alex
        assert (await who.delete(f"/api/facilitators/{c.link_id}")).status_code == 204
    elif how == "couple_split":
        assert (await c.alex.delete("/api/couple")).status_code == 204
    response = await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/journal")
    if how in ("revoked", "entry_deleted"):
        assert response.json() == []
    else:
        assert response.status_code == 404
    assert SECRET not in response.text
    assert (await c.alex.get("/api/journal/share")).json() is None


async def test_a_new_link_with_the_same_facilitator_does_not_bring_an_old_share_back(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    await share(c, ids["entry_id"])
    await c.sam.delete(f"/api/facilitators/{c.link_id}")
    invite = (await c.facilitator.post("/api/facilitator/invites")).json()
    link_id = (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()[0]["id"]
    assert (await c.sam.post(f"/api/facilitators/{link_id}/confirm")).status_code == 204
    assert await facilitator_sees(c) == []


async def test_alex_can_share_only_with_a_facilitator_linked_now(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    # Another couple's facilitator link, a made-up link, and a link still waiting for Sam's confirmation.
    elsewhere = await cast(new_browser)
    invite = (await c.other_facilitator.post("/api/facilitator/invites")).json()
    pending = (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()
    pending_id = next(link["id"] for link in pending if link["status"] == "awaiting_confirmation")
    for link_id in (elsewhere.link_id, str(uuid.uuid4()), pending_id):
        response = await share(c, ids["entry_id"], link_id)
        assert response.status_code == 404, response.text
    assert (await share(c, ids["entry_id"], "not-a-uuid")).status_code == 400
    # Sam cannot share Alex's entry, even with their own facilitator.
    response = await c.sam.request("PUT", f"/api/journal/{ids['entry_id']}/share", json={"link_id": c.link_id})
    assert response.status_code == 404
    assert await facilitator_sees(c) == []
    assert await facilitator_sees(elsewhere, elsewhere.facilitator) == []


async def test_an_unpaired_person_cannot_share(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    entry = (await c.stranger.post("/api/journal", json={"text": "alone"})).json()
    response = await c.stranger.request("PUT", f"/api/journal/{entry['id']}/share", json={"link_id": c.link_id})
    assert response.status_code == 404


async def test_a_deleted_author_leaves_nothing_for_the_facilitator(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    await share(c, ids["entry_id"])
    assert (await c.alex.post("/api/me/delete", json={"password": DEFAULT_PASSWORD})).status_code == 204
    response = await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/journal")
    assert response.status_code == 404 and SECRET not in response.text


async def link_second_facilitator(c: Cast) -> str:
    invite = (await c.other_facilitator.post("/api/facilitator/invites")).json()
    links = (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()
    link_id = next(link["id"] for link in links if link["status"] == "awaiting_confirmation")
    assert (await c.sam.post(f"/api/facilitators/{link_id}/confirm")).status_code == 204
    return link_id


async def test_a_second_facilitator_of_the_couple_does_not_see_an_entry_shared_with_the_first(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    second_link = await link_second_facilitator(c)
    assert (await share(c, ids["entry_id"])).status_code == 200
    assert await facilitator_sees(c) == [SECRET]
    response = await c.other_facilitator.get(f"/api/facilitator/couples/{c.couple_id}/journal")
    assert (response.status_code, response.json()) == (200, [])
    # Moving the share to the second one takes it from the first.
    assert (await share(c, ids["entry_id"], second_link)).status_code == 200
    assert await facilitator_sees(c, c.other_facilitator) == [SECRET]
    assert await facilitator_sees(c) == []


async def test_two_shares_at_once_leave_exactly_one_and_never_fail(
    new_browser: Callable[[], Any], settings: Settings
) -> None:
    """Two taps or two tabs: both requests delete the old share and insert a new one at the same time, in
    two sessions of the app's own engine; the unique user_id must not turn the loser into a 500."""
    c = await cast(new_browser)
    ids = await alex_writes(c)
    second = (await c.alex.post("/api/journal", json={"text": "the second one"})).json()
    alex_id = uuid.UUID((await c.alex.get("/api/me")).json()["id"])
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        for _ in range(3):

            async def share_in_own_session(entry_id: str) -> SharedWith:
                async with sessions() as db:
                    alex = await db.get(User, alex_id)
                    assert alex is not None
                    return await sharing.share(
                        db, user=alex, entry_id=uuid.UUID(entry_id), link_id=uuid.UUID(c.link_id)
                    )

            answers = await asyncio.gather(share_in_own_session(ids["entry_id"]), share_in_own_session(second["id"]))
            assert [a.facilitator_display_name for a in answers] == ["Fran", "Fran"]
            seen = await facilitator_sees(c)
            assert len(seen) == 1 and seen[0] in (SECRET, "the second one")
    finally:
        await engine.dispose()
    assert (await c.alex.get("/api/journal/share")).json()["text"] in (SECRET, "the second one")


async def test_the_export_says_a_share_ended_when_the_couple_split(
    new_browser: Callable[[], Any], settings: Settings
) -> None:
    c = await cast(new_browser)
    ids = await alex_writes(c)
    await share(c, ids["entry_id"])
    export = (await c.alex.get("/api/me/export")).json()
    assert [s["link_ended"] for s in export["journal_shares"]] == [False]
    # The couple ends while the link row itself was never marked unlinked (as a split by any other path
    # would leave it): the share no longer reaches Fran, and the export must say so too.
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as db:
            alex = await db.get(User, uuid.UUID((await c.alex.get("/api/me")).json()["id"]))
            assert alex is not None
            await leave_couple(db, user=alex)
    finally:
        await engine.dispose()
    export = (await c.alex.get("/api/me/export")).json()
    assert [s["link_ended"] for s in export["journal_shares"]] == [True]
    assert (await c.alex.get("/api/journal/share")).json() is None
