"""The private journal: write with an optional prompt and feelings, list newest first, search, edit, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from server.journal.definitions import journal_definitions
from tests.helpers import Browser, error_code

LIMIT = journal_definitions().limits.entry_max_chars


async def signed_up(new_browser: Callable[[], Any], name: str = "Alex") -> Browser:
    person = await new_browser()
    await person.sign_up(display_name=name)
    return person


async def write(person: Browser, text: str, **fields: Any) -> dict[str, Any]:
    response = await person.post("/api/journal", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_options_offer_the_prompts_and_feelings_from_the_definitions(browser: Browser) -> None:
    await browser.sign_up()
    options = (await browser.get("/api/journal/options")).json()
    defs = journal_definitions()
    assert [p["text"] for p in options["prompts"]] == [p.text for p in defs.prompts]
    assert "What am I afraid of right now?" in [p["text"] for p in options["prompts"]]
    assert [f["id"] for f in options["feelings"]] == [f.id for f in defs.feelings]
    assert options["entry_max_chars"] == LIMIT


async def test_an_entry_keeps_its_prompt_feelings_and_words(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "Tight chest before dinner.", prompt_id="body_before", feelings=["tense", "afraid"])
    assert entry["prompt"] == "What did I notice in my body just before I wanted to pull away?"
    assert entry["feelings"] == ["tense", "afraid"]
    assert entry["shared_with"] is None
    again = (await browser.get(f"/api/journal/{entry['id']}")).json()
    assert again == entry
    free = await write(browser, "No prompt today.")
    assert (free["prompt_id"], free["prompt"], free["feelings"]) == (None, None, [])


async def test_the_list_is_newest_first_and_search_finds_words_and_feelings(browser: Browser) -> None:
    await browser.sign_up()
    first = await write(browser, "A walk helped. 100% calmer", feelings=["calm"])
    second = await write(browser, "I went QUIET at dinner", feelings=["numb", "tense"])
    third = await write(browser, "Dinner again, but I stayed", feelings=["hopeful"])
    ids = lambda r: [e["id"] for e in r.json()]  # noqa: E731
    assert ids(await browser.get("/api/journal")) == [third["id"], second["id"], first["id"]]
    assert ids(await browser.get("/api/journal", params={"q": "dinner"})) == [third["id"], second["id"]]
    assert ids(await browser.get("/api/journal", params={"q": "quiet"})) == [second["id"]]
    assert ids(await browser.get("/api/journal", params={"q": "100%"})) == [first["id"]]
    assert ids(await browser.get("/api/journal", params={"q": "0_"})) == []  # LIKE wildcards are plain text
    assert ids(await browser.get("/api/journal", params={"feeling": "tense"})) == [second["id"]]
    assert ids(await browser.get("/api/journal", params={"q": "dinner", "feeling": "hopeful"})) == [third["id"]]
    assert ids(await browser.get("/api/journal", params={"limit": 1, "offset": 1})) == [second["id"]]


async def test_editing_changes_words_and_feelings_but_not_the_prompt(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "First words", prompt_id="if_safe", feelings=["afraid"])
    response = await browser.patch(f"/api/journal/{entry['id']}", json={"text": "Better words", "feelings": ["tender"]})
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (edited["text"], edited["feelings"], edited["prompt_id"]) == ("Better words", ["tender"], "if_safe")
    assert edited["updated_at"] >= entry["updated_at"]
    assert (await browser.get(f"/api/journal/{entry['id']}")).json()["text"] == "Better words"


async def test_a_deleted_entry_is_gone(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "Gone soon")
    assert (await browser.delete(f"/api/journal/{entry['id']}")).status_code == 204
    assert (await browser.get(f"/api/journal/{entry['id']}")).status_code == 404
    assert (await browser.get("/api/journal")).json() == []
    assert (await browser.delete(f"/api/journal/{entry['id']}")).status_code == 404


async def test_length_is_counted_as_people_see_it(browser: Browser) -> None:
    await browser.sign_up()
    family = "👨‍👩‍👧"  # one character on screen, five code points
    assert (await browser.post("/api/journal", json={"text": family * LIMIT})).status_code == 201
    response = await browser.post("/api/journal", json={"text": family * (LIMIT + 1)})
    assert response.status_code == 400
    assert f"{LIMIT:,}" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({}, "text"),
        ({"text": "x" * (LIMIT + 1)}, "text"),
        ({"text": "ok", "feelings": ["sleepy-ish"]}, "feelings"),
        ({"text": "ok", "feelings": "afraid"}, "feelings"),
        ({"text": "ok", "prompt_id": "not_a_prompt"}, "prompt_id"),
        ({"text": 42}, "text"),
        ({"text": "a NUL \u0000 here"}, "text"),
        ({"text": "a bell \u0007 here"}, "text"),
        ({"text": "escape \u001b[31m here"}, "text"),
        ({"text": "a C1 control \u0085 here"}, "text"),
    ],
)
async def test_bad_entries_get_a_plain_400(browser: Browser, body: dict[str, Any], field: str) -> None:
    await browser.sign_up()
    response = await browser.post("/api/journal", json=body)
    assert response.status_code == 400, response.text
    assert error_code(response) == "invalid_request"
    assert field in response.json()["error"]["message"]
    assert (await browser.get("/api/journal")).json() == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 101},
        {"feeling": "unknown"},
        {"limit": 0},
        {"limit": 201},
        {"offset": -1},
        {"limit": "many"},
        {"offset": 10**30},
        {"limit": 10**30},
        {"offset": 2**63},
        {"q": "a\u0000b"},
        {"q": "a\u0007b"},
    ],
)
async def test_bad_searches_get_a_plain_400(browser: Browser, params: dict[str, Any]) -> None:
    await browser.sign_up()
    response = await browser.get("/api/journal", params=params)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}


async def test_a_lone_surrogate_is_a_plain_400(browser: Browser) -> None:
    await browser.sign_up()
    raw = {"content": b'{"text": "half an emoji \\ud83d here"}', "headers": {"content-type": "application/json"}}
    assert (await browser.post("/api/journal", **raw)).status_code == 400
    tapped = await browser.post(
        "/api/noticing", content=b'{"context": "half \\ud83d"}', headers={"content-type": "application/json"}
    )
    assert tapped.status_code == 400
    assert (await browser.get("/api/journal")).json() == []


async def test_a_far_offset_within_the_bound_is_simply_empty(browser: Browser) -> None:
    await browser.sign_up()
    await write(browser, "Words")
    response = await browser.get("/api/journal", params={"offset": 1_000_000})
    assert (response.status_code, response.json()) == (200, [])


async def test_search_ignores_the_case_of_accented_letters(browser: Browser) -> None:
    await browser.sign_up()
    summer = await write(browser, "Cet ÉTÉ, j'ai appris à revenir.")
    await write(browser, "Winter words")
    for q in ("été", "ÉTÉ", "Été", "j'AI APPRIS À"):
        found = (await browser.get("/api/journal", params={"q": q})).json()
        assert [e["id"] for e in found] == [summer["id"]], q
    lower = await write(browser, "über alles straße")
    found = (await browser.get("/api/journal", params={"q": "ÜBER"})).json()
    assert [e["id"] for e in found] == [lower["id"]]


async def test_tabs_and_line_breaks_are_writing(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "one\ttab\r\ntwo lines \u202eand a direction mark")
    assert entry["text"] == "one\ttab\ntwo lines \u202eand a direction mark"


async def test_an_empty_edit_does_not_mark_an_entry_edited(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "Words", feelings=["calm"])
    for body in ({}, {"text": "Words"}, {"feelings": ["calm"]}):
        response = await browser.patch(f"/api/journal/{entry['id']}", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["updated_at"] == entry["updated_at"], body
    assert (await browser.get(f"/api/journal/{entry['id']}")).json()["updated_at"] == entry["updated_at"]


async def test_bad_edits_and_unknown_ids(browser: Browser) -> None:
    await browser.sign_up()
    entry = await write(browser, "Words")
    assert (await browser.patch(f"/api/journal/{entry['id']}", json={"text": "nul \u0000"})).status_code == 400
    assert (await browser.patch(f"/api/journal/{entry['id']}", json={"text": ""})).status_code == 400
    assert (await browser.patch(f"/api/journal/{entry['id']}", json={"feelings": ["nope"]})).status_code == 400
    assert (await browser.get("/api/journal/not-a-uuid")).status_code in (400, 404)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await browser.get(f"/api/journal/{unknown}")).status_code == 404
    assert (await browser.get(f"/api/journal/{entry['id']}")).json()["text"] == "Words"
