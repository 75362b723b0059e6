"""Bad input gets one clear JSON error shape, never a stack trace or a 500."""

from typing import Any

import pytest

from tests.helpers import DEFAULT_PASSWORD, Browser, error_code, random_email


async def test_malformed_json_is_a_clear_400(browser: Browser) -> None:
    response = await browser.post(
        "/api/accounts", content=b'{"email": "a@b.org",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "Sam", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "sam@example.org", "password": DEFAULT_PASSWORD}, "display_name"),
        ({"email": "sam@example.org", "display_name": "Sam"}, "password"),
        ({"email": 42, "display_name": "Sam", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "sam@example.org", "display_name": ["Sam"], "password": DEFAULT_PASSWORD}, "display_name"),
        ({"email": "sam@example.org", "display_name": "Sam", "password": 1234567890123}, "password"),
        ({"email": "not-an-email", "display_name": "Sam", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "a" * 250 + "@example.org", "display_name": "Sam", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "sam@example.org", "display_name": "S" * 61, "password": DEFAULT_PASSWORD}, "display_name"),
        ({"email": "sam@example.org", "display_name": "   ", "password": DEFAULT_PASSWORD}, "display_name"),
    ],
)
async def test_missing_wrong_or_overlong_fields_name_the_field(
    browser: Browser, body: dict[str, Any], field: str
) -> None:
    response = await browser.post("/api/accounts", json=body)
    assert response.status_code == 400, response.text
    assert error_code(response) == "invalid_request"
    assert field in [problem["field"] for problem in response.json()["error"]["fields"]]


async def test_a_body_that_is_not_an_object_is_a_clear_400(browser: Browser) -> None:
    response = await browser.post("/api/accounts", json=["sam@example.org"])
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


async def test_overlong_sign_in_fields_are_refused_before_any_work(browser: Browser) -> None:
    response = await browser.post("/api/session", json={"email": random_email(), "password": "p" * 5000})
    assert response.status_code == 400
    assert error_code(response) == "invalid_request"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/me"),
        ("PATCH", "/api/me"),
        ("DELETE", "/api/session"),
        ("GET", "/api/invites"),
        ("POST", "/api/invites"),
        ("GET", "/api/invites/ABCDE-FGHJK"),
        ("DELETE", "/api/invites/ABCDE-FGHJK"),
        ("POST", "/api/invites/ABCDE-FGHJK/accept"),
        ("GET", "/api/couple"),
        ("DELETE", "/api/couple"),
    ],
)
async def test_signed_out_requests_are_told_to_sign_in(browser: Browser, method: str, url: str) -> None:
    response = await browser.request(method, url, json={} if method in {"POST", "PATCH"} else None)
    assert response.status_code == 401
    assert error_code(response) == "not_signed_in"


async def test_unknown_api_paths_and_methods_use_the_same_shape(browser: Browser) -> None:
    await browser.sign_up()
    assert error_code(await browser.get("/api/nothing-here")) == "not_found"
    response = await browser.request("PUT", "/api/me", json={})
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
