"""Starting, listing and reading practice sessions over HTTP, with who may see what."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import Browser, error_code


async def couple(new_browser: Callable[[], Any]) -> tuple[Browser, Browser]:
    alex, sam = await new_browser(), await new_browser()
    await alex.sign_up(display_name="Alex")
    await sam.sign_up(display_name="Sam")
    code = (await alex.post("/api/invites")).json()["code"]
    await sam.post(f"/api/invites/{code}/accept")
    return alex, sam


async def test_the_built_in_plans_are_offered_with_their_length(browser: Browser) -> None:
    await browser.sign_up()
    offered = (await browser.get("/api/plans")).json()
    plans = {p["id"]: p for p in offered}
    assert [p["id"] for p in offered] == ["daily", "deeper", "stress_reducing", "weekly_meeting", "when_hard"]
    assert 10 <= plans["daily"]["estimated_minutes"] <= 15
    assert 50 <= plans["weekly_meeting"]["estimated_minutes"] <= 70
    assert 20 <= plans["stress_reducing"]["estimated_minutes"] <= 30
    assert "Small truths" in plans["daily"]["exercises"]
    assert "Asking for space" in plans["when_hard"]["exercises"]
    assert "Both answer, then both see" in plans["deeper"]["exercises"]
    assert all(p["description"] for p in plans.values())


async def test_the_session_rules_are_served_from_the_one_source(browser: Browser) -> None:
    from rooms.catalogue import builtin_catalogue

    await browser.sign_up()
    rules = (await browser.get("/api/rules")).json()
    assert rules["break"]["min_minutes"] == 20 and rules["break"]["less_than_minutes"] == 24 * 60
    assert rules["break"]["min_minutes"] == builtin_catalogue().rules.break_.min_minutes
    assert min(rules["break"]["choices_minutes"]) >= 20
    assert rules["short_pause"]["max_seconds"] == 300


async def test_a_partner_starts_a_session_and_the_other_sees_it(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    created = await alex.post("/api/sessions", json={"plan_id": "daily"})
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["status"] == "lobby" and session["live_path"].endswith("/live")
    seen = (await sam.get("/api/sessions")).json()
    assert [s["id"] for s in seen] == [session["id"]]
    assert seen[0]["started_by_me"] is False and seen[0]["partner_display_name"] == "Alex"
    assert (await sam.get(f"/api/sessions/{session['id']}")).status_code == 200


async def test_one_open_session_at_a_time(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    assert (await alex.post("/api/sessions", json={"plan_id": "daily"})).status_code == 201
    second = await sam.post("/api/sessions", json={"plan_id": "deeper"})
    assert second.status_code == 409 and error_code(second) == "session_in_progress"


async def test_a_session_needs_a_couple(browser: Browser) -> None:
    await browser.sign_up()
    response = await browser.post("/api/sessions", json={"plan_id": "daily"})
    assert response.status_code == 409 and error_code(response) == "not_paired"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"plan_id": "weekly-marathon"}, "unknown_plan"),
        ({"plan_id": "daily", "first_speaker": "whoever"}, "invalid_request"),
        ({}, "invalid_request"),
        ({"plan_id": 7}, "invalid_request"),
    ],
)
async def test_bad_session_requests_are_clear_400s(
    new_browser: Callable[[], Any], body: dict[str, Any], code: str
) -> None:
    alex, _ = await couple(new_browser)
    response = await alex.post("/api/sessions", json=body)
    assert response.status_code == 400 and error_code(response) == code


async def test_strangers_cannot_see_a_couples_session_or_summary(new_browser: Callable[[], Any]) -> None:
    alex, _ = await couple(new_browser)
    session_id = (await alex.post("/api/sessions", json={"plan_id": "daily"})).json()["id"]
    stranger = await new_browser()
    await stranger.sign_up(display_name="Kim")
    for path in (
        f"/api/sessions/{session_id}",
        f"/api/summaries/{session_id}",
        f"/api/summaries/{session_id}/markdown",
    ):
        response = await stranger.get(path)
        assert response.status_code == 404, path
    assert (await stranger.get("/api/sessions")).json() == []
    assert (await stranger.get("/api/summaries")).json() == []


async def test_signed_out_visitors_are_told_to_sign_in(browser: Browser) -> None:
    for path in ("/api/plans", "/api/rules", "/api/sessions", "/api/summaries"):
        assert (await browser.get(path)).status_code == 401
