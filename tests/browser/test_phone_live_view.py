"""The live screen on a phone (360 x 740), in an emotional moment: what a person needs is in view, the
connection is honest, nothing typed is lost, and every state is said clearly and kindly.

"In view" means the element's box lies inside the viewport, not merely that it is on the page.
Sessions are set up through the API (a facilitator's short composed plan, or a couple's own), so no
test waits out a real step timer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from server.live.client import Account, LiveSession
from tests.browser.conftest import axe_violations, screenshot
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple
from tests.e2e.test_live_facilitator import linked_trio

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PLAN = {
    "title": "A short practice",
    "exercises": [{"exercise": "check_in"}, {"exercise": "small_truths", "rounds": 1}, {"exercise": "check_out"}],
}
LONG_WORD = "a" * 250
URL = "https://example.org/" + "very-long-path-" * 4
EMOJI_RUN = "😊" * 20


@pytest.fixture
def phone_server(tmp_path: Path) -> Any:
    """A server with short waits: a 2 s presence grace, 1 s server pings, a lobby nudge after 2 s."""
    env = server_env(
        "default",
        tmp_path,
        DUOLOGUE_PRESENCE_GRACE_SECONDS="2",
        DUOLOGUE_WS_PING_SECONDS="1",
        DUOLOGUE_LOBBY_NUDGE_SECONDS="2",
    )
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def phone(chromium: Any, phone_server: LiveServer) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """A person on their phone, already signed in as `account`."""

    async def make(account: Account, **viewport: int) -> Any:
        context = await chromium.new_context(  # bypass_csp: axe-core is injected as an inline script
            base_url=phone_server.url, viewport=viewport or PHONE, reduced_motion="reduce", bypass_csp=True
        )
        context.set_default_timeout(15_000)
        cookie = account.http.cookies.get("duologue_session")
        await context.add_cookies([{"name": "duologue_session", "value": cookie, "url": phone_server.url}])
        page = await context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make


async def in_view(page: Any, locator: Any) -> bool:
    """The element's whole box is inside the viewport right now."""
    box = await locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"] + 0.5
        and box["x"] + box["width"] <= size["width"] + 0.5
    )


async def expect_in_view(page: Any, locator: Any, timeout: float = 10) -> None:
    await expect(locator).to_be_visible(timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while not await in_view(page, locator):
        if time.monotonic() > deadline:
            await screenshot(page, "failed-not-in-view", full_page=False)
            raise AssertionError(f"{locator} is on the page but not in view: {await locator.bounding_box()}")
        await asyncio.sleep(0.1)


async def scroll_to_bottom(page: Any) -> None:
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")


async def no_sideways_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px wide)"


async def check_screen(page: Any, name: str) -> None:
    await screenshot(page, name, full_page=False)  # what the person sees, as they see it
    assert await axe_violations(page) == [], name
    await no_sideways_scroll(page)
    assert page.errors == [], page.errors


async def header_height(page: Any) -> float:
    """How far down the page the navigation and session header (title and status) reach."""
    return await page.evaluate(
        """() => {
          const status = document.querySelector('[data-testid=live-status] .status-bar');
          return status.getBoundingClientRect().bottom + window.scrollY;
        }"""
    )


async def rate(page: Any) -> None:
    form = page.get_by_test_id("answer-form")
    step = await form.get_attribute("data-step")
    await form.get_by_role("button", name="Send").click()
    await expect(page.locator(f'[data-testid="answer-form"][data-step="{step}"]')).to_have_count(0)


async def facilitated_session(url: str) -> tuple[Account, Account, Account, str, LiveSession]:
    fran, alex, sam, couple_id = await linked_trio(url)
    session = await fran.call(
        "POST", f"/api/facilitator/couples/{couple_id}/sessions", {"plan": PLAN, "first_speaker": alex.id}
    )
    return fran, alex, sam, session["id"], await fran.join(session["id"])


