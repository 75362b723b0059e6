"""A page on another site cannot make a signed-in browser change anything."""

from typing import Any

import pytest

from tests.helpers import CSRF_HEADER, Browser, error_code


async def test_a_forged_request_without_the_token_is_refused(browser: Browser) -> None:
    await browser.sign_up()
    # A cross-site form post carries the session cookie but cannot read or send our CSRF token.
    forged = await browser.client.post("/api/invites")
    assert forged.status_code == 403
    assert error_code(forged) == "csrf_failed"
    listed = await browser.get("/api/invites")
    assert listed.json() == []


async def test_a_guessed_token_is_refused(browser: Browser) -> None:
    await browser.sign_up()
    forged = await browser.client.post("/api/invites", headers={CSRF_HEADER: "0" * 128})
    assert forged.status_code == 403
    assert (await browser.get("/api/invites")).json() == []


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/session", {"email": "a@b.org", "password": "whatever it is"}),
        ("DELETE", "/api/session", None),
        ("PATCH", "/api/me", {"display_name": "Mallory"}),
        ("DELETE", "/api/couple", None),
    ],
)
async def test_every_state_changing_endpoint_needs_the_token(
    browser: Browser, method: str, url: str, body: Any
) -> None:
    me = await browser.sign_up(display_name="Ari")
    response = await browser.client.request(method, url, json=body)
    assert response.status_code == 403
    assert (await browser.get("/api/me")).json() == me


async def test_the_same_request_with_the_token_goes_through(browser: Browser) -> None:
    await browser.sign_up()
    assert (await browser.post("/api/invites")).status_code == 201
