"""A device that goes quiet (no close, no answers to pings) is noticed by the server, and the partner is told.

The quiet device is a raw TCP socket that completes the websocket handshake and then never reads
again, like a phone whose network vanished: its socket stays "open" until the server's ping goes
unanswered. Pings here come every second (`DUOLOGUE_WS_PING_SECONDS=1`), the grace period is one second.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.live.client import SESSION_COOKIE, Account
from tests import backends
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple


@pytest.fixture(params=backends.BACKENDS)
def pinging_server(request: pytest.FixtureRequest, tmp_path: Path, postgres_ready: bool) -> Iterator[LiveServer]:
    env = server_env(request.param, tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS="1", DUOLOGUE_WS_PING_SECONDS="1")
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


async def quiet_device(server: LiveServer, account: Account, session_id: str) -> asyncio.StreamWriter:
    """Open the live socket by hand, read the handshake answer, then never read (nor answer a ping) again."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    key = base64.b64encode(os.urandom(16)).decode()
    cookie = account.http.cookies.get(SESSION_COOKIE)
    writer.write(
        (
            f"GET /api/sessions/{session_id}/live HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: {server.url}\r\nCookie: {SESSION_COOKIE}={cookie}\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    assert b" 101 " in status, status
    return writer


async def test_the_server_closes_a_socket_that_stops_answering_pings(pinging_server: LiveServer) -> None:
    alex, sam = await paired_couple(pinging_server.url)
    session = await alex.start_session("daily", first_speaker="me")
    s = await sam.join(session["id"])
    quiet = await quiet_device(pinging_server, alex, session["id"])
    await s.wait_for(lambda: alex.id in s.connected)

    # Alex's device never answers: within ping interval + timeout + grace, Sam sees Alex gone.
    went_quiet = time.monotonic()
    await s.wait_for(lambda: alex.id not in s.connected, timeout=15)
    assert time.monotonic() - went_quiet < 10
    quiet.close()
    await s.close()