async def test_a_listener_on_a_phone_has_what_they_need_in_view(phone_server: LiveServer, phone: Any) -> None:
    started = time.monotonic()
    _, alex_account, sam_account, session_id, f = await facilitated_session(phone_server.url)
    sam = await phone(sam_account)
    # A plain-http address: the browser gives no clipboard there.
    await sam.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")

    # --- Sam arrives first. After a little while alone, something kind to do: copy the link, or leave.
    await sam.goto(f"/session/{session_id}")
    nudge = sam.get_by_test_id("lobby-nudge")
    await expect(nudge).to_contain_text("Alex hasn't joined yet. That's okay")
    await nudge.get_by_role("button", name="Copy the link again").click()
    said = sam.get_by_test_id("copy-result")
    await expect(said).to_contain_text("We couldn't copy it for you here")
    assert "Copied" not in await said.text_content()
    selected = await sam.evaluate("window.getSelection().toString()")
    assert selected.endswith(f"/session/{session_id}")
    await check_screen(sam, "30-phone-lobby-alone")

    # --- Alex arrives; the nudge goes; Fran starts the session
    alex = await phone(alex_account)
    await alex.goto(f"/session/{session_id}")
    await expect(nudge).to_have_count(0)
    await expect(sam.get_by_test_id("presence")).to_contain_text("Alex is here")
    for page in (alex, sam):
        await page.get_by_role("button", name="Now is a good time").click()
    await f.wait_event("ready_recorded", participant=sam_account.id)
    await f.wait_event("ready_recorded", participant=alex_account.id)
    await f.intent("start")

    # --- Check-in; the navigation and session header take at most a quarter of the screen
    for _ in range(2):
        await rate(alex)
        await rate(sam)
    for page in (alex, sam):
        assert await header_height(page) <= PHONE["height"] / 4, await header_height(page)

    # --- Alex shares a feeling with an unbroken word, a long address and a run of emoji
    await alex.get_by_test_id("answer-form").get_by_label("Gratitude", exact=True).check()
    await alex.get_by_role("button", name="Send").click()
    shared = f"I felt grateful {LONG_WORD} {URL} {EMOJI_RUN}"
    await alex.get_by_label("Your words").fill(shared)
    await alex.get_by_role("button", name="Send").click()
    await expect(alex.get_by_test_id("answer-form")).to_have_count(0)

    # --- Sam reflects: Alex's words sit right above the answer box, both on screen together
    await expect(sam.get_by_test_id("turn")).to_contain_text("Your turn: you're the listener")
    words = sam.get_by_test_id("partner-words")
    box = sam.get_by_label("Your words")
    await expect(words).to_contain_text("Alex said:")
    await expect(words).to_contain_text("I felt grateful")
    await expect_in_view(sam, words)
    await expect_in_view(sam, box)
    words_box, answer_box = await words.bounding_box(), await box.bounding_box()
    assert answer_box["y"] - (words_box["y"] + words_box["height"]) < 120, "the words are not next to the answer box"
    await no_sideways_scroll(sam)
    await expect_in_view(sam, sam.get_by_role("button", name="I need space"))
    await expect_in_view(sam, sam.get_by_role("button", name="Leave"))
    await check_screen(sam, "31-phone-listener-sees-words")

    # --- Half-typed, an error shown... then a pause: the form stops, the error goes, the turn says "paused"
    await box.fill("You felt grateful for")
    await sam.get_by_role("button", name="Send").click()
    await expect(sam.get_by_test_id("answer-form")).to_have_count(0)
    # Alex says "not quite" and adds a sentence: Sam sees both pieces above the box for the second try.
    await alex.get_by_test_id("answer-form").get_by_label("Not quite", exact=True).check()
    await alex.get_by_role("button", name="Send").click()
    await alex.get_by_label("Your words").fill("More like a gift than a favour.")
    await alex.get_by_role("button", name="Send").click()
    await expect(sam.get_by_test_id("partner-words")).to_contain_text("More like a gift than a favour.")
    await expect_in_view(sam, sam.get_by_label("Your words"))
    # A long paste is kept whole and explained, never cut; sending it is refused with a reason.
    too_long = " ".join(["gentle"] * 102)  # 713 characters
    await sam.get_by_label("Your words").fill(too_long)
    count = sam.get_by_test_id("char-count")
    await expect(count).to_contain_text("over the limit. Nothing has been cut")
    await sam.get_by_role("button", name="Send").click()
    refusal = sam.get_by_text("over the limit of 400")
    await expect(refusal).to_be_visible()

    # Sam has scrolled down to read the transcript when Alex asks for space.
    await scroll_to_bottom(sam)
    await alex.get_by_role("button", name="I need space").click()
    await alex.get_by_role("button", name="Pause and take space").click()
    asked = sam.get_by_test_id("pause-area").get_by_text("Alex asked for some space and plans to be back at")
    await expect_in_view(sam, asked)
    await expect_in_view(alex, alex.get_by_test_id("pause-area").get_by_text("You're taking some space"))
    await expect_in_view(alex, alex.get_by_role("button", name="I'm back"))
    await expect(sam.get_by_label("Your words")).to_be_disabled()
    await expect(sam.get_by_role("button", name="Send")).to_be_disabled()
    await expect(sam.get_by_test_id("turn")).to_contain_text("Paused")
    await expect(sam.get_by_test_id("turn")).not_to_contain_text("Your turn")
    await expect(refusal).to_be_hidden()  # an error from before the pause is gone
    await check_screen(sam, "32-phone-partner-took-space")
    await check_screen(alex, "33-phone-my-space")

    # --- Sam reloads while paused: the transcript reads exactly as before, and the half-typed words are back
    before = await sam.get_by_test_id("transcript").inner_text()
    await sam.reload()
    await expect(sam.get_by_test_id("transcript").get_by_role("listitem")).to_have_count(before.count("\n") // 2 + 1)
    assert await sam.get_by_test_id("transcript").inner_text() == before
    assert "How calm" in before and "Gratitude" in before and "gratitude" not in before
    await alex.get_by_role("button", name="I'm back").click()
    await expect(sam.get_by_test_id("pause-area")).to_be_empty()
    await expect(sam.get_by_label("Your words")).to_have_value(too_long)
    await expect(sam.get_by_label("Your words")).to_be_enabled()

    # --- Emoji, flags and accents count as one each, here and on the server
    exactly = "x" * 390 + "👨‍👩‍👧🇫🇷👍🏽❤️é" + "y" * 5  # 400 as people see them (far more code units)
    await sam.get_by_label("Your words").fill(exactly)
    await expect(count).to_contain_text("400 of 400 characters: nearly at the limit")
    await sam.get_by_role("button", name="Send").click()
    await expect(sam.get_by_test_id("answer-form")).to_have_count(0)  # the server counted the same way
    assert await sam.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('duologue.draft.')).length") == 0

    # --- Fran moves them on: the notice comes into view, and goes when the next step starts
    await scroll_to_bottom(alex)
    await f.intent("skip")
    notice = alex.get_by_test_id("facilitator-notice")
    await expect_in_view(alex, notice)
    await expect(notice).to_contain_text("moved you on to the next step")
    step_now = await alex.get_by_test_id("prompt").text_content()
    await rate(alex)
    await rate(sam)
    await expect(alex.get_by_test_id("prompt")).not_to_have_text(step_now)  # the next step has started
    await expect(notice).to_be_hidden()

    # --- Alex leaves: Sam is told kindly, sees it in view, presence updates, and the summary is offered
    await scroll_to_bottom(sam)
    await alex.get_by_role("button", name="Leave").click()
    await alex.get_by_role("button", name="Leave the session").click()
    heading = sam.get_by_role("heading", name="Alex left the session")
    await expect_in_view(sam, heading)
    await expect(sam.get_by_test_id("presence")).to_contain_text("Alex left the session")
    await check_screen(sam, "34-phone-partner-left")

    # --- The summary on a phone: the long words wrap, the table fits, the words are plain
    await sam.get_by_role("link", name="Read your summary").click()
    await expect(sam.get_by_role("heading", level=1)).to_contain_text("Your session")
    await expect(sam.get_by_text("I felt grateful")).to_be_visible()
    await expect(sam.get_by_role("link", name="Download a copy (plain text)")).to_be_visible()
    text = await sam.locator("main").inner_text()
    assert " 1 minutes" not in text and "no answer in time" not in text
    fits = await sam.evaluate(
        "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth + 1)"
    )
    assert fits, "a summary table is wider than the phone"
    await check_screen(sam, "35-phone-summary-long-words")
    await sam.get_by_role("link", name="History").click()
    await expect(sam.get_by_role("heading", name="Your sessions")).to_be_visible()
    await check_screen(sam, "36-phone-history")
    await f.close()
    assert time.monotonic() - started < 120


