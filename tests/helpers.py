"""Small helpers that make tests read like what a person does."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from litestar import Litestar

CSRF_COOKIE = "duologue_csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "duologue_session"
DEFAULT_PASSWORD = "a long and gentle passphrase"


def random_email() -> str:
    return f"partner-{uuid.uuid4().hex[:10]}@example.org"


class Browser:
    """One person's HTTP client: keeps cookies and sends the CSRF token the way the web app does."""

    def __init__(self, client: httpx.AsyncClient, app: Litestar) -> None:
        self.client = client
        self.app = app

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.client.cookies.jar if c.name == SESSION_COOKIE), None)

    def use_session_cookie(self, value: str) -> None:
        """Replace this browser's session cookie, as a planted or copied cookie would."""
        for cookie in [c for c in self.client.cookies.jar if c.name == SESSION_COOKIE]:
            self.client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
        self.client.cookies.set(SESSION_COOKIE, value, domain="testserver.local", path="/")

    async def csrf_token(self) -> str:
        if CSRF_COOKIE not in self.client.cookies:
            await self.client.get("/healthz")
        return self.client.cookies[CSRF_COOKIE]

    async def request(self, method: str, url: str, **kwargs: Any) -> Any:
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
            headers = dict(kwargs.pop("headers", {}) or {})
            headers.setdefault(CSRF_HEADER, await self.csrf_token())
            kwargs["headers"] = headers
        return await self.client.request(method, url, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> Any:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> Any:
        return await self.request("POST", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> Any:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> Any:
        return await self.request("DELETE", url, **kwargs)

    async def sign_up(
        self, *, email: str | None = None, display_name: str = "Robin", password: str = DEFAULT_PASSWORD
    ) -> dict[str, Any]:
        response = await self.post(
            "/api/accounts",
            json={"email": email or random_email(), "display_name": display_name, "password": password},
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def sign_in(self, email: str, password: str = DEFAULT_PASSWORD) -> Any:
        return await self.post("/api/session", json={"email": email, "password": password})


def error_code(response: Any) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]
