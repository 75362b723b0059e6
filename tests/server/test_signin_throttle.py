"""Throttling: counted before the password is checked, per (email, address), never a lock-out tool."""

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from server.accounts.throttle import Throttle
from server.security.counters import MemoryCounter, RedisCounter
from server.settings import Settings
from tests import backends
from tests.helpers import Browser, error_code, random_email

WRONG = "definitely not it, sorry"


async def fail_sign_in(browser: Browser, email: str, times: int) -> None:
    for _ in range(times):
        response = await browser.sign_in(email, WRONG)
        assert response.status_code == 401, response.text


async def test_five_wrong_passwords_from_one_place_pause_that_place_even_with_the_right_password(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    attacker = await new_browser()
    await fail_sign_in(attacker, email, 5)

    blocked = await attacker.sign_in(email)
    assert blocked.status_code == 429
    assert error_code(blocked) == "too_many_attempts"
    assert 1 <= int(blocked.headers["retry-after"]) <= 15 * 60
    assert (await attacker.get("/api/me")).status_code == 401


async def test_thirty_guesses_sent_together_for_one_email_check_at_most_five(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    attacker = await new_browser()
    await attacker.csrf_token()
    answers = await asyncio.gather(*(attacker.sign_in(email, f"guess number {i}!") for i in range(30)))
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) <= 5, statuses  # only these were checked against the password
    assert statuses.count(429) >= 25, statuses
    assert 500 not in statuses


async def test_the_owner_signing_in_from_another_address_still_gets_in() -> None:
    throttle = Throttle(MemoryCounter(), Settings())
    for _ in range(5):
        assert not (await throttle.admit_sign_in(email="sam@example.org", address="203.0.113.9")).blocked
    assert (await throttle.admit_sign_in(email="sam@example.org", address="203.0.113.9")).blocked
    assert not (await throttle.admit_sign_in(email="sam@example.org", address="198.51.100.7")).blocked


async def test_only_a_spread_out_flood_pauses_the_email_itself() -> None:
    settings = Settings()
    throttle = Throttle(MemoryCounter(), settings)
    for attacker in range(settings.signin_max_attempts_per_email // 5):
        for _ in range(5):
            await throttle.admit_sign_in(email="sam@example.org", address=f"10.0.{attacker}.1")
    verdict = await throttle.admit_sign_in(email="sam@example.org", address="198.51.100.7")
    assert verdict.blocked and verdict.retry_after_seconds > 0


async def test_a_window_ends_as_a_whole() -> None:
    now = [1000.0]
    throttle = Throttle(MemoryCounter(clock=lambda: now[0]), Settings())
    for _ in range(6):
        verdict = await throttle.admit_sign_in(email="a@b.org", address="1.2.3.4")
    assert verdict.blocked and verdict.retry_after_seconds == 15 * 60
    now[0] += 15 * 60 + 1
    assert not (await throttle.admit_sign_in(email="a@b.org", address="1.2.3.4")).blocked


async def test_throttling_does_not_reveal_whether_the_email_exists(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    existing = random_email()
    await browser.sign_up(email=existing)
    other = await new_browser()
    await fail_sign_in(other, existing, 5)
    unknown = random_email()
    await fail_sign_in(other, unknown, 5)

    for_existing = await other.sign_in(existing, WRONG)
    for_unknown = await other.sign_in(unknown, WRONG)
    assert for_existing.status_code == for_unknown.status_code == 429
    assert for_existing.json() == for_unknown.json()


async def test_thirty_attempts_from_one_address_pause_every_email(browser: Browser) -> None:
    for _ in range(10):
        await fail_sign_in(browser, random_email(), 3)  # 3 per email: never the per-email limit
    blocked = await browser.sign_in(random_email(), WRONG)
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


async def test_a_successful_sign_in_clears_that_places_attempts(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    other = await new_browser()
    await fail_sign_in(other, email, 4)
    assert (await other.sign_in(email)).status_code == 200
    await fail_sign_in(other, email, 4)
    assert (await other.sign_in(email)).status_code == 200


async def test_sign_up_is_throttled_per_address(new_browser: Callable[[], Any], settings: Settings) -> None:
    someone = await new_browser()
    for _ in range(settings.signup_max_per_address):
        await someone.sign_up()
    refused = await someone.post(
        "/api/accounts",
        json={"email": random_email(), "display_name": "Robin", "password": "a long and gentle passphrase"},
    )
    assert refused.status_code == 429 and error_code(refused) == "too_many_attempts"
    assert int(refused.headers["retry-after"]) > 0


async def test_invite_codes_are_throttled_per_person(browser: Browser, settings: Settings) -> None:
    await browser.sign_up()
    for i in range(settings.invite_accept_max_attempts):
        guess = await browser.post(f"/api/invites/ABCDE-{i:05d}/accept")
        assert guess.status_code == 404
    for path in ("/api/invites/ABCDE-99999/accept", "/api/facilitator-invites/ABCDE-99999/accept"):
        refused = await browser.post(path)
        assert refused.status_code == 429 and error_code(refused) == "too_many_attempts", path
    assert (await browser.get("/api/invites/ABCDE-99999")).status_code == 429


async def test_counters_count_every_parallel_hit_exactly_once() -> None:
    """One atomic increment-with-expiry: a hundred simultaneous hits see 1..100, none lost or doubled."""
    counters = [MemoryCounter()]
    if backends.TEST_REDIS_URL:
        counters.append(RedisCounter(backends.TEST_REDIS_URL, f"duologue-test-{uuid.uuid4().hex[:8]}"))
    for counter in counters:
        hits = await asyncio.gather(*(counter.hit("signin:pair:x", 900) for _ in range(100)))
        assert sorted(h.count for h in hits) == list(range(1, 101)), type(counter).__name__
        assert all(0 < h.retry_after_seconds <= 900 for h in hits)
        await counter.close()