async def test_a_phone_that_goes_offline_says_so_and_comes_back_quickly(phone_server: LiveServer, phone: Any) -> None:
    alex_account, sam_account = await paired_couple(phone_server.url)
    session = await alex_account.start_session("daily", first_speaker="me")
    alex, sam = await phone(alex_account), await phone(sam_account)
    for page in (alex, sam):
        await page.goto(f"/session/{session['id']}")
    for page in (alex, sam):
        await page.get_by_role("button", name="Now is a good time").click()
    await expect(alex.get_by_test_id("answer-form")).to_be_visible()
    await expect(alex.get_by_test_id("connection")).to_have_text("Connected")

    # --- Alex's phone loses the network: it says so at once, and its countdown stops
    await scroll_to_bottom(sam)
    await alex.context.set_offline(True)
    await expect(alex.get_by_test_id("connection")).to_have_text("Reconnecting…", timeout=8_000)
    await expect(alex.locator(".timer")).to_contain_text("(paused)")
    frozen = await alex.locator(".timer").text_content()
    # The server stops hearing Alex's pongs, closes the socket, and after the grace period Sam is told.
    await expect(sam.get_by_test_id("pause-area")).to_contain_text("Alex's connection dropped", timeout=15_000)
    await expect(sam.get_by_test_id("pause-area")).to_contain_text("You can wait for Alex, or end the session kindly")
    await expect_in_view(sam, sam.get_by_role("button", name="End the session"))
    await expect(sam.get_by_test_id("presence")).to_contain_text("Alex is not connected")
    await expect(sam.locator(".timer")).to_contain_text("(paused)")
    await expect(alex.locator(".timer")).to_have_text(frozen)
    await check_screen(sam, "37-phone-partner-dropped")
    await check_screen(alex, "38-phone-offline")

    # --- The network returns: back in under 2 s, and the message clears
    back = time.monotonic()
    await alex.context.set_offline(False)
    await expect(alex.get_by_test_id("connection")).to_have_text("Connected", timeout=5_000)
    assert time.monotonic() - back < 2.0, f"reconnecting took {time.monotonic() - back:.1f} s"
    await expect(sam.get_by_test_id("pause-area")).to_be_empty()
    await expect_in_view(sam, sam.get_by_test_id("facilitator-notice").get_by_text("Alex is back"))
    await expect(alex.get_by_test_id("answer-form")).to_be_enabled()

    assert alex.errors == [] and sam.errors == []


