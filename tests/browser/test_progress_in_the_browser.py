"""Progress over weeks in a real browser: the demo history on a phone and a desktop, the weekly self-check,
sharing with the partner (and taking it back), and the facilitator's view with its CSV."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from server.live.client import Account
from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot
from tests.browser.test_keyboard_and_screens import signed_in_page
from tests.e2e.conftest import DUOLOGUE
from tests.e2e.live_helpers import paired_couple

pytestmark = pytest.mark.browser

MEASURES = 14  # worry … calm_change: the measure keys of the contract, one card each


async def demo(web_server: Any) -> str:
    """`duologue demo` against the running server's database; returns the printed password."""
    done = await asyncio.to_thread(
        subprocess.run, [DUOLOGUE, "demo"], env=web_server.env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"Password for all three: (\S+)", done.stdout)
    assert found, done.stdout
    return found.group(1)


async def demo_person(web_server: Any, who: str, password: str) -> Account:
    account = Account(web_server.url)
    await account.sign_in(f"{who}@demo.duologue.test", password)
    return account


async def no_sideways_scroll(page: Any, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


async def test_the_progress_page_shows_the_demo_history_on_a_phone_and_a_desktop(
    new_person: Any, web_server: Any
) -> None:
    password = await demo(web_server)
    sam = await demo_person(web_server, "sam", password)
    page = await signed_in_page(new_person, sam, width=360, height=740)
    await page.goto("/home")
    await page.get_by_role("link", name="Progress", exact=True).click()
    await expect(page.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    body = page.get_by_test_id("progress-body")
    cards = body.locator("article.measure[data-measure]")
    await expect(cards).to_have_count(MEASURES)
    worry = body.locator('[data-measure="worry"]')
    await expect(worry.get_by_role("heading", name="Worry about closeness")).to_be_visible()
    await expect(worry.locator(".measure-summary")).to_contain_text("worry about closeness")
    chart = worry.get_by_role("img")
    assert "Worry about closeness" in (await chart.get_attribute("aria-label"))
    await expect(page.get_by_text("A dip is part of the path")).to_be_visible()
    await no_sideways_scroll(page, 360)
    box = await chart.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360  # the chart is in view, not cut off

    # The numbers behind a chart, by keyboard: a table with one row per week; a week with nothing is said so.
    toggle = worry.get_by_text("Show the numbers")
    await toggle.focus()
    await page.keyboard.press("Enter")
    rows = worry.locator("table tbody tr")
    await expect(rows).to_have_count(12)
    await expect(rows.last).to_contain_text("nothing recorded")  # Sam's self-check is due: a gap, not a zero
    assert await axe_violations(page) == []
    await screenshot(page, "30-progress-phone")

    # Four weeks: every chart is redrawn for the shorter range.
    await page.get_by_role("radio", name="4 weeks").check()
    await expect(body.locator('[data-measure="worry"] table tbody tr')).to_have_count(4)
    await page.get_by_role("radio", name="52 weeks").check()
    await expect(body.locator('[data-measure="worry"] table tbody tr')).to_have_count(52)
    await no_sideways_scroll(page, 360)
    a_year = ARTIFACTS / "30-progress-phone-52-weeks.png"
    await body.locator('[data-measure="self_disclosure"]').screenshot(path=str(a_year))
    await page.get_by_role("radio", name="12 weeks").check()
    await expect(body.locator('[data-measure="worry"] table tbody tr')).to_have_count(12)

    # Alex has not shared: Sam sees only the sessions they shared, never Alex's self-check.
    partner = page.get_by_test_id("partner-progress")
    await expect(partner.get_by_role("heading", name="Alex's progress")).to_be_visible()
    await expect(partner.locator('[data-measure="sessions_attended"]')).to_have_count(1)
    await expect(partner.locator('[data-measure="worry"]')).to_have_count(0)

    wide = await signed_in_page(new_person, sam, width=1280, height=1280)
    await wide.goto("/progress")
    await expect(wide.get_by_test_id("progress-body").locator("article.measure[data-measure]")).to_have_count(MEASURES)
    await no_sideways_scroll(wide, 1280)
    assert await axe_violations(wide) == []
    await wide.evaluate("document.activeElement.blur()")  # the picture without a focus ring on the heading
    await screenshot(wide, "32-progress-desktop", full_page=False)  # README's docs/screenshots/progress.png
    assert page.errors == [] and wide.errors == []


async def test_the_self_check_card_leads_to_the_form_and_goes_once_it_is_done(new_person: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, width=360, height=740)
    await page.goto("/home")
    card = page.get_by_test_id("self-check-card")
    await expect(card).to_be_visible()
    await card.get_by_role("link", name="Take the self-check").click()
    await expect(page.get_by_role("heading", name="Your weekly self-check", level=1)).to_be_visible()
    await expect(page.get_by_text("not a clinical score")).to_have_count(1)  # said once, kindly
    groups = page.get_by_role("group").filter(has=page.locator("input[type=radio]"))
    count = await groups.count()
    assert count >= 12

    # Sending too soon is answered kindly, with the keyboard on the first statement still open.
    await page.get_by_role("button", name="Save my self-check").click()
    await expect(page.get_by_test_id("self-check-error")).to_contain_text("still need a number")
    first = groups.nth(0).locator("input[type=radio]").first
    await expect(first).to_be_focused()
    # A radio group by keyboard: the arrow keys move the choice along the scale.
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await expect(groups.nth(0).locator("input[value='3']")).to_be_checked()
    for i in range(1, count):
        await groups.nth(i).get_by_label(str(2 + i % 5), exact=True).check()
    await no_sideways_scroll(page, 360)
    assert await axe_violations(page) == []
    await screenshot(page, "31-self-check-phone")
    await page.get_by_role("button", name="Save my self-check").click()
    await expect(page.get_by_role("heading", name="Thank you", level=1)).to_be_visible()
    await page.get_by_role("link", name="See your progress").click()
    await expect(page.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    await expect(page.get_by_test_id("self-check-due")).to_have_count(0)
    await page.get_by_role("link", name="Home", exact=True).click()
    await expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    await expect(page.get_by_test_id("self-check-card")).to_have_count(0)

    # Sam would rather not this week: the card goes, and stays gone.
    other = await signed_in_page(new_person, sam, width=360, height=740)
    await other.goto("/home")
    await other.get_by_test_id("self-check-card").get_by_role("button", name="Not this week").click()
    await expect(other.get_by_text("We'll ask again next week")).to_be_visible()
    await other.reload()
    await expect(other.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    await expect(other.get_by_test_id("self-check-card")).to_have_count(0)
    assert page.errors == [] and other.errors == []


async def test_sharing_with_the_partner_shows_the_measures_and_taking_it_back_hides_them(
    new_person: Any, web_server: Any
) -> None:
    password = await demo(web_server)
    sam = await demo_person(web_server, "sam", password)
    alex = await demo_person(web_server, "alex", password)
    sams = await signed_in_page(new_person, sam)
    alexs = await signed_in_page(new_person, alex)
    await alexs.goto("/progress")
    partner = alexs.get_by_test_id("partner-progress")
    await expect(partner.get_by_role("heading", name="Sam's progress")).to_be_visible()
    await expect(partner.locator('[data-measure="worry"]')).to_have_count(0)

    await sams.goto("/progress")
    switch = sams.get_by_role("switch", name="Show my progress to Alex")
    await expect(switch).not_to_be_checked()
    await switch.focus()
    await sams.keyboard.press("Space")
    await expect(sams.get_by_test_id("sharing-status")).to_contain_text("Alex can now see your progress")

    await alexs.reload()
    await expect(partner.locator('[data-measure="worry"]')).to_have_count(1)
    await expect(partner.get_by_text("Sam chose to share this with you")).to_be_visible()

    await switch.focus()
    await sams.keyboard.press("Space")
    await expect(sams.get_by_test_id("sharing-status")).to_contain_text("Alex no longer sees your progress")
    await alexs.reload()
    await expect(partner.get_by_role("heading", name="Sam's progress")).to_be_visible()
    await expect(partner.locator('[data-measure="worry"]')).to_have_count(0)
    assert sams.errors == [] and alexs.errors == []


async def test_the_facilitator_sees_a_consenting_partners_trends_and_downloads_them(
    new_person: Any, web_server: Any
) -> None:
    password = await demo(web_server)
    lee = await demo_person(web_server, "lee", password)
    page = await signed_in_page(new_person, lee, width=1280, height=900)
    await page.goto("/facilitator")
    progress = page.get_by_test_id("couple-progress")
    await progress.get_by_text("Progress", exact=True).click()
    sam = progress.locator("section.partner-progress", has=page.get_by_role("heading", name="Sam", exact=True))
    alex = progress.locator("section.partner-progress", has=page.get_by_role("heading", name="Alex", exact=True))
    await expect(sam.locator('[data-measure="worry"]')).to_have_count(1)
    await expect(alex.get_by_text("hasn't shared their progress with you")).to_be_visible()
    await expect(alex.locator("[data-measure]")).to_have_count(0)
    assert await axe_violations(page) == []
    await progress.screenshot(path=str(ARTIFACTS / "33-facilitator-progress.png"))

    async with page.expect_download() as waiting:
        await progress.get_by_role("link", name="Download as CSV").click()
    download = await waiting.value
    assert download.suggested_filename.endswith(".csv")
    text = await asyncio.to_thread(Path(await download.path()).read_text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and set(rows[0]) == {"partner", "week", "week_start", "measure", "value"}
    assert any(r["partner"] == "Sam" and r["measure"] == "worry" for r in rows)
    assert not any(r["partner"] == "Alex" and r["measure"] == "worry" for r in rows)  # not consented

    # A questionnaire score Lee gave Sam elsewhere becomes its own series on the chart (the demo has ECR-R).
    await expect(sam.locator('[data-instrument="ECR-R"]')).to_have_count(1)
    await sam.get_by_text("Record a questionnaire score for Sam").click()
    await sam.get_by_label("Questionnaire").fill("CSI-16")
    await sam.get_by_label("Subscale").fill("Satisfaction")
    await sam.get_by_label("Score", exact=True).fill("52")
    await sam.get_by_label("Lowest possible").fill("0")
    await sam.get_by_label("Highest possible").fill("81")
    await sam.get_by_role("button", name="Record this score").click()
    card = sam.locator('[data-instrument="CSI-16"]')
    await expect(card).to_have_count(1)
    await expect(card.get_by_role("img")).to_be_visible()
    await expect(card).to_contain_text("was 52 (on a scale of 0 to 81)")

    # Recorded by mistake: Lee removes it, and the series goes.
    await sam.get_by_role("button", name=re.compile(r"^Remove CSI-16, Satisfaction: 52")).click()
    await expect(sam.locator('[data-instrument="CSI-16"]')).to_have_count(0)
    await expect(sam.locator('[data-instrument="ECR-R"]')).to_have_count(1)

    # Sam stops sharing with Lee: the open panel loses Sam's charts within a poll, without reopening it.
    sam_account = await demo_person(web_server, "sam", password)
    lee_id = (await lee.call("GET", "/api/me"))["id"]
    await sam_account.call("PUT", f"/api/progress/sharing/facilitators/{lee_id}", {"shared": False}, expect=200)
    await expect(sam.locator('[data-measure="worry"]')).to_have_count(0, timeout=20_000)
    await expect(sam.get_by_text("hasn't shared their progress with you")).to_be_visible()
    await sam_account.call("PUT", f"/api/progress/sharing/facilitators/{lee_id}", {"shared": True}, expect=200)
    await expect(sam.locator('[data-measure="worry"]')).to_have_count(1, timeout=20_000)
    # closed and opened again: fetched afresh
    await progress.get_by_text("Progress", exact=True).click()
    await sam_account.call("PUT", f"/api/progress/sharing/facilitators/{lee_id}", {"shared": False}, expect=200)
    await progress.get_by_text("Progress", exact=True).click()
    await expect(sam.get_by_text("hasn't shared their progress with you")).to_be_visible()
    # and the panel follows a choice of weeks
    await progress.get_by_role("radio", name="4 weeks", exact=True).click()
    await expect(progress.get_by_text("The last 4 weeks.")).to_be_visible()
    await sam_account.call("PUT", f"/api/progress/sharing/facilitators/{lee_id}", {"shared": True}, expect=200)

    # On a phone too: the panel opens by keyboard and nothing runs off the side.
    phone = await signed_in_page(new_person, lee, width=360, height=740)
    await phone.goto("/facilitator")
    summary = phone.get_by_test_id("couple-progress").get_by_text("Progress", exact=True)
    await summary.focus()
    await phone.keyboard.press("Enter")
    await expect(phone.get_by_test_id("couple-progress").locator('[data-measure="worry"]')).to_have_count(1)
    await no_sideways_scroll(phone, 360)
    assert await axe_violations(phone) == []
    assert page.errors == [] and phone.errors == []


async def test_the_self_check_card_is_for_anyone_signed_in_and_says_so_when_skipping_fails(
    new_person: Any, web_server: Any
) -> None:
    solo = Account(web_server.url)
    await solo.sign_up(f"solo-{id(solo)}@example.org", "Robin", "a long enough passphrase 42")
    page = await signed_in_page(new_person, solo, width=360, height=740)
    await page.goto("/home")
    card = page.get_by_test_id("self-check-card")
    await expect(card).to_be_visible()  # not paired, and still offered

    async def refuse(route: Any) -> None:
        await route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "busy", "message": "The server is busy."}}',
        )

    await page.route("**/api/progress/self-check/skip*", refuse)
    await card.get_by_role("button", name="Not this week").click()
    await expect(card.get_by_role("alert")).to_contain_text("The server is busy.")
    await expect(card).to_be_visible()  # it did not pretend to be skipped
    await page.unroute("**/api/progress/self-check/skip*")
    await card.get_by_role("button", name="Not this week").click()
    await expect(page.get_by_text("We'll ask again next week")).to_be_visible()
    assert await axe_violations(page) == []
