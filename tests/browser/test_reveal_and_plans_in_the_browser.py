"""In real browsers at phone width: the new plans on the home page, "both answer, then both see" (nothing
shown before the reveal, then both answers side by side), a private reflection, and "one moment" versus
a break. Short step limits (a facilitator's composed plan), never a wait on a real exercise timer."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_keyboard_and_screens import signed_in_page
from tests.e2e.live_helpers import paired_couple
from tests.e2e.test_live_facilitator import linked_trio

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}

# The shortest limits the definitions allow: a stalled test fails fast instead of waiting out real minutes.
SHORT_PLAN = {
    "title": "Answer together",
    "exercises": [
        {"exercise": "both_answer", "time_limits": {"answer": 60, "noticed": 30}},
        {"exercise": "private_reflection", "time_limits": {"reflect": 60}},
    ],
}


async def looks_right(page: Any, name: str) -> None:
    await screenshot(page, name)
    assert await axe_violations(page) == [], name
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways at 360 px"
    assert page.errors == [], page.errors


async def write(page: Any, words: str) -> None:
    """Answer the step in front of this person now (each step's form carries its number)."""
    await expect(page.get_by_test_id("answer-form")).to_be_visible()
    step_no = await page.get_by_test_id("answer-form").get_attribute("data-step")
    form = page.locator(f'[data-testid="answer-form"][data-step="{step_no}"]')
    await form.get_by_label("Your words").fill(words)
    await form.get_by_role("button", name="Send").click()
    await expect(form).to_have_count(0)


async def test_the_home_page_offers_every_plan_with_an_honest_length(new_person: Any, web_server: Any) -> None:
    alex, _ = await paired_couple(web_server.url)
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto("/home")
    plans = await alex.call("GET", "/api/plans")
    for plan in plans:
        await expect(page.get_by_text(f"{plan['title']} · up to {plan['estimated_minutes']} minutes")).to_be_visible()
    assert {p["title"] for p in plans} == {
        "Daily",
        "Deeper",
        "Stress-reducing conversation",
        "Weekly meeting",
        "When it gets hard",
    }
    await looks_right(page, "20-home-plans-phone")


async def test_both_answer_then_both_see_and_a_private_reflection_on_two_phones(
    new_person: Any, web_server: Any
) -> None:
    fran, alex, sam, couple_id = await linked_trio(web_server.url)
    session = await fran.call("POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan": SHORT_PLAN})
    pages = {}
    for name, person in (("alex", alex), ("sam", sam)):
        pages[name] = await signed_in_page(new_person, person, **PHONE)
        await pages[name].goto(f"/session/{session['id']}")
        await pages[name].get_by_role("button", name="Now is a good time").click()
    a, s = pages["alex"], pages["sam"]
    f = await fran.join(session["id"])
    await f.intent("start")

    # Both see the same drawn question.
    question = (await f.wait_event("step_started", step_id="answer"))["data"]["drawn_prompt"]
    assert question
    for page in (a, s):
        await expect(page.get_by_test_id("prompt")).to_contain_text(question)
        await expect(page.get_by_test_id("turn")).to_contain_text("Answers are shown together")
    await looks_right(s, "21-both-answer-question-phone")

    # Alex answers first: Sam's screen shows nothing of it; Alex is told it waits for Sam.
    tag = uuid.uuid4().hex[:8]
    alex_words, sam_words = f"A quiet walk together {tag}", f"More time for music {tag}"
    await write(a, alex_words)
    await expect(a.get_by_test_id("waiting-for-reveal")).to_be_visible()
    await expect(a.get_by_test_id("reveal")).to_be_hidden()
    await looks_right(a, "22-answer-waits-for-the-reveal-phone")
    await f.wait_event("answer_received", participant=alex.id)
    assert alex_words not in await s.content()
    assert alex_words not in str(f.frames)  # nor does the facilitator get it before the reveal
    await s.reload()  # a fresh snapshot holds nothing of it either
    await expect(s.get_by_test_id("answer-form")).to_be_visible()
    assert alex_words not in await s.content()

    # Sam answers: both answers appear side by side on both phones at once.
    await write(s, sam_words)
    for page in (a, s):
        revealed = page.get_by_test_id("revealed-answer")
        await expect(revealed).to_have_count(2)
        await expect(page.get_by_test_id("reveal")).to_contain_text(alex_words)
        await expect(page.get_by_test_id("reveal")).to_contain_text(sam_words)
        await expect(revealed.first).to_contain_text("You")  # your own answer first
        await expect(page.get_by_test_id("prompt")).to_contain_text("one thing you noticed")
    await looks_right(a, "23-both-answers-revealed-phone")
    await write(a, "I noticed you want us to walk more.")
    await write(s, "I noticed music matters to you.")

    # A private reflection: each writes for themself alone.
    secret = f"Only mine {tag}"
    await expect(a.get_by_test_id("turn")).to_contain_text("Just for you")
    await write(a, secret)
    await expect(a.get_by_test_id("transcript")).to_contain_text(secret)
    assert secret not in await s.content()
    await looks_right(a, "24-private-reflection-phone")
    await f.close()


