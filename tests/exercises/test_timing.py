"""Deadlines are absolute; a warning comes 30 s before; waking early changes nothing."""

from __future__ import annotations

from exercises import next_wakeup, on_deadline
from exercises.plans import PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, Run, of_type, plan_of, types


def test_next_wakeup_is_the_warning_then_the_deadline():
    run = Run(plan_of("small_truths"))
    deadline = run.state.step.deadline
    assert next_wakeup(run.state) == deadline - 30
    events = run.advance(30)
    assert types(events) == ["warning"]
    assert events[0].payload == {"step_no": run.state.step.no, "deadline": deadline, "seconds_left": 30}
    assert next_wakeup(run.state) == deadline


def test_calling_on_deadline_early_is_a_no_op():
    run = Run(plan_of("small_truths"))
    state, events = on_deadline(run.state, run.now + 10)
    assert events == [] and state == run.state


def test_the_warning_is_sent_once_and_then_the_step_times_out():
    run = Run(plan_of("small_truths"))
    events = run.advance(60)
    assert types(events)[:2] == ["warning", "step_completed"]
    assert len(of_type(events, "warning")) == 1
    assert run.step_id == "share"  # a missed feeling still moves on


def test_a_late_wakeup_times_out_without_a_stale_warning_and_the_next_step_starts_from_now():
    run = Run(plan_of("small_truths"))
    run.now += 500  # the runtime was down for a while
    run.state, events = on_deadline(run.state, run.now)
    assert "warning" not in types(events)
    assert run.state.step.deadline == run.now + 120


def test_steps_of_thirty_seconds_or_less_get_no_warning():
    run = Run(plan_of(PlanItemSpec(exercise="check_in", time_limits={"connected": 30})))
    assert next_wakeup(run.state) == run.now + 30
    assert of_type(run.advance(30), "warning") == []


def test_nothing_is_timed_in_the_lobby_or_after_the_end():
    run = Run(plan_of("check_in"), start=False)
    assert next_wakeup(run.state) is None
    run.start()
    run.submit(ANA, 3), run.submit(BEN, 3), run.submit(ANA, 3), run.submit(BEN, 3)
    assert run.state.phase == "ended" and next_wakeup(run.state) is None
    assert on_deadline(run.state, run.now + 9999) == (run.state, [])
