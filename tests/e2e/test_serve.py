"""`duologue serve` as a new user runs it: a real process, real sockets, migrations applied by itself."""

import sqlite3
import subprocess
from pathlib import Path

import httpx

from tests.e2e.conftest import DUOLOGUE, LiveServer, free_port, server_env
from tests.helpers import DEFAULT_PASSWORD, random_email


def test_serve_migrates_and_answers_health_and_accounts(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url) as client:
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
        token = client.cookies["duologue_csrf"]
        email = random_email()
        created = client.post(
            "/api/accounts",
            json={"email": email, "display_name": "Robin", "password": DEFAULT_PASSWORD},
            headers={"x-csrf-token": token},
        )
        assert created.status_code == 201, created.text
        assert client.get("/api/me").json()["email"] == email


def test_default_mode_keeps_its_sqlite_file_in_the_data_folder(live_server: LiveServer) -> None:
    if "DATABASE_URL" in live_server.env:
        return  # the scaled variant keeps its data in PostgreSQL
    data_dir = Path(live_server.env["DUOLOGUE_DATA_DIR"])
    assert (data_dir / "duologue.db").exists()
    assert "Duologue is ready at" in live_server.log()


def test_accounts_survive_a_restart(live_server: LiveServer) -> None:
    email = random_email()
    with httpx.Client(base_url=live_server.url) as client:
        client.get("/healthz")
        client.post(
            "/api/accounts",
            json={"email": email, "display_name": "Robin", "password": DEFAULT_PASSWORD},
            headers={"x-csrf-token": client.cookies["duologue_csrf"]},
        )
    live_server.stop()
    live_server.start()
    with httpx.Client(base_url=live_server.url) as client:
        client.get("/healthz")
        response = client.post(
            "/api/session",
            json={"email": email, "password": DEFAULT_PASSWORD},
            headers={"x-csrf-token": client.cookies["duologue_csrf"]},
        )
        assert response.status_code == 200


def test_several_workers_are_refused_without_the_scaled_mode(tmp_path: Path) -> None:
    env = server_env("default", tmp_path)
    done = subprocess.run(
        [DUOLOGUE, "serve", "--workers", "2", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--workers needs the scaled mode" in done.stderr and "PostgreSQL" in done.stderr


def test_a_backup_taken_while_serving_holds_the_accounts(live_server: LiveServer, tmp_path: Path) -> None:
    if "DATABASE_URL" in live_server.env:
        return  # PostgreSQL is backed up with pg_dump (docs/operations.md)
    email = random_email()
    with httpx.Client(base_url=live_server.url) as client:
        client.get("/healthz")
        client.post(
            "/api/accounts",
            json={"email": email, "display_name": "Robin", "password": DEFAULT_PASSWORD},
            headers={"x-csrf-token": client.cookies["duologue_csrf"]},
        )
    target = tmp_path / "backups" / "duologue.db"
    done = subprocess.run(
        [DUOLOGUE, "db", "backup", str(target)], env=live_server.env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Backed up the database" in done.stdout
    assert target.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM user WHERE email = ?", (email,)).fetchone() == (1,)
