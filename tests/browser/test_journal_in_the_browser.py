"""The private journal and noticing on a phone (360 by 740): by keyboard, in view, no sideways scroll, axe clean."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect
from sqlalchemy import create_engine
from sqlmodel import Session, select

from server.models import Noticing
from tests.browser.conftest import keep_for_readme
from tests.browser.test_account_page import fits_a_phone, tab_to
from tests.browser.test_keyboard_and_screens import signed_in_page
from tests.browser.test_phone_live_view import expect_in_view
from tests.e2e.test_live_facilitator import linked_trio

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


async def test_writing_searching_editing_sharing_and_deleting_in_the_journal(new_person: Any, web_server: Any) -> None:
    fran, alex, _sam, couple_id = await linked_trio(web_server.url)
    await alex.call(
        "POST", "/api/journal", {"text": "A walk after work helped. I came back to talk.", "feelings": ["calm"]}
    )
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/journal")
    await expect(page.get_by_role("heading", name="Your journal", level=1)).to_be_visible()
    await fits_a_phone(page)

    # Write, by keyboard: a prompt chosen with the arrow keys, the words, one feeling chip, save.
    await tab_to(page, page.get_by_role("radio", name="No prompt, just write"))
    await page.keyboard.press("ArrowDown")
    chosen = page.locator('input[name="prompt_id"]:checked')
    prompt_text = (await chosen.evaluate("el => el.parentElement.textContent")).strip()
    await tab_to(page, page.get_by_label("Your words", exact=True))
    await page.keyboard.type("My shoulders went tight when we talked about the holidays.")
    await tab_to(page, page.get_by_role("checkbox", name="tense"))
    await page.keyboard.press("Space")
    await tab_to(page, page.get_by_role("button", name="Save entry"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Saved in your journal. Only you can read it.")).to_be_visible()
    entries = page.get_by_test_id("journal-entry")
    await expect(entries).to_have_count(2)
    newest = entries.first
    await expect(newest).to_contain_text("My shoulders went tight")
    await expect(newest).to_contain_text(prompt_text)
    await expect(newest).to_contain_text("Feelings: tense")
    await fits_a_phone(page)
    await keep_for_readme(page, "journal")

    # Search by words, then by feeling.
    await tab_to(page, page.get_by_label("Search your words"))
    await page.keyboard.type("walk")
    await page.keyboard.press("Enter")
    await expect(entries).to_have_count(1)
    await expect(entries.first).to_contain_text("A walk after work")
    await expect(page.get_by_test_id("journal-list-status")).to_have_text("1 entry found.")
    await page.get_by_label("Search your words").fill("")
    await page.get_by_label("Feeling", exact=True).select_option("tense")
    await expect(entries).to_have_count(1)
    await expect(entries.first).to_contain_text("My shoulders")

    # Edit by keyboard.
    edit = entries.first.get_by_role("button", name="Edit")
    await edit.focus()
    await page.keyboard.press("Enter")
    words = page.locator("textarea").nth(1)
    await expect(words).to_be_focused()
    await page.keyboard.press("Control+A")
    await page.keyboard.type("Tight shoulders, and I said so.")
    await tab_to(page, page.get_by_role("button", name="Save changes"))
    await page.keyboard.press("Enter")
    await expect(entries.first).to_contain_text("Tight shoulders, and I said so.")
    await expect(entries.first).to_contain_text("Edited")

    # Share this one entry with Fran: the dialog says what Fran will see.
    await entries.first.get_by_role("button", name="Share with a facilitator").click()
    dialog = page.get_by_role("dialog", name="Share this one entry?")
    await expect(dialog).to_contain_text("If you edit it, they see the new words")
    await dialog.get_by_role("button", name="Share it").click()
    await expect(entries.first.get_by_test_id("shared-note")).to_contain_text("Shared with Fran")
    shared = await fran.call("GET", f"/api/facilitator/couples/{couple_id}/journal")
    assert [s["entry"]["text"] for s in shared] == ["Tight shoulders, and I said so."]
    await fits_a_phone(page)

    # Delete with confirmation, by keyboard: "Keep it" has focus first; the facilitator loses it at once.
    await entries.first.get_by_role("button", name="Delete").focus()
    await page.keyboard.press("Enter")
    confirm = page.get_by_role("dialog", name="Delete this entry?")
    await expect(confirm.get_by_role("button", name="Keep it")).to_be_focused()
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("No entries match.")).to_be_visible()
    assert await fran.call("GET", f"/api/facilitator/couples/{couple_id}/journal") == []
    await page.get_by_label("Feeling", exact=True).select_option("")
    await expect(entries).to_have_count(1)
    await fits_a_phone(page)
    assert page.errors == []


async def test_the_facilitator_sees_the_shared_entry_in_the_couple_view(new_person: Any, web_server: Any) -> None:
    fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    entry = await alex.call("POST", "/api/journal", {"text": "What I'd say if it felt safe: I miss you."})
    await alex.call("POST", "/api/journal", {"text": "Not shared, ever."})
    link = (await alex.call("GET", "/api/facilitators"))[0]
    await alex.call("PUT", f"/api/journal/{entry['id']}/share", {"link_id": link["id"]})
    page = await signed_in_page(new_person, fran, **PHONE)
    await page.goto("/facilitator")
    shared = page.get_by_test_id("shared-journal")
    await expect(shared).to_contain_text("I miss you.")
    await expect(shared).to_contain_text("if they edit it, you see the new words")
    await expect(page.get_by_text("Not shared, ever.")).to_have_count(0)
    await fits_a_phone(page)
    await alex.call("DELETE", "/api/journal/share")
    await expect(shared).to_contain_text("Nobody has shared a journal entry with you", timeout=15_000)
    assert page.errors == []


async def test_older_entries_are_a_button_away(new_person: Any, web_server: Any) -> None:
    _fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    for n in range(51):
        await alex.call("POST", "/api/journal", {"text": f"Entry number {n}"})
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/journal")
    entries = page.get_by_test_id("journal-entry")
    await expect(entries).to_have_count(50)
    await expect(entries.last).to_contain_text("Entry number 1")
    await page.get_by_role("button", name="Show older entries").click()
    await expect(entries).to_have_count(51)
    await expect(entries.last).to_contain_text("Entry number 0")
    await expect(page.get_by_role("button", name="Show older entries")).to_be_hidden()
    assert page.errors == []


def spread_over_weeks(database: Path, user_id: str) -> None:
    """Give the moments noted in this test different days and hours, as weeks of real use would."""
    engine = create_engine(f"sqlite:///{database}")
    now = datetime.now(UTC)
    with Session(engine) as db:
        rows = db.exec(select(Noticing).where(Noticing.user_id == uuid.UUID(user_id))).all()
        for i, row in enumerate(rows):
            row.noticed_at = now - timedelta(days=(i * 3) % 40, hours=(i * 5) % 24)
            db.add(row)
        db.commit()
    engine.dispose()


async def test_noticing_with_one_tap_details_and_the_pattern(new_person: Any, web_server: Any) -> None:
    _fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    for context in ("after a hard call", "after a hard call", "when we talked about money", None, None, None):
        await alex.call("POST", "/api/noticing", {"context": context, "feeling": "tense" if context else None})
    spread_over_weeks(Path(web_server.env["DUOLOGUE_DATA_DIR"]) / "duologue.db", alex.id)
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/noticing")
    await expect(page.get_by_role("heading", name="Noticing", level=1)).to_be_visible()
    tap = page.get_by_role("button", name="I noticed the urge to pull away")
    await expect_in_view(page, tap)  # first and big: no scrolling to reach it
    await expect(page.get_by_text("You noticed it 6 times")).to_be_visible()
    await fits_a_phone(page)

    # One tap, by keyboard; then details, by keyboard too.
    await tab_to(page, tap)
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("tap-status")).to_contain_text("Well noticed")
    await expect(page.get_by_text("You noticed it 7 times")).to_be_visible()
    await tab_to(page, page.get_by_role("radio", name="1"))
    for _ in range(4):
        await page.keyboard.press("ArrowRight")
    await expect(page.get_by_role("radio", name="5")).to_be_checked()
    await tab_to(page, page.get_by_label("What were you feeling? (optional)"))
    await page.get_by_label("What were you feeling? (optional)").select_option("overwhelmed")
    await tab_to(page, page.get_by_label("After what? One line (optional)"))
    await page.keyboard.type("the kids were loud")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("tap-status")).to_have_text("Details saved. Thank you for noticing.")
    await expect(tap).to_be_focused()
    pattern = page.get_by_test_id("pattern")
    await expect(pattern).to_contain_text("the kids were loud")
    await expect(pattern).to_contain_text("overwhelmed (once)")
    await expect(pattern).to_contain_text("after a hard call (2 times)")
    await expect(pattern.get_by_text("By time of day")).to_be_visible()
    await expect(pattern.get_by_text("By day of the week")).to_be_visible()
    latest = await alex.call("GET", "/api/noticing")
    assert (latest[0]["intensity"], latest[0]["feeling"], latest[0]["context"]) == (
        5,
        "overwhelmed",
        "the kids were loud",
    )
    await fits_a_phone(page)
    await keep_for_readme(page, "noticing")

    # A tap by mistake can be taken back.
    await tap.click()
    await page.get_by_role("button", name="Remove this moment (tapped by mistake)").click()
    await expect(page.get_by_test_id("tap-status")).to_have_text("Removed. Nothing was kept of it.")
    await expect(page.get_by_text("You noticed it 7 times")).to_be_visible()
    assert page.errors == []


async def refuse(page: Any, method: str, path_glob: str) -> None:
    """Let one kind of request fail as a busy server would, so the page's error path shows."""

    async def answer(route: Any) -> None:
        if route.request.method != method:
            await route.fallback()
            return
        await route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "busy", "message": "Duologue is busy, try again in a moment."}}',
        )

    await page.route(path_glob, answer)


