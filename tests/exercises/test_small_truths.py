"""Small truths: name a feeling, say it, hear it reflected, say whether it landed; swap."""

from __future__ import annotations

from exercises.plans import PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, Run, of_type, plan_of, types


def small_truths(rounds: int = 1) -> Run:
    return Run(plan_of(PlanItemSpec(exercise="small_truths", rounds=rounds), "check_out"))


def share_a_truth(run: Run, speaker: str, listener: str) -> None:
    run.submit(speaker, "gentle_worry")
    run.submit(speaker, "I felt a bit worried when the bus was late.")
    run.submit(listener, "You were worried, waiting for the bus.")


def test_the_speaker_picks_a_feeling_says_it_and_the_listener_reflects_it():
    run = small_truths()
    assert run.where == ("small_truths", 1, "feeling")
    share_a_truth(run, ANA, BEN)
    assert run.where == ("small_truths", 1, "landed")
    shared = of_type(run.events, "answer_shared")
    assert [(e.payload["author"], e.payload["step_id"]) for e in shared] == [
        (ANA, "feeling"),
        (ANA, "share"),
        (BEN, "reflect"),
    ]
    assert all(e.audience is None for e in shared)


def test_yes_it_landed_ends_the_round():
    run = small_truths()
    share_a_truth(run, ANA, BEN)
    run.submit(ANA, "yes")
    assert run.where == ("check_out", 1, "connected")


def test_mostly_also_ends_the_round():
    run = small_truths()
    share_a_truth(run, ANA, BEN)
    run.submit(ANA, "mostly")
    assert run.where[0] == "check_out"


def test_not_quite_asks_for_one_clarification_and_another_reflection():
    run = small_truths()
    share_a_truth(run, ANA, BEN)
    run.submit(ANA, "not_quite")
    assert run.where == ("small_truths", 1, "clarify")
    run.submit(ANA, "It was more that I'd be late to see you.")
    assert run.where == ("small_truths", 1, "reflect")
    run.submit(BEN, "You worried you'd miss time with me.")
    assert run.where == ("small_truths", 1, "landed")
    run.submit(ANA, "yes")
    assert run.where[0] == "check_out"


def test_one_clarification_is_offered_and_then_not_quite_is_no_longer_offered():
    """A "not quite" is never recorded and then ignored: once the one retry is used, it isn't offered."""
    run = small_truths()
    share_a_truth(run, ANA, BEN)
    run.submit(ANA, "not_quite")
    assert run.step_id == "clarify"
    assert run.announcement(ANA)["notice"]  # told it's the last try before it begins
    run.submit(ANA, "One more try.")
    run.submit(BEN, "Another reflection.")
    assert run.step_id == "landed"
    offered = [o["value"] for o in run.announcement(ANA)["input"]["options"]]
    assert offered == ["yes", "mostly"]
    run.reject(ANA, _submit(run, "not_quite"), "invalid_value")
    run.submit(ANA, "mostly")
    assert run.where[0] == "check_out"


def test_roles_swap_for_the_next_round_and_the_loop_allowance_resets():
    run = small_truths(rounds=2)
    share_a_truth(run, ANA, BEN)
    run.submit(ANA, "not_quite")
    run.submit(ANA, "Clarified.")
    run.submit(BEN, "Reflected.")
    events = run.submit(ANA, "yes")
    swapped = of_type(events, "round_swapped")[0]
    assert swapped.payload == {"exercise_index": 0, "round": 2, "speaker": BEN, "listener": ANA}
    assert run.where == ("small_truths", 2, "feeling")
    share_a_truth(run, BEN, ANA)
    run.submit(BEN, "not_quite")  # the new speaker has their own chance
    run.submit(BEN, "More.")
    run.submit(ANA, "Again.")
    run.submit(BEN, "yes")
    assert run.where[0] == "check_out"


def test_a_silent_share_is_offered_once_more_then_the_round_moves_on_without_a_reflection():
    run = small_truths()
    run.submit(ANA, "tiredness")
    run.advance(120)
    assert run.step_id == "share"
    run.advance(120)
    assert run.where[0] == "check_out"  # nothing to reflect back
    assert not [a for a in run.state.answers if a.step_id == "reflect"]


def test_each_participant_is_told_their_own_role():
    run = small_truths()
    started = [e for e in run.events if e.type == "step_started" and e.payload["step_id"] == "feeling"]
    by_recipient = {e.audience: e.payload for e in started}
    assert by_recipient[(ANA,)]["role"] == "speaker" and by_recipient[(ANA,)]["acting"]
    assert by_recipient[(BEN,)]["role"] == "listener" and not by_recipient[(BEN,)]["acting"]
    assert by_recipient[(BEN,)]["prompt"] != by_recipient[(ANA,)]["prompt"]  # a waiting message
    assert by_recipient[(ANA,)]["input"]["kind"] == "feeling"
    assert by_recipient[(ANA,)]["deadline"] == run.now + 60
    assert by_recipient[(ANA,)]["remaining"] == 60


def test_a_timed_out_reflection_still_moves_on():
    run = small_truths()
    run.submit(ANA, "tiredness")
    run.submit(ANA, "I'm tired today.")
    events = run.advance(120)
    assert "step_completed" in types(events)
    completed = of_type(events, "step_completed")[0].payload
    assert completed["outcome"] == "timed_out" and completed["missing"] == [BEN]
    assert run.step_id == "landed"
    missed = next(a for a in run.state.answers if a.step_id == "reflect")
    assert missed.timed_out and missed.value is None and missed.author == BEN


def test_a_timed_out_did_it_land_counts_as_no_answer_and_ends_the_round():
    run = small_truths()
    share_a_truth(run, ANA, BEN)
    run.advance(45)
    assert run.where[0] == "check_out"
    landed = next(a for a in run.state.answers if a.step_id == "landed")
    assert landed.timed_out and landed.value is None


def _submit(run: Run, value):
    from exercises import Submit

    return Submit(step_no=run.state.step.no, value=value)
