"""Breathe together: one guide, started from one server time, then each rates their calm."""

from __future__ import annotations

from exercises import Away, Back, Submit
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, of_type, plan_of


def test_everyone_gets_the_same_guide_start_time_and_pace():
    run = Run(plan_of("breathe"), facilitator=FAY)
    started = of_type(run.events, "step_started")
    assert {e.audience for e in started} == {(ANA,), (BEN,), (FAY,)}
    guides = {
        (p["starts_at"], p["inhale_seconds"], p["exhale_seconds"], p["cycles"]) for p in (e.payload for e in started)
    }
    assert guides == {(run.now + 3, 4, 6, 10)}
    assert started[0].payload["deadline"] == run.now + 3 + 100


def test_the_guide_ends_as_completed_when_its_time_is_up_with_no_warning():
    run = Run(plan_of("breathe"))
    run.reject(ANA, Submit(step_no=run.state.step.no), "nothing_to_submit")
    events = run.advance(103)
    assert not of_type(events, "warning")
    assert of_type(events, "step_completed")[0].payload["outcome"] == "completed"
    assert run.step_id == "calm"


def test_each_rates_calm_on_one_to_seven_and_sees_both_answers_together():
    run = Run(plan_of("breathe"))
    run.advance(103)
    first = run.submit(BEN, 6)
    assert not of_type(first, "answers_revealed")
    assert of_type(first, "answer_received")[0].payload == {"step_no": run.state.step.no, "participant": BEN}
    assert all("value" not in e.payload and 6 not in e.payload.values() for e in first)
    both = run.submit(ANA, 3)
    revealed = of_type(both, "answers_revealed")[0]
    assert revealed.audience is None and revealed.payload["answers"] == {ANA: 3, BEN: 6}


def test_a_pause_during_the_guide_restarts_it_together_from_the_first_breath():
    run = Run(plan_of("breathe"))
    run.advance(50)
    run.do("system", Away(participant=BEN))
    run.advance(120)
    events = run.do("system", Back(participant=BEN))
    restarted = of_type(events, "step_started")
    assert {e.payload["starts_at"] for e in restarted} == {run.now + 3}
    assert run.state.step.deadline == run.now + 103