async def test_a_connection_that_goes_quiet_is_noticed_by_its_pings(phone_server: LiveServer, phone: Any) -> None:
    """No offline event at all: the server's pongs simply stop coming. The client notices within ~15 s."""
    alex_account, _ = await paired_couple(phone_server.url)
    session = await alex_account.start_session("daily", first_speaker="me")
    alex = await phone(alex_account)
    swallowing = {"on": False}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(message))

        def from_server(message: Any) -> None:
            if not swallowing["on"]:
                ws.send(message)

        server.on_message(from_server)

    await alex.route_web_socket("**/live**", route)
    await alex.goto(f"/session/{session['id']}")
    await expect(alex.get_by_test_id("connection")).to_have_text("Connected")
    # Every state the connection line shows, however briefly.
    await alex.evaluate(
        """() => { const el = document.querySelector('[data-testid=connection]'); window.states = [];
          new MutationObserver(() => window.states.push(el.dataset.state)).observe(el, {attributes: true}); }"""
    )
    swallowing["on"] = True
    await alex.wait_for_function("window.states.includes('reconnecting')", timeout=20_000)
    swallowing["on"] = False
    await expect(alex.get_by_test_id("connection")).to_have_text("Connected", timeout=5_000)


async def test_a_session_that_ends_before_it_began_leaves_nothing_behind(phone_server: LiveServer, phone: Any) -> None:
    alex_account, sam_account = await paired_couple(phone_server.url)
    session = await alex_account.start_session("daily", first_speaker="me")
    alex = await phone(alex_account)
    await alex.goto(f"/session/{session['id']}")
    # A half-typed answer of this session (as the answer box keeps it) goes when the session ends.
    draft = f"duologue.draft.{alex_account.id}.{session['id']}.3"
    await alex.evaluate(f"sessionStorage.setItem('{draft}', 'half a thought')")
    await alex.get_by_role("button", name="Leave").click()
    await expect(alex.get_by_text("nothing is saved")).to_be_visible()
    await alex.get_by_role("button", name="Leave the session").click()
    await expect(alex.get_by_role("heading", name="The session closed before it began")).to_be_visible()
    assert await alex.evaluate(f"sessionStorage.getItem('{draft}')") is None
    await expect(alex.get_by_role("link", name="Read your summary")).to_have_count(0)
    await check_screen(alex, "39-phone-closed-before-it-began")
    assert await alex_account.call("GET", "/api/summaries") == []
    assert await sam_account.call("GET", "/api/summaries") == []
    await alex.get_by_role("link", name="History").click()
    await expect(alex.get_by_text("No sessions yet")).to_be_visible()
    # Paired partners' home pages are about the two of them: no therapist sign-up advertised.
    await alex.get_by_role("link", name="Home").click()
    await expect(alex.get_by_role("heading", name="Your partner")).to_be_visible()
    await expect(alex.get_by_role("heading", name="For therapists")).to_be_hidden()
    # Half-typed words never outlive the person who typed them: signing out forgets them.
    await alex.evaluate(f"sessionStorage.setItem('duologue.draft.{alex_account.id}.{session['id']}.3', 'half')")
    await alex.get_by_role("button", name="Sign out").click()
    await expect(alex.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
    assert await alex.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('duologue.draft.'))") == []


