"""A therapist facilitates a couple's session: three browsers (facilitator and two partners).

The facilitator signs up as one, invites the couple (one accepts by link, the other confirms), composes a
short plan, starts it, and paces it live: first speaker, start, more time, pause and resume, skip, end.
Each person sees what they should and nothing more: never a private reflection or the facilitator's notes.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from playwright.async_api import expect

from server.live.client import Account
from tests.browser.conftest import axe_violations, screenshot
from tests.e2e.live_helpers import paired_couple

PASSWORD = "a long and gentle passphrase"
pytestmark = pytest.mark.browser


async def signed_in_page(new_person: Any, account: Account) -> Any:
    """A browser already signed in as `account` (its session cookie carried over)."""
    page = await new_person()
    cookie = account.http.cookies.get("duologue_session")
    await page.context.add_cookies([{"name": "duologue_session", "value": cookie, "url": account.base_url}])
    return page


async def check_screen(page: Any, name: str) -> None:
    await screenshot(page, name)
    assert await axe_violations(page) == [], name
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1100, f"{name} scrolls sideways"
    assert page.errors == [], page.errors


async def tab_to(page: Any, target: Any, limit: int = 60) -> None:
    """Reach a control with the Tab key alone (fails if it can't be reached)."""
    for _ in range(limit):
        if await target.evaluate("el => el === document.activeElement"):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {target} with the keyboard")


def seconds_left(text: str) -> int:
    minutes, seconds = re.match(r"(\d+):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


async def answer_form(page: Any) -> Any:
    """This step's answer form (pinned by step number, so the next step's form is not mistaken for it)."""
    await expect(page.get_by_test_id("answer-form")).to_be_visible()
    step_no = await page.get_by_test_id("answer-form").get_attribute("data-step")
    return page.locator(f'[data-testid="answer-form"][data-step="{step_no}"]')


async def send_rating(page: Any) -> None:
    await answer(page)


async def answer(page: Any, *, text: str | None = None, choice: str | None = None) -> None:
    form = await answer_form(page)
    if text is not None:
        await form.get_by_label("Your words").fill(text)
    if choice is not None:
        await form.get_by_label(choice, exact=True).check()
    await form.get_by_role("button", name="Send").click()
    await expect(form).to_have_count(0)


async def test_a_facilitator_paces_a_couples_session_and_each_sees_only_their_part(
    new_person: Any, web_server: Any
) -> None:
    started = time.monotonic()
    tag = uuid.uuid4().hex[:8]
    secret = f"I was afraid to say this out loud {tag}"
    note = f"Alex softened after the pause {tag}"
    shared = f"I felt grateful for the quiet morning {tag}"

    # --- The therapist signs up as a facilitator, in the browser
    dana = await new_person()
    await dana.goto("/signup")
    await dana.get_by_label("Email").fill(f"dana-{tag}@example.org")
    await dana.get_by_label("What should we call you?").fill("Dana")
    await dana.get_by_label("Password").fill(PASSWORD)
    await dana.get_by_label("I'm a couples therapist (facilitator)").check()
    await dana.get_by_role("button", name="Create my account").click()
    await expect(dana.get_by_role("heading", name="Your couples, Dana")).to_be_visible()
    await expect(dana.get_by_role("link", name="Facilitator")).to_be_visible()

    # --- A couple (paired through the API), each in their own browser
    alex_account, sam_account = await paired_couple(web_server.url)
    alex = await signed_in_page(new_person, alex_account)
    sam = await signed_in_page(new_person, sam_account)

    # --- Invite: Alex accepts by link, Sam confirms on their home page
    await dana.get_by_role("button", name="Invite a couple").click()
    link = await dana.get_by_test_id("facilitator-invite-link").text_content()
    await alex.goto(link)
    await expect(alex.get_by_role("heading", name="Work with Dana")).to_be_visible()
    await alex.get_by_role("button", name="Accept this facilitator").click()
    await expect(alex.get_by_test_id("your-facilitator")).to_contain_text("Waiting for your partner to confirm")
    await sam.goto("/home")
    await expect(sam.get_by_test_id("your-facilitator")).to_contain_text("Your partner accepted Dana")
    await sam.get_by_test_id("your-facilitator").get_by_role("button", name="Confirm").click()
    await expect(sam.get_by_text("Dana is your facilitator.")).to_be_visible()
    switch = sam.get_by_role("switch", name="Let Dana read my session summaries")
    await expect(switch).not_to_be_checked()  # off by default
    await expect(alex.get_by_text("Dana is your facilitator.")).to_be_visible(timeout=10_000)  # without reloading

    # --- Dana composes a short plan; a time outside the bounds is refused next to the form
    couple = dana.get_by_test_id("couple")
    await expect(couple.get_by_role("heading", name="Alex and Sam")).to_be_visible(timeout=10_000)
    await dana.get_by_label("Plan name").fill("A short practice")
    for title in ("Check-in", "Small truths", "Private reflection"):
        await dana.get_by_label("Exercise to add").select_option(label=title)
        await dana.get_by_role("button", name="Add exercise").click()
    rounds = dana.get_by_label("Rounds (1 to 4)")
    await expect(rounds).to_have_attribute("max", "4")
    await rounds.fill("9")
    await dana.get_by_role("button", name="Save this plan").click()
    await expect(dana.get_by_test_id("plan-error")).to_be_visible()
    await rounds.fill("1")
    await dana.get_by_role("button", name="Save this plan").click()
    await expect(dana.get_by_role("status").filter(has_text="Saved")).to_contain_text("A short practice")
    await expect(dana.get_by_test_id("plan-error")).to_be_hidden()
    await tab_to(dana, dana.get_by_role("button", name="Save this plan"))
    await check_screen(dana, "20-facilitator-dashboard")

    # --- Dana starts the composed plan for the couple (Sam first; changed to Alex in the lobby)
    await couple.get_by_label("Plan").select_option("composed")
    await couple.get_by_label("Who speaks first").select_option(label="Sam")
    await couple.get_by_role("button", name="Start a session for Alex and Sam").click()
    await expect(dana.get_by_role("heading", name="A short practice with Alex and Sam")).to_be_visible()
    await expect(dana.get_by_role("heading", name="In the lobby")).to_be_visible()

    for page in (alex, sam):
        await page.goto("/home")
        await expect(page.get_by_test_id("open-session")).to_contain_text("Dana, your facilitator")
        await page.get_by_role("link", name="Join the session").click()
        await expect(page.get_by_text("Dana, your facilitator, will start the session")).to_be_visible()
        await expect(page.get_by_test_id("presence")).to_contain_text("Dana (facilitator) is here")
    await expect(dana.get_by_test_id("presence")).to_have_text("Alex is here · Sam is here")

    await dana.get_by_label("Who speaks first").select_option(label="Alex")
    await dana.get_by_role("button", name="Choose").click()
    await expect(alex.get_by_test_id("facilitator-notice")).to_contain_text("Dana asked you to speak first")
    for page in (alex, sam):
        await page.get_by_role("button", name="Now is a good time").click()
    await expect(dana.get_by_test_id("ready-list")).to_contain_text("Alex: ready")
    await expect(dana.get_by_test_id("ready-list")).to_contain_text("Sam: ready")
    await dana.get_by_role("button", name="Start the session").click()

    # --- More time: both partners' countdowns grow by a minute
    for page in (alex, sam):
        await expect(page.get_by_test_id("answer-form")).to_be_visible()
    await expect(dana.get_by_test_id("turn")).to_contain_text("Both partners answer")
    before = [seconds_left(await page.locator(".timer").text_content()) for page in (alex, sam)]
    await dana.get_by_role("button", name="Add a minute").click()
    for page in (alex, sam):
        await expect(page.get_by_test_id("facilitator-notice")).to_contain_text("Dana added a minute")
    after = [seconds_left(await page.locator(".timer").text_content()) for page in (alex, sam)]
    assert all(55 <= a - b <= 61 for a, b in zip(after, before, strict=True)), (before, after)

    # --- Pause (with the keyboard): partners see it and their countdown stands still; then resume
    pause = dana.get_by_role("button", name="Pause", exact=True)
    await tab_to(dana, pause)
    await dana.keyboard.press("Enter")
    for page in (alex, sam):
        await expect(page.get_by_test_id("pause-area")).to_contain_text("Dana, your facilitator, has paused")
        await expect(page.locator(".timer")).to_contain_text("(paused)")
    frozen = await sam.locator(".timer").text_content()
    await check_screen(dana, "21-facilitator-live")
    await screenshot(sam, "22-partner-paused-by-facilitator")
    await sam.wait_for_timeout(1500)
    assert await sam.locator(".timer").text_content() == frozen
    await dana.get_by_role("button", name="Resume").click()
    for page in (alex, sam):
        await expect(page.get_by_test_id("pause-area")).to_be_empty()
        await expect(page.locator(".timer")).not_to_contain_text("(paused)")

    # --- A refusal from the server is shown to Dana (resuming when nothing is paused: the button is hidden now)
    await dana.locator("button", has_text="Resume").dispatch_event("click")
    await expect(dana.get_by_test_id("refusal")).to_be_visible()

    # --- Skip: the check-in's first question is skipped for both
    await dana.get_by_role("button", name="Skip this step").click()
    for page in (alex, sam):
        await expect(page.get_by_test_id("facilitator-notice")).to_contain_text("Dana moved you on to the next step")
        await expect(page.get_by_label(re.compile("Your answer, from 1"))).to_be_visible()
    await expect(dana.get_by_text("Check-in · round 1 of 1 · How calm")).to_be_visible()
    await send_rating(alex)
    await send_rating(sam)

    # --- Small truths: Dana sees the shared words as they are sent
    await expect(alex.get_by_test_id("turn")).to_contain_text("Your turn: you're the speaker")
    await answer(alex, choice="Gratitude")
    await answer(alex, text=shared)
    await expect(dana.get_by_test_id("transcript")).to_contain_text(shared)
    await answer(sam, text="You felt grateful for a calm start.")
    await expect(dana.get_by_test_id("transcript")).to_contain_text("You felt grateful for a calm start.")
    await answer(alex, choice="Yes")

    # --- Private reflection: Alex writes one; Dana only learns that it was written
    await expect(alex.get_by_test_id("turn")).to_contain_text("Just for you")
    await answer(alex, text=secret)
    await expect(dana.get_by_text("Answered so far: Alex.")).to_be_visible()
    await expect(dana.get_by_test_id("turn")).to_contain_text("You won't see these answers")

    # --- Dana's private notes
    await dana.get_by_label("Your private notes").fill(note)
    await dana.get_by_role("button", name="Save note").click()
    await expect(dana.get_by_test_id("notes")).to_contain_text(note)
    assert secret not in await dana.content()

    # --- Dana ends it; everyone sees the end; partners never saw the notes or the controls
    await dana.get_by_role("button", name="End the session").click()
    await dana.get_by_role("dialog").get_by_role("button", name="End the session").click()
    for page in (alex, sam):
        await expect(page.get_by_role("heading", name="The session has ended")).to_be_visible()
        content = await page.content()
        assert note not in content
        await expect(page.get_by_role("button", name="Skip this step")).to_have_count(0)
    assert secret not in await sam.content()

    # --- Dana's record: the timeline of what was shared and how it was paced, and the notes
    await dana.get_by_role("link", name="Open your record").click()
    await expect(dana.get_by_role("heading", level=1)).to_contain_text("Your record: A short practice")
    timeline = dana.get_by_test_id("timeline")
    for words in (shared, "You added a minute", "You paused the session", "You skipped a step", "ended early"):
        await expect(timeline).to_contain_text(words)
    await expect(dana.get_by_test_id("notes")).to_contain_text(note)
    await check_screen(dana, "23-facilitator-record")
    assert secret not in await dana.content()

    # --- The dashboard lists it under past; with consent off, no summary at all
    await dana.get_by_role("link", name="Back to your couples").click()
    await expect(couple.get_by_role("link", name="Your record: A short practice")).to_be_visible()
    summaries = dana.get_by_test_id("shared-summaries")
    await expect(summaries).to_contain_text("Alex hasn't shared summaries with you")
    await expect(summaries).to_contain_text("Sam hasn't shared summaries with you")

    # --- Sam says yes: Dana reads Sam's summary, never Alex's
    await sam.goto("/home")
    await sam.get_by_role("switch", name="Let Dana read my session summaries").check()
    await expect(sam.get_by_test_id("consent-status")).to_contain_text("Dana can now read your summaries")
    await screenshot(sam, "24-partner-home-with-facilitator")
    assert await axe_violations(sam) == []
    await dana.reload()
    await expect(summaries.get_by_text("Sam's summary: A short practice")).to_be_visible()
    await expect(summaries).to_contain_text("Alex hasn't shared summaries with you")
    await summaries.get_by_text("Sam's summary: A short practice").click()
    # Rendered for reading: headings and a table, the partners by name, times in Dana's time zone.
    sams = summaries.get_by_role("region", name="Sam's summary")
    await expect(sams).to_contain_text(shared)
    await expect(sams.get_by_role("heading", name="How they arrived, and how they left")).to_be_visible()
    await expect(sams.get_by_role("table")).to_be_visible()
    await expect(sams.get_by_role("columnheader", name="Sam: start")).to_be_visible()
    await expect(sams.get_by_role("columnheader", name="Alex: start")).to_be_visible()
    await expect(sams).not_to_contain_text("Your partner")
    await expect(sams).not_to_contain_text("UTC")
    assert await summaries.locator("pre").count() == 0
    assert secret not in await dana.content()

    # --- Alex says yes too: Dana reads Alex's summary, but never Alex's private reflection inside it
    await alex.goto("/home")
    await alex.get_by_role("switch", name="Let Dana read my session summaries").check()
    await expect(alex.get_by_test_id("consent-status")).to_contain_text("Dana can now read your summaries")
    await dana.reload()
    await summaries.get_by_text("Alex's summary: A short practice").click()
    await expect(summaries.get_by_text("Alex's summary: A short practice")).to_be_visible()
    assert secret not in await dana.content()

    # --- Alex unlinks Dana; it takes effect at once
    await alex.goto("/home")
    await alex.get_by_role("button", name="Unlink Dana").click()
    await alex.get_by_role("dialog").get_by_role("button", name="Unlink").click()
    await expect(alex.get_by_label("Have a code from your facilitator?")).to_be_visible()
    await dana.reload()
    await expect(dana.get_by_text("No couples yet")).to_be_visible()

    for page in (dana, alex, sam):
        assert page.errors == [], page.errors
    assert time.monotonic() - started < 90
