"""A real `duologue serve` for the benches that talk to it over HTTP: a clean environment, a free port,
and a wait for /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

DUOLOGUE = str(Path(sys.executable).with_name("duologue"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`env` is added to the caller's environment without any DUOLOGUE_*, DATABASE_URL or REDIS_URL of its
    own, so a developer's settings never leak into a measurement. Production Argon2 unless `env` says."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DUOLOGUE_", "DATABASE_URL", "REDIS_URL"))}
    clean["DUOLOGUE_DATA_DIR"] = str(folder / "var")
    log = (folder / "server.log").open("ab")
    process = subprocess.Popen(  # noqa: S603  (our own console script)
        [DUOLOGUE, "serve", "--port", str(port)], env={**clean, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the server did not start; see {folder / 'server.log'}")