async def test_breathing_together_shows_one_caption_and_asks_for_no_answer(
    phone_server: LiveServer, phone: Any
) -> None:
    alex_account, sam_account = await paired_couple(phone_server.url)
    session = await alex_account.start_session("when_hard", first_speaker="me")  # it opens with the guide
    alex, sam = await phone(alex_account), await phone(sam_account)
    for page in (alex, sam):
        await page.goto(f"/session/{session['id']}")
    for page in (alex, sam):
        await page.get_by_role("button", name="Now is a good time").click()
    # No "answer" instruction, and the only caption is the word in the circle
    guide = sam.get_by_test_id("breathing-guide")
    await expect(guide).to_be_visible()
    await expect(sam.get_by_test_id("turn")).to_contain_text("Breathe together")
    for part in ("turn", "prompt"):
        assert "answer" not in (await sam.get_by_test_id(part).inner_text()).lower()
    for _ in range(4):
        captions = await guide.evaluate(
            """g => [...g.querySelectorAll('*')].filter(e => !e.children.length && e.textContent.trim()
                 && e.getBoundingClientRect().width > 2).map(e => e.textContent.trim())"""
        )
        assert captions == [await guide.locator(".breath-word").inner_text()], captions  # one caption: the circle's
        await sam.wait_for_timeout(700)
    await check_screen(sam, "40-phone-breathing")
    assert alex.errors == [] and sam.errors == []


async def test_lengths_are_said_with_the_right_plural(phone_server: LiveServer, phone: Any) -> None:
    alex_account, sam_account = await paired_couple(phone_server.url)
    session = await alex_account.start_session("daily", first_speaker="me")
    a, s = await alex_account.join(session["id"]), await sam_account.join(session["id"])
    for live in (a, s):
        await live.intent("ready")
    await a.wait_event("session_started")
    await a.intent("end")
    await a.wait_event("session_ended")
    # The session lasted a little over a minute (set in its row: waiting a real minute is not needed).
    with sqlite3.connect(Path(phone_server.env["DUOLOGUE_DATA_DIR"]) / "duologue.db") as db:
        row_id = session["id"].replace("-", "")  # SQLite keeps UUIDs as 32 hex digits
        (started,) = db.execute("SELECT started_at FROM practice_session WHERE id = ?", (row_id,)).fetchone()
        ended = datetime.fromisoformat(started) + timedelta(seconds=70)
        db.execute("UPDATE practice_session SET ended_at = ? WHERE id = ?", (ended.isoformat(sep=" "), row_id))
    alex = await phone(alex_account)
    await alex.goto(f"/summary/{session['id']}")
    await expect(alex.get_by_text("about 1 minute.")).to_be_visible()
    await alex.goto("/history")
    await expect(alex.get_by_text("About 1 minute")).to_be_visible()
    assert "1 minutes" not in await alex.locator("main").inner_text()


async def test_the_time_nearly_up_notice_comes_into_view_and_goes_with_its_step(
    phone_server: LiveServer, phone: Any
) -> None:
    alex_account, sam_account = await paired_couple(phone_server.url)
    session = await alex_account.start_session("daily", first_speaker="me")
    alex, sam = await phone(alex_account), await phone(sam_account)
    for page in (alex, sam):
        await page.goto(f"/session/{session['id']}")
    for page in (alex, sam):
        await page.get_by_role("button", name="Now is a good time").click()
    await expect(alex.get_by_test_id("answer-form")).to_be_visible()
    await scroll_to_bottom(alex)
    notice = alex.get_by_test_id("facilitator-notice")
    await expect(notice).to_contain_text("About 30 seconds left", timeout=60_000)  # the check-in step is 40 s
    await expect_in_view(alex, notice)
    await rate(alex)
    await rate(sam)
    await expect(alex.get_by_test_id("prompt")).to_contain_text("calm")  # the next question has started
    await expect(notice).to_be_hidden()
    assert alex.errors == [] and sam.errors == []
