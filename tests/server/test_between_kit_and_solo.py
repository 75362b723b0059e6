"""The self-soothing kit and the solo practices over HTTP: what a person can do, and what is refused."""

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from exercises.between_sessions import COMPLETION_TOLERANCE
from exercises.schema import GuideInput
from rooms.catalogue import builtin_catalogue
from server.between import solo
from server.models.timestamps import utcnow
from tests.helpers import Browser, error_code


async def test_a_kit_starts_empty_with_suggestions_and_its_bounds(browser: Browser) -> None:
    await browser.sign_up()
    kit = (await browser.get("/api/kit")).json()
    assert kit["items"] == []
    texts = [s["text"] for s in kit["suggestions"]]
    assert any("breathing" in t for t in texts) and any("walk" in t for t in texts)
    assert any("Music" in t for t in texts) and any("creative" in t for t in texts)
    assert kit["max_items"] == 12 and kit["max_length"] == 120


async def test_add_a_suggestion_in_one_tap_and_own_words_then_reorder_and_remove(browser: Browser) -> None:
    await browser.sign_up()
    walk = await browser.post("/api/kit", json={"suggestion_id": "walk"})
    assert walk.status_code == 201, walk.text
    mine = await browser.post("/api/kit", json={"text": "  Holding   the cat  "})
    assert mine.status_code == 201 and mine.json()["text"] == "Holding the cat"
    kit = (await browser.get("/api/kit")).json()
    assert [i["text"] for i in kit["items"]] == ["A walk outside", "Holding the cat"]
    ids = [i["id"] for i in kit["items"]]
    reordered = await browser.request("PUT", "/api/kit/order", json={"ids": ids[::-1]})
    assert [i["text"] for i in reordered.json()["items"]] == ["Holding the cat", "A walk outside"]
    assert (await browser.delete(f"/api/kit/{ids[0]}")).status_code == 204
    assert [i["text"] for i in (await browser.get("/api/kit")).json()["items"]] == ["Holding the cat"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "text_or_suggestion"),
        ({"text": "x", "suggestion_id": "walk"}, 400, "text_or_suggestion"),
        ({"text": "   "}, 400, "empty"),
        ({"text": "a" * 121}, 400, "too_long"),
        ({"text": "a" * 5000}, 400, "invalid_request"),
        ({"suggestion_id": "skydiving"}, 400, "unknown_suggestion"),
        ({"text": 7}, 400, "invalid_request"),
        ({"text": "calm\x00down"}, 400, "control_characters"),  # PostgreSQL cannot store NUL: was a 500
        ({"text": "ring\x07"}, 400, "control_characters"),
        ({"text": "walk \u202eedisni"}, 400, "control_characters"),  # would show reversed
    ],
)
async def test_bad_kit_additions_are_plain_400s(browser: Browser, body: dict[str, Any], status: int, code: str) -> None:
    await browser.sign_up()
    response = await browser.post("/api/kit", json=body)
    assert response.status_code == status and error_code(response) == code


async def test_a_kit_is_short_and_a_suggestion_is_added_once(browser: Browser) -> None:
    await browser.sign_up()
    assert (await browser.post("/api/kit", json={"suggestion_id": "music"})).status_code == 201
    again = await browser.post("/api/kit", json={"suggestion_id": "music"})
    assert again.status_code == 409 and error_code(again) == "already_in_kit"
    for n in range(11):
        assert (await browser.post("/api/kit", json={"text": f"thing {n}"})).status_code == 201
    full = await browser.post("/api/kit", json={"text": "one more"})
    assert full.status_code == 409 and error_code(full) == "kit_full"


async def test_a_reorder_must_name_every_item_once(browser: Browser) -> None:
    await browser.sign_up()
    a = (await browser.post("/api/kit", json={"text": "a"})).json()["id"]
    await browser.post("/api/kit", json={"text": "b"})
    for ids in ([a], [a, a], ["not-a-uuid"]):
        response = await browser.request("PUT", "/api/kit/order", json={"ids": ids})
        assert response.status_code == 400


async def test_the_solo_breathing_is_the_shared_guide_and_grounding_lasts_three_minutes(browser: Browser) -> None:
    await browser.sign_up()
    practices = {p["kind"]: p for p in (await browser.get("/api/solo/practices")).json()}
    guide = next(s.input for s in builtin_catalogue().exercises["breathe"].steps if isinstance(s.input, GuideInput))
    assert practices["breathing"]["definition"] == {
        "kind": "guide",
        "inhale_seconds": guide.inhale_seconds,
        "exhale_seconds": guide.exhale_seconds,
        "cycles": guide.cycles,
    }
    assert practices["breathing"]["duration_seconds"] == guide.duration
    steps = practices["grounding"]["definition"]["steps"]
    assert [s["count"] for s in steps] == [5, 4, 3, 2, 1]
    assert [s["sense"] for s in steps] == ["see", "hear", "touch", "smell", "taste"]
    assert practices["grounding"]["duration_seconds"] == 180


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The solo service's clock, moved forward by the test instead of waiting minutes."""
    now = [utcnow()]
    monkeypatch.setattr(solo, "clock", lambda: now[0])
    return now


