"""Sign-in throttling: 5 failures per email or 20 per address in 15 minutes, without revealing accounts."""

from collections.abc import Callable
from typing import Any

from litestar.stores.memory import MemoryStore

from server.accounts.throttle import SignInThrottle
from tests.helpers import Browser, error_code, random_email


async def fail_sign_in(browser: Browser, email: str, times: int) -> None:
    for _ in range(times):
        response = await browser.sign_in(email, "definitely not it!")
        assert response.status_code == 401, response.text


async def test_five_failures_for_one_email_pause_sign_in_even_with_the_right_password(
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


async def test_throttling_does_not_reveal_whether_the_email_exists(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    existing = random_email()
    await browser.sign_up(email=existing)
    other = await new_browser()
    await fail_sign_in(other, existing, 5)
    await fail_sign_in(other, random_email() + ".unknown", 0)
    unknown = random_email()
    await fail_sign_in(other, unknown, 5)

    for_existing = await other.sign_in(existing, "definitely not it!")
    for_unknown = await other.sign_in(unknown, "definitely not it!")
    assert for_existing.status_code == for_unknown.status_code == 429
    assert for_existing.json() == for_unknown.json()


async def test_twenty_failures_from_one_address_pause_every_email(browser: Browser) -> None:
    for _ in range(5):
        await fail_sign_in(browser, random_email(), 4)  # 4 per email: never the per-email limit
    blocked = await browser.sign_in(random_email(), "definitely not it!")
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


async def test_a_successful_sign_in_clears_that_emails_failures(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    other = await new_browser()
    await fail_sign_in(other, email, 4)
    assert (await other.sign_in(email)).status_code == 200
    await fail_sign_in(other, email, 4)
    assert (await other.sign_in(email)).status_code == 200


async def test_the_window_slides_failures_older_than_fifteen_minutes_stop_counting() -> None:
    throttle = SignInThrottle(store=MemoryStore(), max_per_email=5, max_per_address=20, window_seconds=900)
    start = 1_000_000.0
    for minute in range(5):
        await throttle.record_failure(email="a@b.org", address="1.2.3.4", now=start + minute * 60)
    verdict = await throttle.check(email="a@b.org", address="1.2.3.4", now=start + 5 * 60)
    assert verdict.blocked
    assert verdict.retry_after_seconds == 600  # the first failure ages out at minute 15

    assert (await throttle.check(email="a@b.org", address="1.2.3.4", now=start + 14 * 60 + 59)).blocked
    assert not (await throttle.check(email="a@b.org", address="1.2.3.4", now=start + 15 * 60 + 1)).blocked
    assert not (await throttle.check(email="other@b.org", address="5.6.7.8", now=start + 5 * 60)).blocked
