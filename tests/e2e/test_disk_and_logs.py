"""On the operator's disk: a private data folder, private database files, and logs without anyone's words."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

from server.live.client import Account
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_data_folder_is_0700_and_the_database_files_0600(tmp_path: Path) -> None:
    server = LiveServer(port=free_port(), env=server_env("default", tmp_path), log_path=tmp_path / "server.log")
    server.start()
    try:
        alex, _sam = await paired_couple(server.url)  # writes, so the -wal and -shm files exist
        await alex.start_session("daily")
        data = tmp_path / "var"
        assert mode(data) == 0o700
        files = [data / "duologue.db", data / "duologue.db-wal", data / "duologue.db-shm", data / "secret_key"]
        for file in files:
            assert file.exists(), file
            assert mode(file) == 0o600, (file, oct(mode(file)))
        assert mode(data / "sessions") == 0o700
    finally:
        server.stop()


async def test_an_existing_open_data_folder_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "duologue.db").touch(mode=0o644)
    data.chmod(0o755)
    (data / "duologue.db").chmod(0o644)
    server = LiveServer(port=free_port(), env=server_env("default", tmp_path), log_path=tmp_path / "server.log")
    server.start()
    try:
        assert (mode(data), mode(data / "duologue.db")) == (0o700, 0o600)
    finally:
        server.stop()


async def test_debug_logging_never_writes_sql_parameters(shared_server: LiveServer, tmp_path: Path) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    env = {**shared_server.env, "DUOLOGUE_LOG_LEVEL": "DEBUG", "DUOLOGUE_DATA_DIR": str(tmp_path / "var")}
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "debug.log")
    server.start()
    try:
        async with Account(server.url) as person:
            await person.sign_up(f"{marker}@example.org", f"Name {marker}", f"a private {marker} phrase")
            await person.call("PATCH", "/api/me", {"display_name": f"Renamed {marker}"})
        log = server.log()
        # Before the fix aiosqlite's DEBUG lines quoted every statement with its parameters here.
        assert marker not in log
    finally:
        server.stop()
