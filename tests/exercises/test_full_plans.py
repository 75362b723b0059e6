"""Both built-in plans run start to finish with scripted answers; state survives a JSON round-trip."""

from __future__ import annotations

import msgspec

from exercises import AskSpace, ComeBack, apply, choose_first_speaker, decode_state, encode_state
from exercises.intents import Submit
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue, types


def run_daily(run: Run) -> None:
    run.submit(ANA, 4), run.submit(BEN, 5)  # check-in: connected
    run.submit(ANA, 3), run.submit(BEN, 4)  # check-in: calm
    run.advance(103)  # breathing guide
    run.submit(ANA, 5), run.submit(BEN, 6)
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "tenderness")
        run.submit(speaker, f"{speaker}: I felt tender when you made tea.")
        run.submit(listener, "You felt tender about the tea.")
        run.submit(speaker, "not_quite")
        run.submit(speaker, "It was that you remembered.")
        run.submit(listener, "It touched you that I remembered.")
        run.submit(speaker, "yes")
    run.submit(ANA, "Ana's private note."), run.submit(BEN, "Ben's private note.")
    run.submit(ANA, 6), run.submit(BEN, 6)
    run.submit(ANA, 5), run.submit(BEN, 6)


def test_the_daily_plan_runs_start_to_finish():
    run = Run(catalogue().plans["daily"])
    run_daily(run)
    assert run.state.phase == "ended" and run.state.end_reason == "completed"
    assert types(run.events).count("exercise_started") == 5
    assert types(run.events).count("round_swapped") == 1


def test_the_deeper_plan_runs_start_to_finish():
    plan = catalogue().plans["deeper"]
    run = Run(plan, first=choose_first_speaker(plan, (ANA, BEN), coin=1), facilitator=FAY)
    assert run.state.first_speaker == BEN
    run.submit(ANA, 4), run.submit(BEN, 4), run.submit(ANA, 4), run.submit(BEN, 4)
    run.submit(ANA), run.submit(BEN)  # now is a good time
    for speaker, listener in ((BEN, ANA), (ANA, BEN)):
        for more in ("yes", "no"):
            run.submit(speaker, "A piece of my week.")
            run.submit(listener, "If I got it, your week... Is there more?")
            run.submit(speaker, more)
        run.submit(listener, "Sum up.")
        run.submit(listener, "You make sense because...")
        run.submit(listener, "I imagine you might feel...")
        run.submit(speaker, 4)
    run.submit(ANA, "Private."), run.submit(BEN, "Private.")
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert run.state.end_reason == "completed"


def test_choose_first_speaker_follows_the_plan_rule():
    plan = catalogue().plans["daily"]
    assert [choose_first_speaker(plan, (ANA, BEN), coin) for coin in (0, 1)] == [ANA, BEN]
    named = msgspec.structs.replace(plan, first_speaker="partner_b")
    assert choose_first_speaker(named, (ANA, BEN), 0) == BEN


def test_state_round_trips_through_json_at_every_step_and_continues_identically():
    """After a crash the runtime rebuilds the room from the stored JSON: it must carry on the same way."""
    plain = Run(catalogue().plans["daily"])
    restarted = Run(catalogue().plans["daily"])
    original_do = restarted.do
    restarts = 0

    def do_after_restart(actor, intent):
        nonlocal restarts
        restored = decode_state(encode_state(restarted.state))
        assert restored == restarted.state
        restarted.state = restored
        restarts += 1
        return original_do(actor, intent)

    restarted.do = do_after_restart  # type: ignore[method-assign]
    for run in (plain, restarted):
        run.do(ANA, AskSpace(return_in_seconds=1200))
        run.do(ANA, ComeBack())
        run_daily(run)
    assert restarts == 28
    assert restarted.events == plain.events
    assert restarted.state == plain.state and plain.state.end_reason == "completed"


def test_a_restored_state_gives_the_same_events_for_the_same_intent():
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4)
    restored = decode_state(encode_state(run.state))
    intent = Submit(step_no=run.state.step.no, value=5)
    assert apply(restored, BEN, intent, run.now) == apply(run.state, BEN, intent, run.now)
