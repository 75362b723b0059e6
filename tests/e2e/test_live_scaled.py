"""Several real server processes on one PostgreSQL and Redis: shared presence, ownership that moves when
a process dies, and nothing lost when processes start, stop or crash."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.live.client import LiveSession
from tests import backends
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple, started_session

pytestmark = pytest.mark.skipif(not backends.TEST_DATABASE_URL, reason="needs PostgreSQL and Redis (CI has them)")

GRACE_SECONDS = 1


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = server_env(
            "scaled", folder, DUOLOGUE_PRESENCE_GRACE_SECONDS=str(GRACE_SECONDS), DUOLOGUE_SECRET_KEY="s" * 40
        )
        self.servers: list[LiveServer] = []

    def add(self) -> LiveServer:
        index = len(self.servers)
        server = LiveServer(port=free_port(), env=self.env, log_path=self.folder / f"server{index}.log")
        server.start()
        self.servers.append(server)
        return server

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture
def cluster(tmp_path: Path, postgres_ready: bool) -> Iterator[Cluster]:
    group = Cluster(tmp_path)
    group.add()
    group.add()
    yield group
    group.stop()


def names(live: LiveSession) -> list[str]:
    return [f["event"] for f in live.events]


async def split_couple(cluster: Cluster) -> tuple:
    """Alex signs in and connects through process 0 (which therefore runs the session), Sam through 1."""
    first, second = cluster.servers[0], cluster.servers[1]
    alex, sam = await paired_couple(first.url)
    sam.base_url = second.url  # the same sign-in (shared in Redis), now through the other process
    session_id, a, s = await started_session(alex, sam)
    return alex, sam, session_id, a, s


async def test_partners_on_different_processes_see_each_other_and_nothing_pauses(cluster: Cluster) -> None:
    alex, sam, _session_id, a, s = await split_couple(cluster)
    both = {alex.id, sam.id}
    await a.wait_for(lambda: set(a.connected) == both)
    await s.wait_for(lambda: set(s.connected) == both)
    await asyncio.sleep(GRACE_SECONDS * 3)  # longer than the grace period: a per-process count would pause here
    await s.intent("submit", step_no=1, value=4)
    await a.intent("submit", step_no=1, value=5)
    await a.wait_event("step_started", step_no=2)
    await s.wait_event("step_started", step_no=2)
    assert "participant_away" not in names(a) + names(s) and "paused" not in names(a) + names(s)
    assert [f["seq"] for f in a.events] == sorted({f["seq"] for f in a.events})


async def test_a_third_process_starting_mid_session_changes_nothing(cluster: Cluster) -> None:
    _alex, _sam, _session_id, a, s = await split_couple(cluster)
    cluster.add()
    await asyncio.sleep(5)  # a few of its sweeps: it must leave a session that is served elsewhere alone
    await a.intent("submit", step_no=1, value=5)
    await s.intent("submit", step_no=1, value=3)
    await s.wait_event("step_started", step_no=2)
    assert "paused" not in names(a) + names(s) and "participant_away" not in names(a) + names(s)


async def test_when_the_owner_is_killed_another_process_takes_over_and_fires_each_deadline_once(
    cluster: Cluster,
) -> None:
    alex, sam, session_id, a, s = await split_couple(cluster)
    owner, survivor = cluster.servers
    await a.intent("submit", step_no=1, value=5)  # Sam does not answer: the step will time out
    owner.kill()
    await a.wait_closed(timeout=20)
    alex.base_url = survivor.url  # Alex's browser reconnects through the load balancer to the survivor
    await a.connect(since=a.last_seq)
    loop = asyncio.get_running_loop()
    started = loop.time()
    completed = await s.wait_event("step_completed", step_no=1, timeout=120)
    assert completed["data"]["outcome"] == "timed_out"
    await s.wait_event("step_started", step_no=2, timeout=30)
    # Intents are served again well within 10 s of the kill.
    step_two = s.latest("step_started")["data"]
    await s.intent("submit", step_no=step_two["step_no"], value=4, timeout=15)
    assert loop.time() - started < 120
    history = await sam.join(session_id, since=0)
    await history.wait_for(lambda: any(f["type"] == "synced" for f in history.frames))
    timeouts = [f for f in history.events if f["event"] == "step_completed" and f["data"]["step_no"] == 1]
    assert len(timeouts) == 1, "the deadline fired exactly once"
    seqs = [f["seq"] for f in history.events]
    assert seqs == sorted(set(seqs)), "no event numbered twice"


async def test_intents_are_served_within_ten_seconds_of_the_owner_dying(cluster: Cluster) -> None:
    _alex, _sam, _session_id, _a, s = await split_couple(cluster)
    owner = cluster.servers[0]
    owner.kill()
    loop = asyncio.get_running_loop()
    killed_at = loop.time()
    while True:
        try:
            await s.intent("ask_space", return_in_seconds=20 * 60, timeout=12)
            break
        except Exception:
            assert loop.time() - killed_at < 10, "nobody took the session over in time"
            await asyncio.sleep(0.5)
    assert loop.time() - killed_at < 10
    await s.intent("come_back")


async def test_a_rolling_restart_loses_nothing(cluster: Cluster) -> None:
    alex, sam, session_id, a, s = await split_couple(cluster)
    first, second = cluster.servers
    acked: list[int] = []
    for turn in range(3):
        ack = await s.intent("ask_space", return_in_seconds=20 * 60)
        acked.append(ack["seq"])
        ack = await s.intent("come_back")
        acked.append(ack["seq"])
        if turn == 0:
            first.stop()  # a clean stop (SIGTERM), as a deploy does; Alex's socket closes
            await a.wait_closed(timeout=20)
            alex.base_url = second.url
            await a.connect(since=a.last_seq)
            first.start()
        if turn == 1:
            second.stop()
            await s.wait_closed(timeout=20)
            sam.base_url = first.url
            await s.connect(since=s.last_seq)
            await s.wait_for(lambda: any(f["type"] == "synced" for f in s.frames[-5:]), timeout=20)
            second.start()
    history = await sam.join(session_id, since=0)
    await history.wait_for(lambda: any(f["type"] == "synced" for f in history.frames))
    stored = {f["seq"] for f in history.events}
    assert set(acked) <= stored, "every acknowledged intent is stored"
    assert "participant_away" not in [f["event"] for f in history.events if f["seq"] > acked[-1]]


async def test_serve_with_workers_runs_that_many_processes_that_serve_one_couple(tmp_path: Path) -> None:
    env = server_env("scaled", tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS=str(GRACE_SECONDS))
    server = LiveServer(port=free_port(), env=env, log_path=tmp_path / "workers.log", extra_args=("--workers", "2"))
    server.start(timeout=60)
    try:
        assert "2 processes" in server.log()
        alex, sam = await paired_couple(server.url)
        _session_id, a, s = await started_session(alex, sam)
        await a.intent("submit", step_no=1, value=5)
        await s.intent("submit", step_no=1, value=2)
        await a.wait_event("step_started", step_no=2)
        await s.wait_event("step_started", step_no=2)
        assert server.log().count("Started server process") == 2
    finally:
        server.stop()
