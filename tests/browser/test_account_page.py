"""The "Your account" page: calm, usable at 360 px and by keyboard alone, and it does what it says."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from server.live.client import Account, ApiError
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_keyboard_and_screens import signed_in_page
from tests.e2e.live_helpers import paired_couple
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another calm sentence for later"


async def tab_to(page: Any, target: Any, presses: int = 80) -> None:
    """Move focus with Tab alone until it reaches `target`."""
    for _ in range(presses):
        if await target.evaluate("el => el === document.activeElement"):
            return
        await page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the element")


async def fits_a_phone(page: Any) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    assert await axe_violations(page) == []


async def test_the_account_page_changes_the_password_by_keyboard_on_a_phone(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    other_device = Account(web_server.url)
    await other_device.sign_in(alex.me["email"], DEFAULT_PASSWORD)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/home")
    await tab_to(page, page.get_by_role("link", name="Your account"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    await screenshot(page, "20-your-account")
    await fits_a_phone(page)

    await tab_to(page, page.get_by_label("Your current password"))
    await page.keyboard.type(DEFAULT_PASSWORD)
    await page.keyboard.press("Tab")
    await page.keyboard.type("password12")  # a common one: refused kindly, next to the field
    await page.keyboard.press("Enter")
    await expect(page.locator("#new-password-error")).to_contain_text("short sentence")
    await expect(page.get_by_label("Your new password")).to_be_focused()
    await page.keyboard.press("Control+A")
    await page.keyboard.type(NEW_PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Your password is changed.")).to_be_visible()
    await fits_a_phone(page)

    with pytest.raises(ApiError) as signed_out:
        await other_device.call("GET", "/api/me")
    assert signed_out.value.status == 401
    await page.reload()
    await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()  # still signed in here
    assert page.errors == []


async def test_downloading_my_data_gives_one_json_file(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/account")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Download my data (JSON)").click()
    download = await waiting.value
    assert download.suggested_filename == "duologue-export.json"
    export = json.loads(await asyncio.to_thread(Path(await download.path()).read_text))
    assert export["format"] == "duologue-export/1" and export["account"]["email"] == alex.me["email"]
    assert page.errors == []


async def test_sign_out_everywhere_by_keyboard(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/account")
    await tab_to(page, page.get_by_role("button", name="Sign out everywhere"))
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await fits_a_phone(page)
    await tab_to(page, dialog.get_by_role("button", name="Sign out everywhere"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{web_server.url}/signin")
    await expect(page.get_by_role("status").filter(has_text="signed out everywhere")).to_be_visible()
    with pytest.raises(ApiError) as signed_out:
        await alex.call("GET", "/api/me")
    assert signed_out.value.status == 401
    assert page.errors == []


async def test_deleting_the_account_asks_for_the_password_then_says_goodbye(new_person: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/account")
    await tab_to(page, page.get_by_role("button", name="Delete my account…"))
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Delete your account for good?")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Your password, to confirm")).to_be_focused()
    await screenshot(page, "21-delete-account")
    await fits_a_phone(page)

    await page.keyboard.type("not my password at all")
    await page.keyboard.press("Enter")
    await expect(dialog.get_by_role("alert")).to_contain_text("not your current password")
    await dialog.get_by_label("Your password, to confirm").fill(DEFAULT_PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    await expect(page).to_have_url(f"{web_server.url}/")
    await fits_a_phone(page)

    with pytest.raises(ApiError) as gone:
        await Account(web_server.url).sign_in(alex.me["email"], DEFAULT_PASSWORD)
    assert gone.value.status == 401
    with pytest.raises(ApiError) as no_couple:
        await sam.call("GET", "/api/couple")
    assert no_couple.value.status == 404
    assert page.errors == []


async def test_the_app_runs_under_its_content_security_policy(chromium: Any, web_server: Any) -> None:
    """No bypass here: every page a person visits works with no inline script and reports no violation."""
    context = await chromium.new_context(base_url=web_server.url, viewport={"width": 360, "height": 740})
    page = await context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    await page.goto("/signup")
    await page.get_by_label("Email").fill(f"csp-{id(page)}@example.org")
    await page.get_by_label("What should we call you?").fill("Robin")
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    await page.get_by_role("link", name="Your account").click()
    await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    await page.goto("/history")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations == []
    await context.close()


async def test_an_open_session_page_says_so_when_its_sign_in_ends(new_person: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    session = await alex.start_session("daily")
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto(f"/session/{session['id']}")
    status = page.get_by_role("status").first
    await expect(status).to_have_text("Connected")
    await alex.call("DELETE", "/api/session")  # the same sign-in, signed out from elsewhere
    await expect(page.get_by_text("You signed out on this device.").first).to_be_visible(timeout=10_000)
    assert page.errors == []
