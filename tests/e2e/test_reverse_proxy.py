"""The nginx configuration in docs/deploy, as written there, in front of two real processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.live.client import LiveSession
from tests import backends
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple, started_session

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.skipif(not backends.TEST_DATABASE_URL, reason="needs PostgreSQL and Redis (CI has them)"),
    pytest.mark.skipif(
        NGINX is None and not os.environ.get("CI"), reason="nginx is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture
def proxied(tmp_path: Path, postgres_ready: bool) -> Iterator[tuple[str, list[LiveServer]]]:
    assert NGINX is not None, "CI installs nginx: the reverse-proxy configuration must be tested"
    env = server_env("scaled", tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS="1", DUOLOGUE_SECRET_KEY="k" * 40)
    servers = [
        LiveServer(port=free_port(), env=env, log_path=tmp_path / f"app{i}.log", extra_args=("--proxy-headers",))
        for i in range(2)
    ]
    for server in servers:
        server.start()
    proxy_port = free_port()
    config = (
        CONFIG.read_text()
        .replace("127.0.0.1:8001", f"127.0.0.1:{servers[0].port}")
        .replace("127.0.0.1:8002", f"127.0.0.1:{servers[1].port}")
        .replace("listen 8080;", f"listen 127.0.0.1:{proxy_port};")
        .replace("/run/nginx-duologue.pid", str(tmp_path / "nginx.pid"))
    )
    (tmp_path / "nginx.conf").write_text(config)
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=(tmp_path / "nginx.out").open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{proxy_port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert nginx.poll() is None, (tmp_path / "nginx.out").read_text()
        assert time.monotonic() < deadline, "nginx did not answer"
        time.sleep(0.1)
    yield url, servers
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in servers:
        server.stop()


async def test_a_couple_practises_through_the_proxy_and_survives_a_process_restart(
    proxied: tuple[str, list[LiveServer]],
) -> None:
    url, servers = proxied
    alex, sam = await paired_couple(url)
    session_id, a, s = await started_session(alex, sam)
    await a.intent("submit", step_no=1, value=5)
    await s.intent("submit", step_no=1, value=4)
    await a.wait_event("step_started", step_no=2)

    # A deploy restarts one process at a time; the one serving them (the path names the session, so
    # both sockets are on one process) closes their sockets, and they come back through the proxy.
    for server in servers:
        server.stop()
        server.start()
    for live in (a, s):
        await live.wait_closed(timeout=20)
        await live.connect(since=live.last_seq)
    step_two = (await a.wait_event("step_started", step_no=2))["data"]
    await asyncio.wait_for(_answer_until_accepted(a, step_two["step_no"], 6), 30)
    await asyncio.wait_for(_answer_until_accepted(s, step_two["step_no"], 2), 30)
    await s.wait_event("step_started", step_no=3, timeout=20)
    history = await sam.join(session_id, since=0)
    await history.wait_for(lambda: any(f["type"] == "synced" for f in history.frames))
    seqs = [f["seq"] for f in history.events]
    assert seqs == sorted(set(seqs))


async def test_the_origin_check_holds_behind_the_proxy(proxied: tuple[str, list[LiveServer]]) -> None:
    url, _servers = proxied
    alex, sam = await paired_couple(url)
    session = await alex.start_session("daily", first_speaker="me")
    own = await alex.join(session["id"], origin=url)  # the page the proxy serves
    await own.wait_for(lambda: own.snapshot is not None)
    other = await sam.join(session["id"], origin="https://elsewhere.example")
    assert await other.wait_closed() == 4403


async def _answer_until_accepted(live: LiveSession, step_no: int, value: int) -> None:
    """Right after a restart an answer may meet a pause (someone still reconnecting): wait and resend."""
    while True:
        try:
            await live.intent("submit", step_no=step_no, value=value)
            return
        except Exception as exc:
            if "already_answered" in str(exc):
                return
            await asyncio.sleep(0.3)