async def test_one_moment_is_a_short_pause_and_not_a_break(new_person: Any, web_server: Any) -> None:
    alex, sam = await paired_couple(web_server.url)
    session = await alex.start_session("daily", first_speaker="me")
    page = await signed_in_page(new_person, alex, **PHONE)
    await page.goto(f"/session/{session['id']}")
    partner = await sam.join(session["id"])
    await partner.intent("ready")
    await page.get_by_role("button", name="Now is a good time").click()
    await expect(page.get_by_role("slider")).to_be_visible()

    await page.get_by_role("button", name="One moment").click()
    await expect(page.get_by_test_id("pause-area")).to_contain_text("You asked for one moment")
    await expect(page.locator(".timer")).to_contain_text("(paused)")
    await expect(page.get_by_role("button", name="One moment")).to_be_hidden()
    started = await partner.wait_event("moment_started")
    assert started["data"]["who"] == alex.id
    assert not any(f["event"] == "space_requested" for f in partner.events)
    await looks_right(page, "25-one-moment-phone")
    await page.get_by_role("button", name="I'm back").click()
    await expect(page.get_by_test_id("pause-area")).to_be_empty()
    await partner.wait_event("moment_ended")

    # The partner's moment shows too, in plain words, and lifts when they are back.
    await partner.intent("one_moment")
    await expect(page.get_by_test_id("pause-area")).to_contain_text("Sam asked for one moment")
    await partner.intent("moment_done")
    await expect(page.get_by_test_id("pause-area")).to_be_empty()
    await partner.close()


async def test_when_it_gets_hard_starts_with_breathing_together_in_step(new_person: Any, web_server: Any) -> None:
    """Moved from the daily journey (the daily plan no longer breathes): one server time for both circles."""
    import re

    def seconds_left(text: str) -> int:
        minutes, seconds = re.match(r"(\d+):(\d\d)", text).groups()
        return int(minutes) * 60 + int(seconds)

    alex, sam = await paired_couple(web_server.url)
    session = await alex.start_session("when_hard", first_speaker="me")
    a = await signed_in_page(new_person, alex)
    s = await signed_in_page(new_person, sam, **PHONE)
    for page in (a, s):
        await page.goto(f"/session/{session['id']}")
        await page.get_by_role("button", name="Now is a good time").click()
    for page in (a, s):
        await expect(page.get_by_test_id("breathing-guide")).to_be_visible()
    same = 0
    for _ in range(6):
        words = {await page.locator(".breath-word").text_content() for page in (a, s)}
        same += len(words) == 1
        await a.wait_for_timeout(700)
    assert same >= 5, "the two breathing guides are out of step"
    before = seconds_left(await a.locator(".timer").text_content())
    await s.reload()
    await expect(s.get_by_test_id("breathing-guide")).to_be_visible()
    after = seconds_left(await s.locator(".timer").text_content())
    assert abs(before - after) <= 3, (before, after)
    await looks_right(s, "26-breathing-phone")
