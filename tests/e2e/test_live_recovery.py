"""Reconnecting replays exactly what was missed; a killed server comes back with nothing lost."""

import asyncio
import contextlib

from tests.e2e.conftest import LiveServer
from tests.e2e.live_helpers import both_back, paired_couple, started_session


async def test_reconnecting_replays_exactly_the_missed_events(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    session_id, a, s = await started_session(alex, sam)
    await s.close()
    seen_before = s.last_seq  # after closing: a frame in flight during the close still counts as seen
    await a.intent("submit", step_no=1, value=6)  # Sam misses these while away
    await a.intent("ask_space", return_in_seconds=60 * 20)
    await a.intent("come_back")
    await asyncio.sleep(0.2)

    frames_before = len(s.frames)
    await s.connect(since=seen_before)
    await s.wait_for(lambda: any(f["type"] == "synced" for f in s.frames))
    fresh = await sam.join(session_id, since=0)  # the whole history, as the server stored it for Sam
    await fresh.wait_for(lambda: any(f["type"] == "synced" for f in fresh.frames))

    assert [f["seq"] for f in s.events] == [f["seq"] for f in fresh.events]
    assert s.events == fresh.events
    replayed = [f for f in s.frames[frames_before:] if f["type"] == "event"]  # this connection's wire
    assert all(f["seq"] > seen_before for f in replayed), "nothing already seen is sent again"
    assert len(replayed) == len({f["seq"] for f in replayed}), "no duplicates"
    assert {"space_requested", "space_ended"} <= {f["event"] for f in replayed}


async def test_a_killed_server_restarts_and_the_session_goes_on(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    session_id, a, s = await started_session(alex, sam)
    await a.intent("submit", step_no=1, value=6)
    await s.intent("submit", step_no=1, value=3)
    second = (await a.wait_event("step_started", step_no=2))["data"]
    history_before = list(a.events)

    live_server.kill()  # no clean shutdown: as if the machine lost power
    await a.wait_for(lambda: a.close_code is not None)
    live_server.start()

    frames_before = len(a.frames)
    await a.connect(since=a.last_seq)
    await s.connect(since=s.last_seq)
    await a.wait_for(lambda: any(f["type"] == "synced" for f in a.frames[frames_before:]))
    await both_back(a, s, {alex.id, sam.id})
    await a.intent("submit", step_no=second["step_no"], value=5)
    await s.intent("submit", step_no=second["step_no"], value=4)
    await a.wait_event("step_started", step_no=second["step_no"] + 1)

    fresh = await alex.join(session_id, since=0)
    await fresh.wait_for(lambda: any(f["type"] == "synced" for f in fresh.frames))
    assert fresh.events[: len(history_before)] == history_before, "nothing stored before the crash was lost"
    assert [f["seq"] for f in fresh.events] == sorted({f["seq"] for f in fresh.events})
    assert fresh.events == a.events


async def test_every_acknowledged_intent_survives_a_kill_at_any_moment(live_server: LiveServer) -> None:
    alex, sam = await paired_couple(live_server.url)
    session_id, a, _s = await started_session(alex, sam)
    acked: dict[int, str] = {}

    async def keep_asking() -> None:
        while True:  # until the server dies under us, under the per-person limit of 20 intents a second
            for kind, fields in (("ask_space", {"return_in_seconds": 20 * 60}), ("come_back", {})):
                ack = await a.intent(kind, **fields)
                acked[ack["seq"]] = kind
                await asyncio.sleep(0.06)

    asker = asyncio.create_task(keep_asking())
    await a.wait_for(lambda: len(acked) >= 20, timeout=30)
    live_server.kill()  # mid-flow: some intents are in flight, some committed, some acknowledged
    with contextlib.suppress(Exception):
        await asker
    live_server.start()

    history = await sam.join(session_id, since=0)
    await history.wait_for(lambda: any(f["type"] == "synced" for f in history.frames))
    stored = {f["seq"]: f["event"] for f in history.events}
    expected = {"ask_space": "space_requested", "come_back": "space_ended"}
    for seq, kind in acked.items():
        assert seq in stored, f"acknowledged event {seq} was lost"
        assert stored[seq] in (expected[kind], "resumed", "paused")
    seqs = [f["seq"] for f in history.events]
    assert seqs == sorted(set(seqs)), "no event numbered twice"
