"""Asking for space: notice, need, when I'll be back, I mean to come back; acknowledged; a real break."""

from __future__ import annotations

from exercises import ComeBack, Resume, Submit
from tests.exercises.exercise_helpers import ANA, BEN, Run, of_type, plan_of


def request_space(run: Run, minutes: str = "30") -> None:
    run.submit(ANA, "My chest is tight and my thoughts are racing.")
    run.submit(ANA, "Some quiet and a walk.")
    run.submit(ANA, minutes)
    run.submit(ANA)
    run.submit(BEN, "Thank you for telling me. I'll be here.")


def test_the_request_is_practised_step_by_step_then_a_real_break_starts():
    run = Run(plan_of("asking_for_space", "check_out"))
    assert run.step_id == "notice"
    request_space(run, "30")
    requested = of_type(run.events, "space_requested")[0].payload
    assert requested["who"] == ANA and requested["from_exercise"]
    assert requested["return_at"] == run.now + 30 * 60
    assert run.state.paused
    assert run.where == ("check_out", 1, "connected")  # what comes next waits, frozen
    assert run.state.step.deadline is None and run.state.step.remaining == 60


def test_the_break_ends_when_the_return_time_has_come_and_both_say_resume():
    run = Run(plan_of("asking_for_space", "check_out"))
    request_space(run, "20")
    run.reject(BEN, Resume(), "break_not_over")
    due = run.advance(20 * 60)
    assert of_type(due, "space_return_due")[0].payload["who"] == ANA
    run.do(ANA, Resume())
    assert run.state.paused
    events = run.do(BEN, Resume())
    assert [e.type for e in events][-2:] == ["space_ended", "resumed"]
    assert not run.state.paused
    assert run.state.step.deadline == run.now + 60
    assert run.state.spaces[0].returned_at == run.now


def test_the_person_on_a_break_can_come_back_early():
    run = Run(plan_of("asking_for_space", "check_out"))
    request_space(run, "45")
    run.advance(25 * 60)
    run.do(ANA, ComeBack())
    assert not run.state.paused
    record = run.state.spaces[0]
    assert record.returned_at == run.now < record.planned_return_at


def test_no_answer_for_when_means_the_suggested_twenty_minutes():
    run = Run(plan_of("asking_for_space", "check_out"))
    run.submit(ANA, "Tense.")
    run.submit(ANA, "Quiet.")
    run.advance(60)  # no time chosen
    run.submit(ANA)
    run.submit(BEN, "Okay. I'll be here.")
    assert run.state.spaces[0].planned_return_at == run.now + 20 * 60


def test_only_offered_break_lengths_are_accepted():
    run = Run(plan_of("asking_for_space"))
    run.submit(ANA, "Tense.")
    run.submit(ANA, "Quiet.")
    run.reject(ANA, Submit(step_no=run.state.step.no, value="5"), "invalid_value")