async def test_sharing_stopping_and_deleting_say_so_when_they_fail(new_person: Any, web_server: Any) -> None:
    fran, alex, _sam, couple_id = await linked_trio(web_server.url)
    await alex.call("POST", "/api/journal", {"text": "What I'd say if it felt safe."})
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/journal")
    entry = page.get_by_test_id("journal-entry").first

    # The share dialog opens on the safe choice; a failed share keeps it open and says why.
    await entry.get_by_role("button", name="Share with a facilitator").click()
    dialog = page.get_by_role("dialog", name="Share this one entry?")
    await expect(dialog.get_by_role("button", name="Not now")).to_be_focused()
    await refuse(page, "PUT", "**/api/journal/*/share")
    await dialog.get_by_role("button", name="Share it").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("It was not shared: Duologue is busy")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("button", name="Not now")).to_be_focused()
    await fits_a_phone(page)
    assert await fran.call("GET", f"/api/facilitator/couples/{couple_id}/journal") == []
    await page.unroute("**/api/journal/*/share")
    await dialog.get_by_role("button", name="Share it").click()
    await expect(entry.get_by_test_id("shared-note")).to_contain_text("Shared with Fran")

    # Stop sharing and delete: a failure is said in an alert, and nothing changed.
    await refuse(page, "DELETE", "**/api/journal/share")
    await entry.get_by_role("button", name="Stop sharing").click()
    await expect(entry.get_by_role("alert")).to_contain_text("We could not stop sharing just now")
    await expect(entry.get_by_test_id("shared-note")).to_be_visible()
    await refuse(page, "DELETE", "**/api/journal/*")
    await entry.get_by_role("button", name="Delete").click()
    await page.get_by_role("dialog", name="Delete this entry?").get_by_role("button", name="Delete it").click()
    await expect(entry.get_by_role("alert")).to_contain_text("We could not delete it just now")
    await expect(entry.get_by_role("button", name="Delete")).to_be_focused()
    assert len(await alex.call("GET", "/api/journal")) == 1
    assert len(await fran.call("GET", f"/api/facilitator/couples/{couple_id}/journal")) == 1
    await fits_a_phone(page)
    assert page.errors == []


