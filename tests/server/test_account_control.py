"""Each person's control of their own sign-ins: change the password, sign out everywhere, sessions that end."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from litestar.stores.redis import RedisStore
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import Settings
from tests.helpers import DEFAULT_PASSWORD, Browser, error_code, random_email

NEW_PASSWORD = "another calm sentence for later"


async def signed_in_twice(browser: Browser, new_browser: Callable[[], Any]) -> tuple[str, Browser]:
    email = random_email()
    await browser.sign_up(email=email)
    phone = await new_browser()
    assert (await phone.sign_in(email)).status_code == 200
    return email, phone


async def test_changing_the_password_needs_the_current_one(browser: Browser) -> None:
    await browser.sign_up()
    wrong = await browser.post(
        "/api/me/password", json={"current_password": "not the right one!", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 403 and error_code(wrong) == "wrong_password"
    weak = await browser.post(
        "/api/me/password", json={"current_password": DEFAULT_PASSWORD, "new_password": "password12"}
    )
    assert weak.status_code == 400 and error_code(weak) == "invalid_request"


async def test_changing_the_password_signs_out_every_other_sign_in(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email, phone = await signed_in_twice(browser, new_browser)
    changed = await browser.post(
        "/api/me/password", json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 204
    assert (await browser.get("/api/me")).status_code == 200  # this device stays signed in
    assert (await phone.get("/api/me")).status_code == 401
    assert (await phone.sign_in(email)).status_code == 401  # the old password no longer works
    assert (await phone.sign_in(email, NEW_PASSWORD)).status_code == 200


async def test_sign_out_everywhere_ends_every_sign_in(browser: Browser, new_browser: Callable[[], Any]) -> None:
    email, phone = await signed_in_twice(browser, new_browser)
    old_cookie = phone.session_cookie()
    assert (await phone.post("/api/me/sign-out-everywhere")).status_code == 204
    for device in (browser, phone):
        assert (await device.get("/api/me")).status_code == 401
    thief = await new_browser()
    assert old_cookie is not None
    thief.use_session_cookie(old_cookie)  # a copied cookie is dead too
    assert (await thief.get("/api/me")).status_code == 401
    assert (await phone.sign_in(email)).status_code == 200  # and signing in again works


@pytest.fixture
async def short_lived(settings: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    """Sign-ins that last two seconds, however busy they are (the absolute lifetime, shortened)."""
    quick = dataclasses.replace(settings, session_absolute_days=2 / 86400)
    async with AsyncTestClient(app=create_app(quick)) as client:
        yield client


async def test_a_sign_in_ends_after_its_absolute_lifetime_even_when_used_all_along(
    short_lived: AsyncTestClient[Any],
) -> None:
    browser = Browser(short_lived, short_lived.app)
    await browser.sign_up()
    started = time.monotonic()
    status = 200
    while status == 200 and time.monotonic() - started < 30:
        status = (await browser.get("/api/me")).status_code  # in use all the time: idle expiry never comes
        await asyncio.sleep(0.2)
    assert status == 401
    assert time.monotonic() - started >= 1.5


def test_the_lifetimes_are_fourteen_days_idle_and_thirty_days_in_all() -> None:
    assert (Settings().session_idle_days, Settings().session_absolute_days) == (14, 30)


async def test_signing_in_rotates_the_csrf_token(browser: Browser, new_browser: Callable[[], Any]) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    other = await new_browser()
    before = await other.csrf_token()
    assert (await other.sign_in(email)).status_code == 200
    after = await other.csrf_token()
    assert after != before
    stale = await other.client.post("/api/invites", headers={"x-csrf-token": before})
    assert stale.status_code == 403 and error_code(stale) == "csrf_failed"
    assert (await other.post("/api/invites")).status_code == 201


async def test_hashing_never_holds_a_database_connection(browser: Browser, new_browser: Callable[[], Any]) -> None:
    """While a sign-in's password is being checked, no pooled connection is checked out for it."""
    email = random_email()
    await browser.sign_up(email=email)
    app = browser.app
    passwords = app.state.passwords
    engine = app.state.db_sessions.kw["bind"]
    original = passwords._verify_sync
    held: list[int] = []

    def measuring_verify(password_hash: str, password: str) -> bool:
        held.append(engine.pool.checkedout())  # taken while the hash is being computed
        return original(password_hash, password)

    passwords._verify_sync = measuring_verify
    try:
        other = await new_browser()
        assert (await other.sign_in(email)).status_code == 200
    finally:
        passwords._verify_sync = original
    assert held == [0]


async def test_a_saturated_hashing_pool_answers_at_once_with_retry_after(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    passwords = browser.app.state.passwords
    passwords._in_flight = passwords.capacity  # as if every worker and queue place were taken
    try:
        other = await new_browser()
        started = time.monotonic()
        busy = await other.sign_in(random_email())
        assert time.monotonic() - started < 5
        assert busy.status_code == 429 and error_code(busy) == "busy"
        assert int(busy.headers["retry-after"]) >= 1
        signing_up = await other.post(
            "/api/accounts", json={"email": random_email(), "display_name": "Robin", "password": DEFAULT_PASSWORD}
        )
        assert signing_up.status_code == 429
    finally:
        passwords._in_flight = 0


def test_the_hashing_pool_is_sized_to_the_cores() -> None:
    import os

    from server.accounts.passwords import PasswordService

    service = PasswordService.with_parameters(time_cost=1, memory_kib=8, parallelism=1)
    assert service.workers == max(1, (os.cpu_count() or 2) - 1)
    service.close()


_ = httpx  # the Browser's client type


async def test_guessing_the_current_password_while_signed_in_is_throttled(browser: Browser) -> None:
    await browser.sign_up()
    for _ in range(5):
        wrong = await browser.post("/api/me/delete", json={"password": "is it this one?"})
        assert wrong.status_code == 403
    refused = await browser.post(
        "/api/me/password", json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert refused.status_code == 429 and error_code(refused) == "too_many_attempts"
    assert (await browser.get("/api/me")).status_code == 200  # still signed in, account untouched


async def test_a_busy_answer_does_not_count_against_the_person(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    passwords = browser.app.state.passwords
    other = await new_browser()
    passwords._in_flight = passwords.capacity
    try:
        for _ in range(8):
            assert (await other.sign_in(email)).status_code == 429
    finally:
        passwords._in_flight = 0
    assert (await other.sign_in(email)).status_code == 200


async def test_a_sign_in_from_before_lifetimes_were_recorded_still_works(browser: Browser, settings: Settings) -> None:
    """Upgrading signs nobody out: an older stored session (no start time, no generation) stays valid."""
    await browser.sign_up()
    store = browser.app.stores.get("sessions")
    if settings.redis_url:  # the app's Redis client belongs to the app's loop: use one of our own
        store = RedisStore.with_client(url=settings.redis_url, namespace=settings.redis_namespace).with_namespace(
            "sessions"
        )
    session_id = browser.session_cookie()
    assert session_id is not None
    raw = await store.get(session_id)
    stored = json.loads(raw)
    await store.set(session_id, json.dumps({"user_id": stored["user_id"]}).encode())
    assert (await browser.get("/api/me")).status_code == 200
