"""A step done with the keyboard alone, and the screens not covered by the couple's journey."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from server.live.client import Account
from tests.browser.conftest import axe_violations, screenshot
from tests.e2e.live_helpers import paired_couple

pytestmark = pytest.mark.browser


async def signed_in_page(new_person: Any, account: Account, **size: int) -> Any:
    """A browser already signed in as `account` (its session cookie carried over)."""
    page = await new_person(**size)
    cookie = account.http.cookies.get("duologue_session")
    await page.context.add_cookies([{"name": "duologue_session", "value": cookie, "url": account.base_url}])
    return page


async def test_a_step_can_be_completed_with_the_keyboard_alone(new_person: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    session = await alex.start_session("daily", first_speaker="me")
    page = await signed_in_page(new_person, alex)
    await page.goto(f"/session/{session['id']}")
    await expect(page.get_by_role("heading", name="Is now a good time for you both?")).to_be_visible()
    partner = await sam.join(session["id"])
    await partner.intent("ready")

    # Tab to "Now is a good time" and press Enter; then rate with the arrow keys and send with Enter.
    ready = page.get_by_role("button", name="Now is a good time")
    for _ in range(30):
        if await ready.evaluate("el => el === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    slider = page.get_by_role("slider")
    await expect(slider).to_be_visible()
    for _ in range(30):
        if await slider.evaluate("el => el === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await expect(slider).to_have_value("6")
    await page.keyboard.press("Tab")  # to Send
    await page.keyboard.press("Enter")
    received = await partner.wait_event("answer_received", participant=alex.id)
    assert received["data"]["step_no"] == 1
    await partner.intent("submit", step_no=1, value=3)
    revealed = await partner.wait_event("answers_revealed", step_no=1)
    assert revealed["data"]["answers"][alex.id] == 6
    await expect(page.get_by_test_id("transcript")).to_contain_text("6 of 7")
    assert page.errors == []


async def test_sign_in_screen_is_accessible_and_shows_a_wrong_password_kindly(new_person: Any, web_server: Any) -> None:
    alex, _ = await paired_couple(web_server.url)
    page = await new_person(width=360, height=740)
    await page.goto("/signin")
    await page.get_by_label("Email").fill(alex.me["email"])
    await page.get_by_label("Password").fill("not my passphrase at all")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("do not match")
    await screenshot(page, "15-sign-in-error")
    assert await axe_violations(page) == []
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360


async def test_live_session_screens_are_accessible(new_person: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    session = await alex.start_session("deeper", first_speaker="me")
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto(f"/session/{session['id']}")
    await expect(page.get_by_role("heading", name="Is now a good time for you both?")).to_be_visible()
    assert await axe_violations(page) == []
    partner = await sam.join(session["id"])
    await partner.intent("ready")
    await page.get_by_role("button", name="Now is a good time").click()
    await expect(page.get_by_role("slider")).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="I need space").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="Pause and take space").click()
    await expect(page.get_by_test_id("pause-area")).to_contain_text("You're taking some space")
    assert await axe_violations(page) == []
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.errors == []


async def test_the_page_reconnects_by_itself_after_the_server_restarts(new_person: Any, web_server: Any) -> None:
    alex, _ = await paired_couple(web_server.url)
    session = await alex.start_session("daily")
    page = await signed_in_page(new_person, alex)
    await page.goto(f"/session/{session['id']}")
    status = page.get_by_role("status").first
    await expect(status).to_have_text("Connected")
    web_server.kill()
    await expect(status).to_have_text("Reconnecting…")
    web_server.start()
    await expect(status).to_have_text("Connected", timeout=20_000)
    await expect(page.get_by_role("button", name="Now is a good time")).to_be_visible()
    assert page.errors == []


async def test_a_partner_opening_the_facilitator_page_lands_on_their_own(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    session = await alex.start_session("daily", first_speaker="me")
    page = await signed_in_page(new_person, alex)
    await page.goto(f"/facilitator/session/{session['id']}")
    await expect(page).to_have_url(f"{web_server.url}/session/{session['id']}")
    await expect(page.get_by_role("heading", name="Is now a good time for you both?")).to_be_visible()
    assert page.errors == []