@pytest.mark.parametrize("kind", ["breathing", "grounding"])
async def test_a_solo_practice_is_logged_once_it_has_run_its_course(
    browser: Browser, clock: list[Any], kind: str
) -> None:
    await browser.sign_up()
    started = (await browser.post(f"/api/solo/{kind}/start")).json()
    duration = started["duration_seconds"]
    at_once = await browser.post("/api/solo/complete", json={"token": started["token"]})
    assert at_once.status_code == 409 and error_code(at_once) == "not_yet"
    said = at_once.json()["error"]["message"]  # the timing, not the person: nothing to feel bad about
    assert "didn't quite add up" in said and "Nothing is wrong" in said and "wasn't noted this time" in said
    clock[0] += timedelta(seconds=duration * (1 - COMPLETION_TOLERANCE) - 2)
    almost = await browser.post("/api/solo/complete", json={"token": started["token"]})
    assert almost.status_code == 409 and error_code(almost) == "not_yet"
    assert (await browser.get("/api/solo/log")).json() == []
    clock[0] += timedelta(seconds=3)
    done = await browser.post("/api/solo/complete", json={"token": started["token"]})
    assert done.status_code == 201, done.text
    log = (await browser.get("/api/solo/log")).json()
    assert [p["kind"] for p in log] == [kind]
    twice = await browser.post("/api/solo/complete", json={"token": started["token"]})
    assert twice.status_code == 409 and error_code(twice) == "already_logged"


async def test_a_start_left_open_overnight_is_not_logged(browser: Browser, clock: list[Any]) -> None:
    await browser.sign_up()
    started = (await browser.post("/api/solo/breathing/start")).json()
    clock[0] += timedelta(hours=7)
    late = await browser.post("/api/solo/complete", json={"token": started["token"]})
    assert late.status_code == 409 and error_code(late) == "start_expired"


async def test_a_forged_or_borrowed_token_is_refused(new_browser: Callable[[], Any], clock: list[Any]) -> None:
    robin, kim = await new_browser(), await new_browser()
    await robin.sign_up()
    await kim.sign_up(display_name="Kim")
    started = (await robin.post("/api/solo/breathing/start")).json()
    clock[0] += timedelta(minutes=5)
    kind, ms, sig = started["token"].split(".")
    for token in (
        started["token"],
        f"grounding.{ms}.{sig}",
        f"{kind}.{int(ms) - 600_000}.{sig}",
        "x",
        "a.b.c",
        f"{kind}.\u00b2.{sig}",  # a superscript two is a "digit" to str.isdigit(), not to int(): was a 500
        f"{kind}.{ms[:-1]}\u0663.{sig}",  # an Arabic-Indic digit
    ):
        response = await kim.post("/api/solo/complete", json={"token": token})
        assert response.status_code == 400 and error_code(response) == "bad_token"
    forged = await robin.post("/api/solo/complete", json={"token": f"{kind}.{int(ms) - 600_000}.{sig}"})
    assert forged.status_code == 400
    assert (await kim.get("/api/solo/log")).json() == []


async def test_an_unknown_practice_is_a_plain_404(browser: Browser) -> None:
    await browser.sign_up()
    response = await browser.post("/api/solo/yoga/start")
    assert response.status_code == 404 and error_code(response) == "unknown_practice"


async def test_many_starts_and_one_wait_note_one_practice(browser: Browser, clock: list[Any]) -> None:
    await browser.sign_up()
    tokens = []
    for _ in range(5):
        tokens.append((await browser.post("/api/solo/grounding/start")).json()["token"])
        clock[0] += timedelta(seconds=1)
    clock[0] += timedelta(minutes=3)
    answers = [await browser.post("/api/solo/complete", json={"token": token}) for token in tokens]
    assert [a.status_code for a in answers] == [201, 409, 409, 409, 409]
    assert {error_code(a) for a in answers[1:]} == {"overlaps_logged"}
    assert "already noted" in answers[1].json()["error"]["message"]
    assert len((await browser.get("/api/solo/log")).json()) == 1
    # The next practice, after that one, is noted as usual.
    clock[0] += timedelta(seconds=1)
    later = (await browser.post("/api/solo/breathing/start")).json()
    clock[0] += timedelta(seconds=later["duration_seconds"])
    assert (await browser.post("/api/solo/complete", json={"token": later["token"]})).status_code == 201


async def test_one_start_completed_twice_at_once_is_noted_once(browser: Browser, clock: list[Any]) -> None:
    await browser.sign_up()
    started = (await browser.post("/api/solo/grounding/start")).json()
    clock[0] += timedelta(seconds=started["duration_seconds"])
    answers = await asyncio.gather(
        *(browser.post("/api/solo/complete", json={"token": started["token"]}) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert {error_code(a) for a in answers if a.status_code == 409} <= {"already_logged", "overlaps_logged"}
    assert len((await browser.get("/api/solo/log")).json()) == 1
