"""A person takes their journal and noticings with them, and a closed account leaves none behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import JournalEntry, JournalShare, Noticing
from tests.helpers import DEFAULT_PASSWORD
from tests.server.test_facilitation import cast


async def test_the_export_holds_my_journal_my_share_and_my_noticings_and_nobody_elses(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    entry = (
        await c.alex.post(
            "/api/journal", json={"text": "alex's words", "prompt_id": "did_well", "feelings": ["hopeful"]}
        )
    ).json()
    await c.alex.request("PUT", f"/api/journal/{entry['id']}/share", json={"link_id": c.link_id})
    await c.alex.post("/api/noticing", json={"intensity": 4, "feeling": "tense", "context": "after dinner"})
    await c.sam.post("/api/journal", json={"text": "sam's words"})
    await c.sam.post("/api/noticing", json={"context": "sam's moment"})

    export = (await c.alex.get("/api/me/export")).json()
    assert [(e["text"], e["prompt"], e["feelings"]) for e in export["journal"]] == [
        ("alex's words", "What did I do well this week, even if it was small?", ["hopeful"])
    ]
    assert [(s["entry_id"], s["facilitator_display_name"]) for s in export["journal_shares"]] == [(entry["id"], "Fran")]
    assert [(n["intensity"], n["feeling"], n["context"]) for n in export["noticings"]] == [(4, "tense", "after dinner")]
    text = str(export)
    assert "sam's words" not in text and "sam's moment" not in text
    # Neither the partner's nor the facilitator's export holds Alex's words.
    for other in (c.sam, c.facilitator):
        assert "alex's words" not in (await other.get("/api/me/export")).text


async def test_deleting_the_account_erases_the_journal_the_share_and_the_noticings(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await cast(new_browser)
    entry = (await c.alex.post("/api/journal", json={"text": "to be erased"})).json()
    await c.alex.request("PUT", f"/api/journal/{entry['id']}/share", json={"link_id": c.link_id})
    await c.alex.post("/api/noticing", json={"context": "to be erased"})
    kept = (await c.sam.post("/api/journal", json={"text": "sam keeps this"})).json()
    alex_id = (await c.alex.get("/api/me")).json()["id"]

    assert (await c.alex.post("/api/me/delete", json={"password": DEFAULT_PASSWORD})).status_code == 204

    entries = (await db.exec(select(JournalEntry))).all()
    assert [str(e.id) for e in entries] == [kept["id"]]
    assert (await db.exec(select(JournalShare))).all() == []
    assert all(str(n.user_id) != alex_id for n in (await db.exec(select(Noticing))).all())


async def test_a_closed_facilitator_account_takes_the_shares_made_to_it(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await cast(new_browser)
    entry = (await c.alex.post("/api/journal", json={"text": "for Fran"})).json()
    await c.alex.request("PUT", f"/api/journal/{entry['id']}/share", json={"link_id": c.link_id})
    assert (await c.facilitator.post("/api/me/delete", json={"password": DEFAULT_PASSWORD})).status_code == 204
    assert (await db.exec(select(JournalShare))).all() == []
    again = (await c.alex.get(f"/api/journal/{entry['id']}")).json()
    assert again["text"] == "for Fran" and again["shared_with"] is None
