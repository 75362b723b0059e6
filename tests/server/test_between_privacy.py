"""Who sees what between sessions, tested both ways: a kit and a practice log are their author's alone;
a ritual is the couple's (both partners) and nobody else's, not even their linked facilitator's."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.between import solo
from server.models import KitItem, Ritual, SoloPractice
from server.models.timestamps import utcnow
from tests.helpers import Browser, error_code
from tests.server.test_facilitation import Cast, cast

MARKER = "MARKER-kit-7c1e9f holding the cat"
RITUAL = {"days": ["MO"], "time": "20:30", "timezone": "Europe/Paris"}
DAILY = "/api/rituals/daily"


async def alex_keeps_things(c: Cast, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    item = (await c.alex.post("/api/kit", json={"text": MARKER})).json()["id"]
    other = (await c.alex.post("/api/kit", json={"suggestion_id": "walk"})).json()["id"]
    started = (await c.alex.post("/api/solo/grounding/start")).json()
    later = utcnow() + timedelta(minutes=4)
    monkeypatch.setattr(solo, "clock", lambda: later)
    assert (await c.alex.post("/api/solo/complete", json={"token": started["token"]})).status_code == 201
    assert (await c.alex.request("PUT", DAILY, json=RITUAL)).status_code == 200
    return {"item": item, "other": other, "token": started["token"]}


async def test_a_kit_and_practice_log_reach_only_their_author(
    new_browser: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    c = await cast(new_browser)
    ids = await alex_keeps_things(c, monkeypatch)
    # The author can.
    assert [i["text"] for i in (await c.alex.get("/api/kit")).json()["items"]] == [MARKER, "A walk outside"]
    assert [p["kind"] for p in (await c.alex.get("/api/solo/log")).json()] == ["grounding"]
    # The partner, the linked facilitator, another facilitator and a stranger cannot.
    for other in (c.sam, c.facilitator, c.other_facilitator, c.stranger):
        assert (await other.get("/api/kit")).json()["items"] == []
        assert (await other.get("/api/solo/log")).json() == []
        removed = await other.delete(f"/api/kit/{ids['item']}")
        assert removed.status_code == 404 and error_code(removed) == "not_found"
        reorder = await other.request("PUT", "/api/kit/order", json={"ids": [ids["other"], ids["item"]]})
        assert reorder.status_code == 400
        stolen = await other.post("/api/solo/complete", json={"token": ids["token"]})
        assert stolen.status_code == 400 and error_code(stolen) == "bad_token"
    # Signed out: nothing at all.
    for method, path in [
        ("GET", "/api/kit"),
        ("POST", "/api/kit"),
        ("PUT", "/api/kit/order"),
        ("DELETE", f"/api/kit/{ids['item']}"),
        ("GET", "/api/solo/practices"),
        ("POST", "/api/solo/breathing/start"),
        ("POST", "/api/solo/complete"),
        ("GET", "/api/solo/log"),
    ]:
        response = await c.signed_out.request(method, path, json={} if method != "GET" else None)
        assert response.status_code == 401, (method, path)
    assert [i["text"] for i in (await c.alex.get("/api/kit")).json()["items"]] == [MARKER, "A walk outside"]


async def test_a_ritual_is_the_couples_and_nobody_elses(
    new_browser: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    c = await cast(new_browser)
    await alex_keeps_things(c, monkeypatch)
    for partner in (c.alex, c.sam):
        assert [r["plan_id"] for r in (await partner.get("/api/rituals")).json()["rituals"]] == ["daily"]
        assert (await partner.get(f"{DAILY}/calendar.ics")).status_code == 200
    for outsider in (c.facilitator, c.other_facilitator, c.stranger):
        for response in (
            await outsider.get("/api/rituals"),
            await outsider.get(f"{DAILY}/calendar.ics"),
            await outsider.request("PUT", DAILY, json=RITUAL),
            await outsider.delete(DAILY),
        ):
            assert response.status_code == 409 and error_code(response) == "not_paired"
    for method, path in [("GET", "/api/rituals"), ("PUT", DAILY), ("DELETE", DAILY)]:
        assert (await c.signed_out.request(method, path, json=RITUAL if method == "PUT" else None)).status_code == 401
    assert (await c.signed_out.get(f"{DAILY}/calendar.ics")).status_code == 401
    assert (await c.sam.get("/api/rituals")).json()["rituals"] != []  # the outsiders changed nothing


async def test_kit_words_reach_no_other_persons_answer_or_a_log(
    new_browser: Callable[[], Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    c = await cast(new_browser)
    await alex_keeps_things(c, monkeypatch)
    views: list[tuple[Browser, str]] = [
        (c.sam, "/api/me/export"),
        (c.sam, "/api/couple"),
        (c.sam, "/api/kit"),
        (c.sam, "/api/rituals"),
        (c.facilitator, "/api/me/export"),
        (c.facilitator, "/api/facilitator/couples"),
        (c.stranger, "/api/kit"),
    ]
    for who, path in views:
        response = await who.get(path)
        assert MARKER not in response.text, path
    assert MARKER in (await c.alex.get("/api/me/export")).text  # the author's own export holds it
    assert MARKER not in caplog.text


async def test_export_holds_my_kit_practices_and_rituals_and_deletion_erases_them(
    new_browser: Callable[[], Any], monkeypatch: pytest.MonkeyPatch, db: AsyncSession
) -> None:
    c = await cast(new_browser)
    await alex_keeps_things(c, monkeypatch)
    mine = (await c.alex.get("/api/me/export")).json()["between_sessions"]
    assert [i["text"] for i in mine["kit"]] == [MARKER, "A walk outside"]
    assert [p["kind"] for p in mine["solo_practices"]] == ["grounding"]
    assert [(r["plan_id"], r["days"], r["time"], r["timezone"]) for r in mine["rituals_i_set"]] == [
        ("daily", ["MO"], "20:30", "Europe/Paris")
    ]
    theirs = (await c.sam.get("/api/me/export")).json()["between_sessions"]
    assert theirs == {"kit": [], "solo_practices": [], "rituals_i_set": []}

    await c.sam.post("/api/kit", json={"text": "Sam's own"})
    me = {"id": uuid.UUID((await c.alex.get("/api/me")).json()["id"])}
    deleted = await c.alex.post("/api/me/delete", json={"password": "a long and gentle passphrase"})
    assert deleted.status_code in (200, 204), deleted.text
    assert (await db.exec(select(KitItem).where(KitItem.user_id == me["id"]))).all() == []
    assert (await db.exec(select(SoloPractice).where(SoloPractice.user_id == me["id"]))).all() == []
    assert (await db.exec(select(Ritual))).all() == []
    assert [i["text"] for i in (await c.sam.get("/api/kit")).json()["items"]] == ["Sam's own"]
