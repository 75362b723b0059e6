"""What the browser is told (security headers, no caching of personal data) and what it may not do
(cross-site requests, foreign Host headers)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import Settings
from tests.helpers import Browser, error_code


@pytest.mark.parametrize(
    "path", ["/", "/home", "/js/app.js", "/healthz", "/api/me", "/api/nothing-here", "/schema/openapi.json"]
)
async def test_every_answer_carries_the_security_headers(browser: Browser, path: str) -> None:
    await browser.sign_up()
    response = await browser.get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "camera=()" in response.headers["permissions-policy"]


@pytest.mark.parametrize("path", ["/api/me", "/api/sessions", "/api/summaries", "/api/couple", "/api/me/export"])
async def test_api_answers_with_personal_data_are_never_cached(browser: Browser, path: str) -> None:
    await browser.sign_up()
    assert (await browser.get(path)).headers["cache-control"] == "no-store"


async def test_the_web_page_has_no_inline_script() -> None:
    from server.web import WEB_DIR

    html = (WEB_DIR / "index.html").read_text()
    assert "<script>" not in html and "onload=" not in html and "onclick=" not in html


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"referer": "https://evil.example/page"}, {"origin": "null"}],
)
async def test_a_state_change_from_another_site_is_refused_even_with_a_valid_token(
    browser: Browser, headers: dict[str, str]
) -> None:
    await browser.sign_up(display_name="Ari")
    response = await browser.patch("/api/me", json={"display_name": "Mallory"}, headers=headers)
    assert response.status_code == 403 and error_code(response) == "cross_site_refused"
    assert (await browser.get("/api/me")).json()["display_name"] == "Ari"


@pytest.mark.parametrize(
    "headers",
    [{}, {"origin": "http://testserver.local"}, {"referer": "http://testserver.local/home"}],
)
async def test_our_own_pages_and_non_browser_clients_may_change_things(
    browser: Browser, headers: dict[str, str]
) -> None:
    await browser.sign_up(display_name="Ari")
    response = await browser.patch("/api/me", json={"display_name": "Ari B"}, headers=headers)
    assert response.status_code == 200, response.text


async def test_a_foreign_host_header_is_refused(browser: Browser) -> None:
    response = await browser.get("/api/config", headers={"host": "evil.example"})
    assert response.status_code == 400 and error_code(response) == "host_not_allowed"


async def test_invite_links_never_come_from_an_untrusted_host(browser: Browser) -> None:
    await browser.sign_up()
    refused = await browser.post("/api/invites", headers={"host": "evil.example"})
    assert refused.status_code == 400
    link = (await browser.post("/api/invites")).json()["link"]
    assert link.startswith("http://testserver.local/invite/")


async def test_invite_links_use_the_public_url_when_set(settings: Settings) -> None:
    public = dataclasses.replace(settings, public_url="https://duologue.example.org")
    async with AsyncTestClient(app=create_app(public)) as client:
        browser = Browser(client, client.app)
        await browser.sign_up()
        link = (await browser.post("/api/invites")).json()["link"]
        assert link.startswith("https://duologue.example.org/invite/")


def test_trusted_hosts_default_to_the_bound_host_localhost_and_the_public_url() -> None:
    settings = Settings(bind_host="10.1.2.3", public_url="https://duologue.example.org:8443")
    assert settings.trusted_hosts == {"10.1.2.3", "localhost", "127.0.0.1", "::1", "duologue.example.org"}
    assert "0.0.0.0" not in Settings(bind_host="0.0.0.0").trusted_hosts  # noqa: S104


async def test_nothing_here_stays_a_404_with_headers(new_browser: Callable[[], Any]) -> None:
    visitor = await new_browser()
    response = await visitor.get("/api/nothing")
    assert response.status_code == 404 and "content-security-policy" in response.headers


async def test_database_errors_never_quote_the_parameters(tmp_path: Any) -> None:
    """hide_parameters: an error's text (which may reach a log) names the statement, never the values."""
    from sqlalchemy import text

    from server.db import create_engine

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    marker = "secret-words-of-someone"
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": marker})
    except Exception as exc:
        assert marker not in str(exc)
        assert "hidden" in str(exc)
    else:
        raise AssertionError("the statement should have failed")
    finally:
        await engine.dispose()
