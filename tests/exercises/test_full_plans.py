"""Every built-in plan runs start to finish with scripted answers; state survives a JSON round-trip."""

from __future__ import annotations

import msgspec

from exercises import AskSpace, ComeBack, apply, choose_first_speaker, decode_state, encode_state
from exercises.intents import Resume, Submit
from exercises.plans import Plan, PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue, plan_of, types


def a_full_day() -> Plan:
    """Every kind of step in one plan (check-in, breathing, small truths, reflection, check-out)."""
    return plan_of(
        "check_in",
        "breathe",
        PlanItemSpec(exercise="small_truths", rounds=2),
        "private_reflection",
        "check_out",
    )


def run_full_day(run: Run) -> None:
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


def test_a_full_day_runs_start_to_finish():
    run = Run(a_full_day())
    run_full_day(run)
    assert run.state.phase == "ended" and run.state.end_reason == "completed"
    assert types(run.events).count("exercise_started") == 5
    assert types(run.events).count("round_swapped") == 1


def small_truth(run: Run, speaker: str, listener: str) -> None:
    run.submit(speaker, "tenderness")
    run.submit(speaker, f"{speaker}: I felt tender when you made tea.")
    run.submit(listener, "You felt tender about the tea.")
    run.submit(speaker, "yes")


def test_the_daily_plan_runs_start_to_finish():
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4), run.submit(BEN, 5), run.submit(ANA, 3), run.submit(BEN, 4)
    small_truth(run, ANA, BEN)
    small_truth(run, BEN, ANA)
    run.submit(ANA, 6), run.submit(BEN, 6), run.submit(ANA, 5), run.submit(BEN, 6)
    assert run.state.end_reason == "completed"
    assert types(run.events).count("exercise_started") == 3


def mirror_round(run: Run, speaker: str, listener: str) -> None:
    for more in ("yes", "no"):
        run.submit(speaker, "A piece of my week.")
        run.submit(listener, "If I got it, your week... Did I get it?")
        run.submit(speaker, "yes")
        run.submit(speaker, more)
    run.submit(listener, "Sum up.")
    run.submit(listener, "You make sense because...")
    run.submit(listener, "I imagine you might feel...")
    run.submit(speaker, 4)


def test_the_deeper_plan_runs_start_to_finish():
    plan = catalogue().plans["deeper"]
    run = Run(plan, first=choose_first_speaker(plan, (ANA, BEN), coin=1), facilitator=FAY)
    assert run.state.first_speaker == BEN
    run.submit(ANA, 4), run.submit(BEN, 4), run.submit(ANA, 4), run.submit(BEN, 4)
    run.submit(ANA, "Ana's answer."), run.submit(BEN, "Ben's answer.")  # both answer, then both see
    run.submit(ANA, "I noticed..."), run.submit(BEN, "I noticed...")
    mirror_round(run, BEN, ANA)
    mirror_round(run, ANA, BEN)
    run.submit(ANA, "Private."), run.submit(BEN, "Private.")
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert run.state.end_reason == "completed"


def test_the_weekly_meeting_runs_appreciations_then_one_issue():
    run = Run(catalogue().plans["weekly_meeting"])
    run.submit(ANA, 4), run.submit(BEN, 4), run.submit(ANA, 4), run.submit(BEN, 4)
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "I appreciated you cooking on Tuesday.")
        run.submit(listener, "Thank you. That's lovely to hear.")
    mirror_round(run, ANA, BEN)
    mirror_round(run, BEN, ANA)
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert run.state.end_reason == "completed"


def test_when_it_gets_hard_breathes_practises_asking_for_space_takes_the_break_then_shares():
    run = Run(catalogue().plans["when_hard"])
    run.advance(103)
    run.submit(ANA, 3), run.submit(BEN, 4)
    run.submit(ANA, "My chest is tight.")
    run.submit(ANA, "A walk.")
    run.submit(ANA, "20")
    run.submit(ANA, True)
    run.submit(BEN, "Thank you for telling me. I'll be here.")
    assert run.state.paused and run.state.spaces[-1].from_exercise
    run.advance(20 * 60)
    run.do(ANA, Resume()), run.do(BEN, Resume())
    assert run.where == ("small_truths", 1, "feeling")
    small_truth(run, ANA, BEN)
    small_truth(run, BEN, ANA)
    assert run.state.end_reason == "completed"


def test_the_stress_reducing_conversation_gives_each_partner_a_turn():
    run = Run(catalogue().plans["stress_reducing"])
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "My manager moved the deadline again.")
        run.submit(speaker, "listen")
        run.submit(listener, "What was the hardest part?")
        run.submit(speaker, "Not being asked.")
        run.submit(listener, "No wonder you're fed up.")
        run.submit(listener, "I'm with you. That's not fair.")
    assert run.state.end_reason == "completed"


def test_choose_first_speaker_follows_the_plan_rule():
    plan = catalogue().plans["daily"]
    assert [choose_first_speaker(plan, (ANA, BEN), coin) for coin in (0, 1)] == [ANA, BEN]
    named = msgspec.structs.replace(plan, first_speaker="partner_b")
    assert choose_first_speaker(named, (ANA, BEN), 0) == BEN


def test_state_round_trips_through_json_at_every_step_and_continues_identically():
    """After a crash the runtime rebuilds the room from the stored JSON: it must carry on the same way."""
    plain = Run(a_full_day())
    restarted = Run(a_full_day())
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
        run_full_day(run)
    assert restarts == 28
    assert restarted.events == plain.events
    assert restarted.state == plain.state and plain.state.end_reason == "completed"


def test_a_restored_state_gives_the_same_events_for_the_same_intent():
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4)
    restored = decode_state(encode_state(run.state))
    intent = Submit(step_no=run.state.step.no, value=5)
    assert apply(restored, BEN, intent, run.now) == apply(run.state, BEN, intent, run.now)
