from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import DEFAULT_PASSWORD, Browser, error_code, random_email


async def test_sign_up_signs_you_in_and_tells_you_who_you_are(browser: Browser) -> None:
    me = await browser.sign_up(email="  Alex.Doe@Example.ORG ", display_name="  Alex   Doe ")
    assert me["email"] == "alex.doe@example.org"
    assert me["display_name"] == "Alex Doe"
    assert "password" not in me and "password_hash" not in me

    response = await browser.get("/api/me")
    assert response.status_code == 200
    assert response.json()["id"] == me["id"]


async def test_an_email_can_only_be_registered_once_whatever_its_case(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    other = await new_browser()
    response = await other.post(
        "/api/accounts",
        json={"email": f" {email.upper()} ", "display_name": "Someone", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 409
    assert error_code(response) == "email_taken"
    assert "already exists" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 10 characters"), ("x" * 1025, "at most 1,024")],
)
async def test_password_rules_are_stated_in_the_error(browser: Browser, password: str, reason: str) -> None:
    response = await browser.post(
        "/api/accounts", json={"email": random_email(), "display_name": "Sam", "password": password}
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"
    assert reason in response.json()["error"]["message"]
    assert response.json()["error"]["fields"][0]["field"] == "password"


async def test_passwords_at_the_limits_are_accepted(browser: Browser, new_browser: Callable[[], Any]) -> None:
    await browser.sign_up(password="plum+vexed")
    other = await new_browser()
    await other.sign_up(password=("quiet rivers carry small boats home " * 40)[:1024])


async def test_sign_in_and_sign_out(browser: Browser, new_browser: Callable[[], Any]) -> None:
    email = random_email()
    await browser.sign_up(email=email)

    laptop = await new_browser()
    response = await laptop.sign_in(email.upper())
    assert response.status_code == 200
    assert (await laptop.get("/api/me")).status_code == 200

    assert (await laptop.delete("/api/session")).status_code == 204
    response = await laptop.get("/api/me")
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"


async def test_sign_out_invalidates_the_session_on_the_server(browser: Browser, new_browser: Callable[[], Any]) -> None:
    await browser.sign_up()
    stolen_cookie = browser.session_cookie()
    assert stolen_cookie
    assert (await browser.delete("/api/session")).status_code == 204

    # Someone who copied the cookie before sign-out cannot use it afterwards.
    thief = await new_browser()
    thief.use_session_cookie(stolen_cookie)
    assert (await thief.get("/api/me")).status_code == 401


async def test_the_session_id_changes_at_sign_in(browser: Browser, new_browser: Callable[[], Any]) -> None:
    email = random_email()
    await browser.sign_up(email=email)

    victim = await new_browser()
    await victim.get("/healthz")
    planted = "a" * 64  # a session id an attacker chose and planted before the victim signed in
    victim.use_session_cookie(planted)
    assert (await victim.sign_in(email)).status_code == 200
    assert victim.session_cookie() not in (None, planted)

    attacker = await new_browser()
    attacker.use_session_cookie(planted)
    assert (await attacker.get("/api/me")).status_code == 401


async def test_session_cookie_is_httponly_and_samesite_lax(browser: Browser) -> None:
    response = await browser.post(
        "/api/accounts", json={"email": random_email(), "display_name": "Kit", "password": DEFAULT_PASSWORD}
    )
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("duologue_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie


async def test_wrong_password_and_unknown_email_get_the_same_answer(browser: Browser) -> None:
    email = random_email()
    await browser.sign_up(email=email)
    await browser.delete("/api/session")

    wrong_password = await browser.sign_in(email, "not the right passphrase")
    unknown_email = await browser.sign_in(random_email(), "not the right passphrase")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()


async def test_change_display_name_and_email_sharing(browser: Browser) -> None:
    await browser.sign_up(display_name="Jo")
    response = await browser.patch("/api/me", json={"display_name": "Joanna", "share_email_with_partner": True})
    assert response.status_code == 200
    me = (await browser.get("/api/me")).json()
    assert me["display_name"] == "Joanna"
    assert me["share_email_with_partner"] is True

    blank = await browser.patch("/api/me", json={"display_name": "   "})
    assert blank.status_code == 400
    assert (await browser.get("/api/me")).json()["display_name"] == "Joanna"