async def test_after_stop_sharing_the_focus_lands_on_the_entry_when_there_is_nobody_to_share_with(
    new_person: Any, web_server: Any
) -> None:
    _fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    entry = await alex.call("POST", "/api/journal", {"text": "Shared from another device."})
    link = (await alex.call("GET", "/api/facilitators"))[0]
    await alex.call("PUT", f"/api/journal/{entry['id']}/share", {"link_id": link["id"]})
    page = await signed_in_page(new_person, alex, **PHONE)
    await refuse(page, "GET", "**/api/facilitators")  # the list of facilitators did not load: no share control
    await page.goto("/journal")
    card = page.get_by_test_id("journal-entry").first
    await card.get_by_role("button", name="Stop sharing").click()
    await expect(card.get_by_test_id("shared-note")).to_have_count(0)
    await expect(card.get_by_role("button", name="Share with a facilitator")).to_have_count(0)
    await expect(card.get_by_role("heading", level=3)).to_be_focused()
    assert await alex.call("GET", "/api/journal/share") is None


async def test_the_search_box_counts_what_people_see_and_never_cuts(new_person: Any, web_server: Any) -> None:
    _fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    await alex.call("POST", "/api/journal", {"text": "Cet ÉTÉ 👨‍👩‍👧 ensemble"})
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/journal")
    box = page.get_by_label("Search your words")
    assert await box.get_attribute("maxlength") is None
    await box.fill("👨‍👩‍👧" * 60)
    await expect(page.get_by_test_id("search-count")).to_contain_text("60 of 100 characters")
    assert await box.input_value() == "👨‍👩‍👧" * 60  # nothing cut, though it is 480 UTF-16 units
    await box.fill("x" * 101)
    await expect(page.get_by_test_id("search-count")).to_contain_text("101 of 100 characters: a little shorter")
    await box.fill("été")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("journal-entry")).to_have_count(1)
    await expect(page.get_by_test_id("journal-list-status")).to_have_text("1 entry found.")
    await fits_a_phone(page)
    assert page.errors == []


async def test_noticing_offers_the_weeks_from_the_definitions_and_says_when_removing_fails(
    new_person: Any, web_server: Any
) -> None:
    _fran, alex, _sam, _couple_id = await linked_trio(web_server.url)
    options = await alex.call("GET", "/api/noticing/options")
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/noticing")
    weeks = page.get_by_label("Show")
    await expect(weeks.locator("option")).to_have_count(len(options["pattern_weeks_choices"]))
    values = await weeks.locator("option").evaluate_all("options => options.map((o) => Number(o.value))")
    assert values == options["pattern_weeks_choices"]
    assert int(await weeks.input_value()) == options["pattern_weeks_default"]
    await page.get_by_role("button", name="I noticed the urge to pull away").click()
    await refuse(page, "DELETE", "**/api/noticing/*")
    await page.get_by_role("button", name="Remove this moment (tapped by mistake)").click()
    await expect(page.get_by_role("alert")).to_contain_text("We could not remove it just now")
    assert len(await alex.call("GET", "/api/noticing")) == 1
    await fits_a_phone(page)
    assert page.errors == []
