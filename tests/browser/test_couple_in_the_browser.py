"""Two partners in two real browsers: sign up, pair by link, practise the daily plan, take space, end.

One long journey on purpose: it is what a couple does. Breathing together, the reveal and private
reflections have their own browser tests (test_reveal_and_plans_in_the_browser.py).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.conftest import axe_violations, screenshot

PASSWORD = "a long and gentle passphrase"
pytestmark = pytest.mark.browser


async def check_screen(page: Any, name: str, *, phone: bool = False) -> None:
    """Every main screen: a screenshot, no serious accessibility problem, nothing wider than a phone."""
    await screenshot(page, name)
    violations = await axe_violations(page)
    assert violations == [], f"{name}: {violations}"
    if phone:
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px wide)"
    assert page.errors == [], page.errors


async def sign_up(page: Any, email: str, name: str) -> None:
    await page.get_by_role("link", name="Create an account").first.click()
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("What should we call you?").fill(name)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create my account").click()


async def answer_form(page: Any) -> Any:
    """The form of the step in front of this person now (each step's form carries its number)."""
    form = page.get_by_test_id("answer-form")
    await expect(form).to_be_visible()
    step_no = await form.get_attribute("data-step")
    return page.locator(f'[data-testid="answer-form"][data-step="{step_no}"]')


async def send(form: Any) -> None:
    await form.get_by_role("button", name="Send").click()
    await expect(form).to_have_count(0)  # accepted: this step's form is gone


async def answer_text(page: Any, words: str) -> None:
    form = await answer_form(page)
    await form.get_by_label("Your words").fill(words)
    await send(form)


async def choose(page: Any, label: str) -> None:
    form = await answer_form(page)
    await form.get_by_label(label, exact=True).check()
    await send(form)


async def send_rating(page: Any) -> None:
    await send(await answer_form(page))


def seconds_left(text: str) -> int:
    minutes, seconds = re.match(r"(\d+):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


async def test_a_couple_practises_the_daily_plan_in_two_browsers(new_person: Any) -> None:
    alex = await new_person(width=1280, height=800)  # a laptop
    sam = await new_person(width=360, height=740)  # a phone
    tag = uuid.uuid4().hex[:8]

    # --- Welcome and sign-up, with an error shown next to the field that caused it
    await alex.goto("/")
    await expect(alex.get_by_role("heading", level=1)).to_contain_text("Practise talking and listening")
    await expect(alex.get_by_text("practise, not therapy")).to_be_visible()
    await check_screen(alex, "01-welcome")
    await alex.get_by_role("link", name="Create an account").first.click()
    await alex.get_by_label("Email").fill(f"alex-{tag}@example.org")
    await alex.get_by_label("What should we call you?").fill("Alex")
    await alex.get_by_label("Password").fill("short")
    await alex.get_by_role("button", name="Create my account").click()
    password_error = alex.locator("#password-error")
    await expect(password_error).to_contain_text("at least 10 characters")
    await expect(alex.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    await check_screen(alex, "02-sign-up-with-error")
    await alex.get_by_label("Password").fill(PASSWORD)
    await alex.get_by_role("button", name="Create my account").click()
    await expect(alex.get_by_role("heading", name="Hello, Alex")).to_be_visible()

    # --- Pairing through the invite link
    await alex.get_by_role("button", name="Invite my partner").click()
    link = await alex.get_by_test_id("invite-link").text_content()
    await check_screen(alex, "03-home-invite")
    await sam.goto(link)
    await expect(sam.get_by_role("heading", level=1)).to_have_text("You've been invited to Duologue")
    await check_screen(sam, "04-invite-signed-out", phone=True)
    await sign_up(sam, f"sam-{tag}@example.org", "Sam")
    await expect(sam.get_by_role("heading", name="Alex invited you")).to_be_visible()
    await sam.get_by_role("button", name="Pair with Alex").click()
    await expect(sam.get_by_text("You're paired with Alex.")).to_be_visible()
    await expect(alex.get_by_text("You're paired with Sam.")).to_be_visible(timeout=10_000)  # no reload

    # --- Alex starts the daily plan; it appears on Sam's home by itself
    await expect(alex.get_by_text("Daily · up to 15 minutes")).to_be_visible()
    await alex.get_by_label("Me", exact=True).check()
    await check_screen(alex, "05-home-choose-plan")
    await alex.get_by_role("button", name="Start a session").click()
    await expect(alex.get_by_role("heading", name="Is now a good time for you both?")).to_be_visible()
    await sam.get_by_role("link", name="Join the session").click(timeout=10_000)
    await expect(sam.get_by_role("heading", name="Is now a good time for you both?")).to_be_visible()
    await expect(alex.get_by_test_id("presence")).to_have_text("Sam is here")
    await check_screen(sam, "06-lobby", phone=True)
    await alex.get_by_role("button", name="Now is a good time").click()
    await sam.get_by_role("button", name="Now is a good time").click()

    # --- Check-in: two ratings each, answers revealed together
    for _ in range(2):
        await send_rating(alex)
        await send_rating(sam)

    # --- Small truths, round 1: Alex speaks, Sam reflects; "not quite" once, then a second reflection
    await expect(alex.get_by_test_id("turn")).to_contain_text("Your turn: you're the speaker")
    await expect(sam.get_by_test_id("turn")).to_contain_text("Alex's turn. You're the listener")
    await expect(alex.locator("#announcer")).to_contain_text("Your turn")  # said to screen readers once
    await choose(alex, "Gratitude")
    await answer_text(alex, "I felt grateful when you made tea without asking.")
    await expect(sam.get_by_test_id("transcript")).to_contain_text("I felt grateful when you made tea")
    await check_screen(sam, "08-listener-sees-words", phone=True)
    await expect(sam.get_by_test_id("turn")).to_contain_text("Your turn: you're the listener")
    await check_screen(sam, "09-listener-turn", phone=True)
    # A reload mid-step resumes it with the right time left
    before = seconds_left(await alex.locator(".timer").text_content())
    await sam.reload()
    await expect(sam.get_by_test_id("answer-form")).to_be_visible()
    after = seconds_left(await sam.locator(".timer").text_content())
    assert abs(before - after) <= 3, (before, after)
    await expect(alex.get_by_test_id("presence")).to_have_text("Sam is here")
    await answer_text(sam, "You felt cared for when I made tea.")
    await expect(alex.get_by_test_id("transcript")).to_contain_text("You felt cared for")
    await check_screen(alex, "10-speaker-did-it-land")
    await choose(alex, "Not quite")
    await answer_text(alex, "More grateful than cared for: it felt like a gift.")
    await answer_text(sam, "You felt grateful, like it was a small gift.")
    await choose(alex, "Yes")

    # --- Sam asks for space; both see the pause and the return time; Sam comes back
    await sam.get_by_role("button", name="I need space").click()
    await expect(sam.get_by_label("I'll be back in")).to_have_value("20")
    await expect(sam.get_by_test_id("space-hint")).to_contain_text("at least 20 minutes and less than a day")
    offered = await sam.locator("#space-minutes option").all_inner_texts()
    assert offered[0] == "20 minutes" and "10 minutes" not in offered  # the rules' bounds, from the server
    await sam.get_by_role("button", name="Pause and take space").click()
    await expect(alex.get_by_test_id("pause-area")).to_contain_text("Sam asked for some space and plans to be back at")
    await expect(sam.get_by_test_id("pause-area")).to_contain_text("You're taking some space")
    await expect(alex.locator(".timer")).to_contain_text("(paused)")
    await expect(alex.locator("#announcer")).to_contain_text("Sam asked for some space")
    await check_screen(alex, "11-partner-took-space")
    await sam.get_by_role("button", name="I'm back").click()
    await expect(alex.get_by_test_id("pause-area")).to_be_empty()

    # --- Small truths, round 2: Sam speaks, Alex reflects
    await choose(sam, "Tiredness")
    await answer_text(sam, "I felt tired after the long week.")
    # On the laptop too, Sam's words sit right above Alex's answer box, both in view.
    for part in (alex.get_by_test_id("partner-words"), alex.get_by_label("Your words")):
        await expect(part).to_be_visible()
        box = await part.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 800, box
    await expect(alex.get_by_test_id("partner-words")).to_contain_text("Sam said:")
    await answer_text(alex, "You felt worn out by the week.")
    await choose(sam, "Mostly")

    # --- Check-out's first question, then Alex leaves (no reason asked); both land on their own summary
    await send_rating(alex)
    await send_rating(sam)
    await alex.get_by_role("button", name="Leave").click()
    await expect(alex.get_by_text("You don't need to give a reason")).to_be_visible()
    await alex.get_by_role("button", name="Leave the session").click()
    await expect(alex.get_by_role("heading", name="The session has ended")).to_be_visible()
    await expect(sam.get_by_role("heading", name="Alex left the session")).to_be_visible()
    for page in (alex, sam):
        await page.get_by_role("link", name="Read your summary").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Your session")
    await check_screen(alex, "12-summary")
    await check_screen(sam, "13-summary-phone", phone=True)
    await expect(alex.get_by_text("I felt grateful when you made tea without asking.")).to_be_visible()
    await expect(alex.get_by_role("link", name="Download a copy (plain text)")).to_have_attribute(
        "href", re.compile(r"/markdown$")
    )

    # --- History links to the summary
    await sam.get_by_role("link", name="History").click()
    await expect(sam.get_by_role("heading", name="Your sessions")).to_be_visible()
    await check_screen(sam, "14-history", phone=True)
    assert alex.errors == [] and sam.errors == []
