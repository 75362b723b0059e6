"""A Python client for Duologue: an account over HTTP and live sessions over one websocket.

Used by the end-to-end tests and the load harness; also a readable reference for other clients.

    async with Account("http://127.0.0.1:8000") as alex:
        await alex.sign_up("alex@example.org", "Alex", "a long passphrase")
        live = await alex.join(session_id)
        await live.intent("ready")
        step = await live.wait_event("step_started")
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

CSRF_COOKIE = "duologue_csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "duologue_session"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class LiveError(Exception):
    """The server refused an intent with an error frame (nothing changed)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Account:
    """One person's HTTP session: cookies, CSRF token and the JSON API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=30)
        self.me: dict[str, Any] | None = None

    async def __aenter__(self) -> Account:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()

    async def call(self, method: str, path: str, json_body: Any = None, expect: int | None = None) -> Any:
        headers = {}
        if method not in ("GET", "HEAD"):
            if CSRF_COOKIE not in self.http.cookies:
                await self.http.get("/healthz")
            headers[CSRF_HEADER] = self.http.cookies[CSRF_COOKIE]
        response = await self.http.request(method, path, json=json_body, headers=headers)
        if response.status_code >= 400:
            error = response.json().get("error", {})
            raise ApiError(response.status_code, error.get("code", "?"), error.get("message", ""))
        if expect is not None and response.status_code != expect:
            raise ApiError(response.status_code, "unexpected_status", response.text)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    async def sign_up(self, email: str, display_name: str, password: str) -> dict[str, Any]:
        self.me = await self.call(
            "POST", "/api/accounts", {"email": email, "display_name": display_name, "password": password}
        )
        return self.me

    async def sign_in(self, email: str, password: str) -> dict[str, Any]:
        self.me = await self.call("POST", "/api/session", {"email": email, "password": password})
        return self.me

    @property
    def id(self) -> str:
        assert self.me is not None, "sign up or sign in first"
        return str(self.me["id"])

    async def invite(self) -> dict[str, Any]:
        return await self.call("POST", "/api/invites")

    async def accept(self, code: str) -> dict[str, Any]:
        return await self.call("POST", f"/api/invites/{code}/accept")

    async def start_session(self, plan_id: str = "daily", first_speaker: str = "random") -> dict[str, Any]:
        return await self.call("POST", "/api/sessions", {"plan_id": plan_id, "first_speaker": first_speaker})

    async def sessions(self) -> list[dict[str, Any]]:
        return await self.call("GET", "/api/sessions")

    async def summary(self, session_id: str) -> dict[str, Any]:
        return await self.call("GET", f"/api/summaries/{session_id}")

    async def summary_markdown(self, session_id: str) -> str:
        return await self.call("GET", f"/api/summaries/{session_id}/markdown")

    async def join(self, session_id: str, since: int | None = None, **options: Any) -> LiveSession:
        live = LiveSession(self, session_id, **options)
        await live.connect(since)
        return live


class LiveSession:
    """One live connection: records every frame, drops duplicates, and resumes from the last seq seen."""

    def __init__(self, account: Account, session_id: str, origin: str | None = None) -> None:
        self.account = account
        self.session_id = session_id
        self.origin = origin
        self.ws: ClientConnection | None = None
        self.last_seq = 0
        self.frames: list[dict[str, Any]] = []  # every frame received, for inspection
        self.events: list[dict[str, Any]] = []  # event frames, in order, without duplicates
        self.snapshot: dict[str, Any] | None = None
        self.connected: list[str] = []
        self.close_code: int | None = None
        self._refs = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None
        self.read_error: Exception | None = None

    @property
    def ws_url(self) -> str:
        return self.account.base_url.replace("http", "ws", 1) + f"/api/sessions/{self.session_id}/live"

    async def connect(self, since: int | None = None) -> None:
        url = self.ws_url if since is None else f"{self.ws_url}?since={since}"
        cookie = self.account.http.cookies.get(SESSION_COOKIE)
        headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
        self.ws = await connect(url, additional_headers=headers, origin=self.origin, max_size=2**20)  # type: ignore[arg-type]
        self._reader = asyncio.create_task(self._read(self.ws))

    async def reconnect(self) -> None:
        """Drop the connection and come back, asking only for what was missed."""
        await self.close()
        await self.connect(since=self.last_seq)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self.ws = None

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self._receive(json.loads(raw))
                async with self._changed:
                    self._changed.notify_all()
        except Exception as exc:  # the connection went; close_code says how
            self.read_error = exc
        finally:
            self.close_code = ws.close_code
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"connection closed ({ws.close_code})"))
            async with self._changed:
                self._changed.notify_all()

    def _receive(self, frame: dict[str, Any]) -> None:
        self.frames.append(frame)
        kind = frame.get("type")
        if kind == "event":
            if frame["seq"] <= self.last_seq:
                return  # a duplicate or an old number: already seen
            self.last_seq = frame["seq"]
            self.events.append(frame)
        elif kind == "snapshot":
            self.last_seq = max(self.last_seq, frame["seq"])
            self.snapshot = frame["state"]
            self.connected = frame["connected"]
        elif kind in ("synced", "presence"):
            self.connected = frame["connected"]
        if kind in ("ack", "error", "pong") and frame.get("ref") in self._pending:
            future = self._pending.pop(frame["ref"])
            if not future.done():
                future.set_result(frame)

    async def send_raw(self, data: str | bytes) -> None:
        assert self.ws is not None
        await self.ws.send(data)

    async def intent(self, kind: str, timeout: float = 10, **fields: Any) -> dict[str, Any]:
        """Send an intent and wait for its ack; raises LiveError when the server refuses it."""
        ref = f"r{next(self._refs)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[ref] = future
        await self.send_raw(json.dumps({"type": kind, "ref": ref, **fields}))
        frame = await asyncio.wait_for(future, timeout)
        if frame["type"] == "error":
            raise LiveError(frame["code"], frame["message"])
        return frame

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10) -> Any:
        async with self._changed:
            result = await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
        return result

    async def wait_event(self, name: str, timeout: float = 10, after: int = 0, **match: Any) -> dict[str, Any]:
        """The first event named `name` with seq > `after` whose data matches `match`."""

        def found() -> dict[str, Any] | None:
            for frame in self.events:
                matches = all(frame["data"].get(k) == v for k, v in match.items())
                if frame["seq"] > after and frame["event"] == name and matches:
                    return frame
            return None

        return await self.wait_for(found, timeout)

    def latest(self, name: str) -> dict[str, Any] | None:
        return next((f for f in reversed(self.events) if f["event"] == name), None)

    async def wait_closed(self, timeout: float = 10) -> int | None:
        await self.wait_for(lambda: self.close_code is not None, timeout)
        return self.close_code
