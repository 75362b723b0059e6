"""Between sessions on a phone (360 x 740): the hub, the calming kit with the solo breathing, grounding, the
couple's rhythm on home and in a calendar file, and the kit one tap away while taking space in a live session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.async_api import expect

from server.live.client import Account
from tests.browser.conftest import keep_for_readme
from tests.browser.test_account_page import fits_a_phone, tab_to
from tests.browser.test_phone_live_view import in_view
from tests.e2e.live_helpers import paired_couple

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
async def phone(chromium: Any, web_server: Any) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """A person on their phone in Paris, already signed in as `account`."""

    async def make(account: Account) -> Any:
        context = await chromium.new_context(  # bypass_csp: axe-core is injected as an inline script
            base_url=web_server.url,
            viewport=PHONE,
            reduced_motion="reduce",
            bypass_csp=True,
            timezone_id="Europe/Paris",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        cookie = account.http.cookies.get("duologue_session")
        await context.add_cookies([{"name": "duologue_session", "value": cookie, "url": web_server.url}])
        page = await context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make


async def test_the_kit_by_keyboard_with_the_solo_breathing_on_a_phone(phone: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    page = await phone(alex)
    await page.goto("/home")
    nav_link = page.get_by_role("link", name="Between sessions")
    assert await in_view(page, nav_link)  # the nav still fits a phone with the new link
    await tab_to(page, nav_link)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Between sessions", level=1)).to_be_visible()
    for name in ("Your calming kit", "Breathe slowly", "Grounding", "Journal", "Noticing", "Your rhythm"):
        await expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    await fits_a_phone(page)

    await tab_to(page, page.get_by_role("link", name="Your calming kit"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Your calming kit", level=1)).to_be_visible()
    await expect(page.get_by_text("Nothing here yet")).to_be_visible()
    # One tap (here: one Enter) adds a suggestion; own words go in the field.
    await tab_to(page, page.get_by_role("button", name="Add: A walk outside"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("kit-list")).to_contain_text("A walk outside")
    await expect(page.get_by_role("button", name="Add: A walk outside")).to_have_count(0)
    await tab_to(page, page.get_by_label("In your own words"))
    await page.keyboard.type("Holding something warm")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("kit-list").locator("li")).to_have_count(2)
    await expect(page.get_by_test_id("kit-count")).to_have_text("2 of 12")
    # Reorder: "Holding something warm" goes up to first place.
    await tab_to(page, page.get_by_role("button", name="Move up: Holding something warm"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("kit-list").locator("li").first).to_contain_text("Holding something warm")
    await tab_to(page, page.get_by_role("button", name="Add: Music that settles me"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Add to your kit")).to_be_focused()  # not the page's body
    await tab_to(page, page.get_by_role("button", name="Remove: Music that settles me"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("kit-list").locator("li")).to_have_count(2)
    await expect(page.get_by_role("heading", name="What helps me")).to_be_focused()
    # A removal that does not go through says so, and the list stays as it was.
    busy = '{"error": {"code": "busy", "message": "Duologue is busy, try again in a moment."}}'
    await page.route(
        "**/api/kit/*", lambda route: route.fulfill(status=503, content_type="application/json", body=busy)
    )
    await page.get_by_role("button", name="Remove: A walk outside").click()
    alert = page.get_by_role("alert").filter(has_text="That didn't go through")
    await expect(alert).to_contain_text("Duologue is busy")
    await expect(page.get_by_test_id("kit-list").locator("li")).to_have_count(2)
    await page.unroute("**/api/kit/*")
    await fits_a_phone(page)

    start = page.get_by_test_id("start-breathing")
    await expect(start).to_contain_text("Breathe slowly (about 2 minutes)")
    await tab_to(page, start)
    await page.keyboard.press("Enter")
    guide = page.get_by_test_id("breathing-guide")
    await expect(guide).to_contain_text("Breathe in", timeout=8_000)
    assert await in_view(page, page.get_by_test_id("solo-breathing"))  # the practice is brought into view whole
    await fits_a_phone(page)
    await keep_for_readme(page, "kit", full_page=False)
    await page.get_by_role("button", name="Stop here").click()
    await expect(start).to_be_visible()
    assert page.errors == []


async def test_grounding_walks_its_steps_and_a_hurried_clock_is_not_noted(phone: Any, web_server: Any) -> None:
    alex, _sam = await paired_couple(web_server.url)
    page = await phone(alex)
    await page.clock.install()
    await page.goto("/grounding")
    await expect(page.get_by_role("heading", name="Grounding", level=1)).to_be_visible()
    await tab_to(page, page.get_by_role("button", name="Begin"))
    await page.keyboard.press("Enter")
    step = page.get_by_test_id("grounding-step")
    await expect(step).to_have_text("5 things you can see · step 1 of 5")
    assert await in_view(page, step)
    await fits_a_phone(page)
    expected = ["4 things you can hear", "3 things you can touch", "2 things you can smell", "1 thing you can taste"]
    for seen in expected:
        await page.clock.run_for(46_000)  # the page's clock only: the server's is the real one
        await expect(step).to_contain_text(seen)
    await page.clock.run_for(31_000)
    done = page.get_by_test_id("solo-done")
    # A phone whose clock raced ahead finished early: the server does not note it, and says so kindly.
    await expect(done).to_contain_text("The timing didn't quite add up")
    await expect(done).to_contain_text("so it wasn't noted this time. Nothing is wrong")
    await expect(done).not_to_contain_text("Well done")
    assert await alex.call("GET", "/api/solo/log") == []
    await fits_a_phone(page)
    assert page.errors == []


async def test_setting_the_ritual_shows_it_on_home_and_in_a_calendar_file(phone: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    page = await phone(alex)
    await page.goto("/home")
    await expect(page.get_by_test_id("home-rhythm")).to_contain_text("A regular time makes practice easier")
    await page.get_by_role("link", name="Set your rhythm").click()
    await expect(page.get_by_role("heading", name="Your rhythm", level=1)).to_be_visible()
    await expect(page.get_by_label("Your time zone")).to_have_value("Europe/Paris")  # the phone's own zone
    await fits_a_phone(page)
    await page.get_by_label("Which practice").select_option("daily")
    for day in ("Saturday", "Sunday"):
        await page.get_by_label(day).uncheck()
    await page.get_by_label("What time").fill("20:30")
    await tab_to(page, page.get_by_role("button", name="Add this ritual"))
    await page.keyboard.press("Enter")
    current = page.get_by_test_id("ritual-current")
    await expect(current).to_contain_text("Daily, Mondays, Tuesdays, Wednesdays, Thursdays and Fridays at 20:30")
    await expect(current).to_contain_text("You set this. Your partner sees it too.")
    await expect(page.get_by_test_id("ritual-next")).to_contain_text("Next: Daily, ")
    await fits_a_phone(page)
    await keep_for_readme(page, "ritual", full_page=False)

    # Sam sees the same ritual, and who set it.
    (ours,) = (await sam.call("GET", "/api/rituals"))["rituals"]
    assert ours["set_by_name"] == "Alex" and ours["time"] == "20:30"
    next_at = datetime.fromisoformat(ours["next_at"]).astimezone(ZoneInfo("Europe/Paris"))
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    when = "today" if next_at.date() == today else "tomorrow" if next_at.date() == today + timedelta(days=1) else None
    if when:
        await expect(page.get_by_test_id("ritual-next")).to_have_text(f"Next: Daily, {when} at 20:30")

    async with page.expect_download() as waiting:
        await page.get_by_test_id("ritual-ics").click()
    download = await waiting.value
    assert download.suggested_filename == "duologue-daily.ics"
    raw = await asyncio.to_thread(Path(await download.path()).read_bytes)
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert event["DTSTART"].dt.strftime("%H:%M") == "20:30" and event["DTSTART"].params["TZID"] == "Europe/Paris"

    await page.goto("/home")
    await expect(page.get_by_test_id("home-next")).to_contain_text("Next: Daily, ")
    assert await in_view(page, page.get_by_test_id("home-next"))
    await fits_a_phone(page)

    # A second ritual beside the first: the weekly meeting on Sundays at 18:00.
    await page.goto("/rhythm")
    await expect(page.get_by_role("heading", name="Add another")).to_be_visible()
    await page.get_by_label("Which practice").select_option("weekly_meeting")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"):
        await page.get_by_label(day).uncheck()
    await page.get_by_label("What time").fill("18:00")
    await page.get_by_role("button", name="Add this ritual").click()
    await expect(page.get_by_test_id("ritual-current")).to_have_count(2)
    await expect(page.get_by_test_id("ritual-list")).to_contain_text("Weekly meeting, Sundays at 18:00")
    await expect(page.get_by_role("heading", name="Your rituals")).to_be_focused()
    await fits_a_phone(page)
    await page.goto("/home")
    await expect(page.get_by_test_id("home-next")).to_contain_text("(and 1 other ritual)")
    # Change one, then remove it: the other stays.
    await page.goto("/rhythm")
    await page.get_by_role("button", name="Change Weekly meeting").click()
    await expect(page.get_by_role("heading", name="Change Weekly meeting")).to_be_focused()
    await page.get_by_label("What time").fill("18:30")
    await page.get_by_role("button", name="Save the change").click()
    await expect(page.get_by_test_id("ritual-list")).to_contain_text("Weekly meeting, Sundays at 18:30")
    await page.get_by_role("button", name="Remove Weekly meeting").click()
    await expect(page.get_by_test_id("ritual-current")).to_have_count(1)
    await expect(page.get_by_role("heading", name="Your ritual")).to_be_focused()
    assert [r["plan_id"] for r in (await sam.call("GET", "/api/rituals"))["rituals"]] == ["daily"]

    # The calendar's link starts that plan: home opens with it chosen.
    assert str(event["URL"]).endswith("/home?plan=daily")
    await page.goto("/home?plan=weekly_meeting")
    await expect(page.get_by_role("radio", name="Weekly meeting")).to_be_checked()
    await page.goto("/home?plan=nonsense")
    await expect(page.locator('input[name="plan"]').first).to_be_checked()
    assert page.errors == []


async def test_while_taking_space_the_kit_and_breathing_open_in_the_page_and_the_session_carries_on(
    phone: Any, web_server: Any
) -> None:
    alex_account, sam_account = await paired_couple(web_server.url)
    await sam_account.call("POST", "/api/kit", {"text": "Cold water on my wrists"})
    session = await alex_account.start_session("daily", first_speaker="me")
    alex, sam = await phone(alex_account), await phone(sam_account)
    sockets: list[Any] = []
    sam.on("websocket", lambda socket: sockets.append(socket))
    for page in (alex, sam):
        await page.goto(f"/session/{session['id']}")
        await page.get_by_role("button", name="Now is a good time").click()
    for page in (alex, sam):
        await expect(page.get_by_test_id("prompt")).to_be_visible()

    await sam.get_by_role("button", name="I need space").click()
    await sam.get_by_role("button", name="Pause and take space").click()
    await expect(sam.get_by_test_id("pause-area")).to_contain_text("You're taking some space")
    await expect(alex.get_by_test_id("pause-area")).to_contain_text("Sam asked for some space")
    open_kit = sam.get_by_role("button", name="While you take space: your calming kit")
    assert await in_view(sam, open_kit)
    await tab_to(sam, open_kit)
    await sam.keyboard.press("Enter")
    panel = sam.get_by_test_id("space-kit")
    await expect(sam.get_by_role("heading", name="While you take space", level=2)).to_be_focused()
    await expect(panel).to_contain_text("Cold water on my wrists")
    await expect(sam.get_by_test_id("space-kit-button")).to_have_attribute("aria-expanded", "true")
    await expect(sam.get_by_test_id("space-kit-button")).to_have_text("Close your calming kit")
    await panel.get_by_test_id("start-breathing").click()
    await expect(panel.get_by_test_id("breathing-guide")).to_contain_text("Breathe in", timeout=8_000)
    assert await in_view(sam, panel.get_by_test_id("breathing-guide"))
    await fits_a_phone(sam)

    # The whole breathing runs (its real length: the server notes it only then), the session socket open throughout.
    guide = (await sam_account.call("GET", "/api/solo/practices"))[0]
    await expect(panel.get_by_test_id("solo-done")).to_contain_text(
        "That's done — it's in your own log; only you see it.", timeout=(guide["duration_seconds"] + 20) * 1000
    )
    assert [p["kind"] for p in await sam_account.call("GET", "/api/solo/log")] == ["breathing"]
    await expect(sam.get_by_test_id("connection")).to_have_attribute("data-state", "open")
    assert len(sockets) == 1 and not sockets[0].is_closed()

    # Alex, who waits, has the kit one tap away too, in words for waiting.
    alex_kit = alex.get_by_role("button", name="While you wait: your calming kit")
    assert await in_view(alex, alex_kit)
    await tab_to(alex, alex_kit)
    await alex.keyboard.press("Enter")
    alex_panel = alex.get_by_test_id("space-kit")
    await expect(alex.get_by_role("heading", name="While you wait", level=2)).to_be_focused()
    await expect(alex_panel.get_by_test_id("start-breathing")).to_be_visible()
    await expect(alex_panel).not_to_contain_text("Cold water on my wrists")  # Sam's kit stays Sam's
    await fits_a_phone(alex)

    await sam.get_by_role("button", name="I'm back").click()
    for page in (alex, sam):
        await expect(page.get_by_test_id("pause-area")).not_to_contain_text("space")
        await expect(page.get_by_test_id("turn")).not_to_contain_text("Paused")
    await expect(panel).to_be_hidden()
    await expect(alex_panel).to_be_hidden()  # no pause any more: the panel closes for both
    await expect(sam.get_by_role("button", name="I need space")).to_be_visible()

    # In a "one moment" pause, the kit is there for the one who asked and for the one who waits.
    await alex.get_by_role("button", name="One moment").click()
    await expect(alex.get_by_role("button", name="While you take space: your calming kit")).to_be_visible()
    await expect(sam.get_by_role("button", name="While you wait: your calming kit")).to_be_visible()
    await sam.get_by_role("button", name="While you wait: your calming kit").click()
    await expect(sam.get_by_role("heading", name="While you wait", level=2)).to_be_focused()
    await alex.get_by_role("button", name="I'm back").click()
    await expect(sam.get_by_test_id("space-kit")).to_be_hidden()
    await expect(sam.get_by_test_id("space-kit-button")).to_be_hidden()
    assert alex.errors == [] and sam.errors == []
