"""A real `duologue serve` process on a free port, for tests that use real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import backends

DUOLOGUE = str(Path(sys.executable).with_name("duologue"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    extra_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [DUOLOGUE, "serve", "--port", str(self.port), *self.extra_args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Die without any chance to clean up, as a crashed process would."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def server_env(backend: str, folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DUOLOGUE_"))}
    env.update(
        DUOLOGUE_DATA_DIR=str(folder / "var"),
        DUOLOGUE_ARGON2_TIME_COST="1",
        DUOLOGUE_ARGON2_MEMORY_KIB="8",
        DUOLOGUE_ARGON2_PARALLELISM="1",
        DUOLOGUE_LOG_LEVEL="INFO",
        # Whole modules share one server and one address: the per-address abuse limits would trip.
        DUOLOGUE_SIGNUP_MAX_PER_ADDRESS="100000",
        DUOLOGUE_SIGNIN_MAX_PER_ADDRESS="100000",
        DUOLOGUE_INVITE_MAX_ATTEMPTS="100000",
        **extra,
    )
    if backend == "scaled":
        scaled = backends.scaled_backend()
        env.update(DATABASE_URL=scaled.database_url, DUOLOGUE_REDIS_NAMESPACE=scaled.redis_namespace)
        if scaled.redis_url:
            env["REDIS_URL"] = scaled.redis_url
    return env


@pytest.fixture(params=backends.BACKENDS)
def live_server(request: pytest.FixtureRequest, tmp_path: Path, postgres_ready: bool) -> Iterator[LiveServer]:
    """A server of one's own, for tests that stop, restart or kill it."""
    env = server_env(request.param, tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS="1")
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module", params=backends.BACKENDS)
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_ready: bool
) -> Iterator[LiveServer]:
    """One server for a whole test module; each test makes its own people, so tests stay independent."""
    folder = tmp_path_factory.mktemp("server")
    env = server_env(request.param, folder, DUOLOGUE_PRESENCE_GRACE_SECONDS="1")
    server = LiveServer(port=free_port(), env=env, log_path=folder / "server.log")
    server.start()
    yield server
    server.stop()
