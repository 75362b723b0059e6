"""Inputs that deceive or overwhelm: weak passwords, names that hide or reorder text, look-alike
emails, and JSON nested deep enough to crash a parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import DEFAULT_PASSWORD, Browser, error_code, random_email


async def sign_up(browser: Browser, **fields: Any) -> Any:
    body = {"email": random_email(), "display_name": "Robin", "password": DEFAULT_PASSWORD, **fields}
    return await browser.post("/api/accounts", json=body)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", " " * 10, "password12", "1234567890", "qwertyuiop"])
async def test_very_common_or_trivial_passwords_are_refused_kindly(browser: Browser, password: str) -> None:
    response = await sign_up(browser, password=password)
    assert response.status_code == 400 and error_code(response) == "invalid_request"
    message = response.json()["error"]["message"]
    assert "short sentence" in message
    assert response.json()["error"]["fields"][0]["field"] == "password"


@pytest.mark.parametrize("password", ["plum+vexed", "a long and gentle passphrase", "Kettle sings at 7"])
async def test_ordinary_good_passwords_need_no_symbols_or_capitals(browser: Browser, password: str) -> None:
    assert (await sign_up(browser, password=password)).status_code == 201


@pytest.mark.parametrize(
    "name",
    [
        "Sam\u202eevil",  # right-to-left override: "Samlive" on screen
        "Sam\u2066x\u2069",  # isolates
        "Sam\x07",  # a control character
        "\u200b\u200b",  # only zero-width spaces
        "\u2060\ufeff ",  # invisible joiners and a space
        "\u0301\u0301",  # combining marks with nothing to sit on
    ],
)
async def test_names_that_hide_or_reorder_text_are_refused(browser: Browser, name: str) -> None:
    response = await sign_up(browser, display_name=name)
    assert response.status_code == 400, name
    assert error_code(response) == "invalid_request"


async def test_names_are_unicode_normalised(browser: Browser) -> None:
    response = await sign_up(browser, display_name="Jose\u0301")  # e + combining accent
    assert response.status_code == 201
    assert response.json()["display_name"] == "Jos\u00e9"
    changed = await browser.patch("/api/me", json={"display_name": "Sam\u202e"})
    assert changed.status_code == 400


async def test_a_full_width_look_alike_email_is_the_same_account(
    browser: Browser, new_browser: Callable[[], Any]
) -> None:
    await sign_up(browser, email="sam@example.org")
    other = await new_browser()
    look_alike = "\uff53am@example.org"  # a full-width "s"
    taken = await sign_up(other, email=look_alike)
    assert taken.status_code == 409 and error_code(taken) == "email_taken"
    signed_in = await other.sign_in(look_alike)
    assert signed_in.status_code == 200 and signed_in.json()["email"] == "sam@example.org"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/session"), ("POST", "/api/accounts"), ("PATCH", "/api/me"), ("POST", "/api/sessions")],
)
async def test_deeply_nested_json_is_a_bad_request_not_a_crash(browser: Browser, method: str, path: str) -> None:
    await browser.sign_up()
    for body in (nested(1000), '{"email": ' + nested(1000) + "}", nested(100_000)):
        response = await browser.request(method, path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, (path, response.text)
        assert set(response.json()) == {"error"}
