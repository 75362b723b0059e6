"""Check-ins are revealed together; private reflections stay with their author."""

from __future__ import annotations

from exercises import build_summary, snapshot_for, summary_to_markdown
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, of_type, plan_of

SECRET = "I was afraid I would not be heard"


def test_check_in_answers_are_held_until_both_are_in_then_revealed_together():
    run = Run(plan_of("check_in", "check_out"))
    assert run.step_id == "connected"
    run.submit(ANA, 5)
    for who in (BEN, ANA):
        snap = snapshot_for(run.state, who, run.now)
        assert snap["answered"] == [ANA]
        assert all(a["step_id"] != "connected" for a in snap["transcript"])
    assert snapshot_for(run.state, ANA, run.now)["your_answer"] == 5
    assert snapshot_for(run.state, BEN, run.now)["your_answer"] is None
    events = run.submit(BEN, 2)
    assert of_type(events, "answers_revealed")[0].payload["answers"] == {ANA: 5, BEN: 2}
    assert run.step_id == "calm"


def test_when_only_one_answers_in_time_nothing_is_revealed_and_the_answer_stays_its_authors():
    run = Run(plan_of("check_in"))
    run.submit(ANA, 4)
    events = run.advance(60)
    assert of_type(events, "answers_revealed") == []  # Ben waited out the clock: he must not see Ana's answer
    assert of_type(events, "step_completed")[0].payload["missing"] == [BEN]
    kept = [a for a in run.state.answers if a.author == ANA and a.step_id == "connected"]
    assert kept and kept[0].private and kept[0].value == 4
    assert "4" not in repr(snapshot_for(run.state, BEN, run.now)["transcript"])


def reflect_privately(run: Run) -> None:
    run.submit(ANA, SECRET)
    run.submit(BEN, "Ben's own thought")


def test_a_private_reflection_reaches_only_its_author_everywhere():
    run = Run(plan_of("private_reflection", "check_out"), facilitator=FAY)
    reflect_privately(run)
    assert run.where[0] == "check_out"
    for event in run.events:
        if SECRET in repr(event.payload):
            assert event.audience == (ANA,), event
    for other in (BEN, FAY):
        assert SECRET not in repr(snapshot_for(run.state, other, run.now))
    assert SECRET in repr(snapshot_for(run.state, ANA, run.now))
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert run.state.phase == "ended"
    assert SECRET in summary_to_markdown(build_summary(run.state, ANA))
    assert SECRET not in repr(build_summary(run.state, BEN))
    assert SECRET not in summary_to_markdown(build_summary(run.state, BEN))
    assert "Ben's own thought" not in summary_to_markdown(build_summary(run.state, ANA))


def test_partners_and_facilitator_only_learn_that_someone_has_answered():
    run = Run(plan_of("private_reflection"), facilitator=FAY)
    events = run.submit(ANA, SECRET)
    assert [(e.type, e.audience) for e in events] == [
        ("private_answer_saved", (ANA,)),
        ("answer_received", None),
    ]
    announced = {e.audience[0]: e.payload["role"] for e in of_type(run.events, "step_started")}
    assert announced == {ANA: "private", BEN: "private", FAY: "observer"}


def test_a_private_reflection_that_times_out_is_recorded_as_missing_and_moves_on():
    run = Run(plan_of("private_reflection", "check_out"))
    run.submit(BEN, "Only mine.")
    run.advance(240)
    assert run.where[0] == "check_out"
    missing = next(a for a in run.state.answers if a.author == ANA and a.step_id == "reflect")
    assert missing.timed_out and missing.private


def test_an_unmatched_check_in_score_counts_in_its_authors_summary_only():
    run = Run(plan_of("check_in"))
    run.submit(ANA, 4)
    run.advance(60)
    ana_scores = build_summary(run.state, ANA).scores
    ben_scores = build_summary(run.state, BEN).scores
    assert [s.yours_before for s in ana_scores if s.yours_before is not None] == [4]
    assert all(s.partners_before is None for s in ben_scores)
