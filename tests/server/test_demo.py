"""`duologue demo`: a fresh database gets a demo couple with real history; a real one is left alone."""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from rooms.catalogue import builtin_catalogue
from server.app import create_app
from server.demo.script import BREAK_SECONDS, Script, play
from server.settings import Settings
from tests.conftest import FAST_ARGON2
from tests.helpers import Browser

DUOLOGUE = str(Path(sys.executable).with_name("duologue"))


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DUOLOGUE_"))}
    env.update(
        DUOLOGUE_DATA_DIR=str(data_dir),
        DUOLOGUE_ARGON2_TIME_COST="1",
        DUOLOGUE_ARGON2_MEMORY_KIB="8",
        DUOLOGUE_ARGON2_PARALLELISM="1",
    )
    return env


async def demo(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run, [DUOLOGUE, "demo", *args], env=_env(data_dir), capture_output=True, text=True, timeout=120
    )


def password_in(output: str) -> str:
    found = re.search(r"Password for all three: (\S+)", output)
    assert found, output
    return found.group(1)


@pytest.fixture
async def client_for(tmp_path: Path) -> AsyncIterator[Any]:
    clients: list[AsyncTestClient[Any]] = []

    async def make() -> tuple[Browser, Any]:
        settings = Settings(
            data_dir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{(tmp_path / 'duologue.db').as_posix()}",
            secret_key="test-secret-" + "x" * 20,
            allowed_hosts=("testserver.local",),
            **FAST_ARGON2,
        )
        client = AsyncTestClient(app=create_app(settings))
        await client.__aenter__()
        clients.append(client)

        async def another() -> Browser:
            return Browser(httpx.AsyncClient(transport=client._transport, base_url=client.base_url), client.app)

        return Browser(client, client.app), another

    yield make
    for client in clients:
        await client.__aexit__(None, None, None)


async def test_the_demo_fills_a_fresh_database_and_says_how_to_sign_in(tmp_path: Path, client_for: Any) -> None:
    done = await demo(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "sam@demo.duologue.test" in done.stdout and "lee@demo.duologue.test" in done.stdout
    assert "duologue serve" in done.stdout
    password = password_in(done.stdout)

    sam, another = await client_for()
    assert (await sam.sign_in("sam@demo.duologue.test", password)).status_code == 200
    sessions = (await sam.get("/api/sessions")).json()
    assert 12 * 3 <= len(sessions) <= 12 * 5  # three to five a week
    assert {s["plan_id"] for s in sessions} <= {"daily", "stress_reducing", "weekly_meeting"}
    assert all(s["status"] == "ended" for s in sessions)
    reasons = [s["end_reason"] for s in sessions]
    assert reasons.count("completed") > len(sessions) * 0.7  # most end well; a few are left early
    summaries = (await sam.get("/api/summaries")).json()
    assert len(summaries) == len(sessions)
    one = (await sam.get(f"/api/summaries/{summaries[0]['session_id']}")).json()
    assert one["markdown"]

    # Progress has all it needs: rollups of every session, weekly self-checks with a gap or two.
    progress = (await sam.get("/api/progress?weeks=12&tz=UTC")).json()
    measures = {m["key"]: m for m in progress["measures"]}
    assert sum(v or 0 for v in measures["sessions_attended"]["values"]) == len(sessions)
    worry = measures["worry"]["values"]
    assert 8 <= sum(v is not None for v in worry) <= 11 and worry[-1] is None  # Sam's self-check is due again
    assert progress["self_check"]["due"] is True
    for key, direction in (("worry", -1), ("steadiness", 1), ("satisfaction", 1)):  # a gentle trend, overall
        taken = [v for v in measures[key]["values"] if v is not None]
        assert (taken[-1] - taken[0]) * direction > 0.3, (key, taken)
    assert sum(v or 0 for v in measures["self_disclosure"]["values"]) > 0
    assert progress["recorded_scores"] and progress["recorded_scores"][0]["instrument"] == "ECR-R"

    lee = await another()
    assert (await lee.sign_in("lee@demo.duologue.test", password)).status_code == 200
    couples = (await lee.get("/api/facilitator/couples")).json()
    assert len(couples) == 1
    assert {p["display_name"] for p in couples[0]["partners"]} == {"Sam", "Alex"}


async def test_running_it_again_keeps_the_history_and_gives_a_new_password(tmp_path: Path, client_for: Any) -> None:
    first = await demo(tmp_path, "--weeks", "2")
    again = await demo(tmp_path, "--weeks", "2")
    assert again.returncode == 0, again.stderr
    assert "already here" in again.stdout
    sam, _ = await client_for()
    assert (await sam.sign_in("sam@demo.duologue.test", password_in(first.stdout))).status_code == 401
    assert (await sam.sign_in("sam@demo.duologue.test", password_in(again.stdout))).status_code == 200


async def test_a_database_with_real_accounts_is_refused_unless_forced(tmp_path: Path, client_for: Any) -> None:
    upgraded = await asyncio.to_thread(
        subprocess.run, [DUOLOGUE, "db", "upgrade"], env=_env(tmp_path), capture_output=True, timeout=120
    )
    assert upgraded.returncode == 0
    someone, _ = await client_for()
    await someone.sign_up(email="robin@example.org")

    refused = await demo(tmp_path)
    assert refused.returncode == 2
    assert "1 other account" in refused.stderr and "--force" in refused.stderr
    probe, _ = await client_for()
    assert (await probe.sign_in("sam@demo.duologue.test", "anything at all")).status_code == 401

    forced = await demo(tmp_path, "--force", "--weeks", "1")
    assert forced.returncode == 0, forced.stderr
    assert (await probe.sign_in("sam@demo.duologue.test", password_in(forced.stdout))).status_code == 200


async def test_weeks_out_of_range_are_refused_plainly(tmp_path: Path) -> None:
    done = await demo(tmp_path, "--weeks", "0")
    assert done.returncode == 2 and "1 to 104" in done.stderr


# The scripted sessions themselves: pure, through the real engine.


@pytest.mark.parametrize("plan_id", ["daily", "stress_reducing", "weekly_meeting"])
def test_a_scripted_session_runs_the_whole_plan_through_the_real_engine(plan_id: str) -> None:
    played = play(
        builtin_catalogue().plans[plan_id], ("a", "b"), start=1_700_000_000.0, rng=random.Random(1), script=Script(0.5)
    )
    assert played.state.phase == "ended" and played.state.end_reason == "completed"
    assert [e.seq for e in played.events] == list(range(1, len(played.events) + 1))
    assert all(later.at >= earlier.at for earlier, later in zip(played.events, played.events[1:], strict=False))
    assert played.events[-1].type == "session_ended"
    assert not any(e.type == "step_skipped" for e in played.events)
    assert played.state.answers and not any(a.timed_out for a in played.state.answers)  # everyone answered in time


def test_a_scripted_break_and_an_early_ending_happen_as_in_a_real_session() -> None:
    plan = builtin_catalogue().plans["daily"]
    paused = play(plan, ("a", "b"), start=0.0, rng=random.Random(2), script=Script(0.3, break_at_step=3, break_by=1))
    kinds = [e.type for e in paused.events]
    assert "space_requested" in kinds and "space_ended" in kinds
    assert paused.state.end_reason == "completed"
    assert paused.state.spaces[0].who == "b"
    assert paused.state.ended_at - paused.state.started_at > BREAK_SECONDS * 0.7

    left = play(plan, ("a", "b"), start=0.0, rng=random.Random(3), script=Script(0.3, leave_early_at_step=4))
    assert left.state.end_reason == "ended_early"
