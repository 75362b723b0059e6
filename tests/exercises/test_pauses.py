"""Space, presence and facilitator pauses stack; the clock freezes while any is active."""

from __future__ import annotations

from exercises import (
    Abandon,
    AskSpace,
    Away,
    Back,
    ComeBack,
    End,
    Pause,
    Resume,
    ResumeSession,
    Submit,
    next_wakeup,
)
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, of_type, plan_of, types


def test_asking_for_space_pauses_everyone_and_freezes_the_step_time():
    run = Run(plan_of("small_truths"))
    run.advance(20)
    events = run.do(BEN, AskSpace(return_in_seconds=1800))
    assert types(events) == ["space_requested", "paused"]
    assert events[0].payload["return_at"] == run.now + 1800
    assert events[1].payload["remaining"] == 40
    run.reject(ANA, _submit(run, "gratitude"), "session_paused")
    run.advance(600)
    assert run.state.step.remaining == 40 and run.state.step.deadline is None
    run.do(BEN, ComeBack())
    assert run.state.step.deadline == run.now + 40


def test_at_the_return_time_both_are_asked_to_resume():
    run = Run(plan_of("small_truths"))
    run.do(ANA, AskSpace(return_in_seconds=1200))
    assert next_wakeup(run.state) == run.now + 1200
    events = run.advance(1200)
    assert of_type(events, "space_return_due")[0].payload == {
        "who": ANA,
        "return_at": run.now,
        "asked": [ANA, BEN],
    }
    assert next_wakeup(run.state) is None  # waiting for people now, not for time
    run.do(BEN, Resume())
    run.reject(BEN, Resume(), "already_answered")
    run.do(ANA, Resume())
    assert not run.state.paused


def test_away_and_back_pause_and_resume():
    run = Run(plan_of("small_truths"))
    events = run.do("system", Away(participant=ANA))
    assert types(events) == ["participant_away", "paused"]
    events = run.do("system", Back(participant=ANA))
    assert types(events) == ["participant_back", "resumed"]


def test_pauses_stack_and_the_clock_restarts_only_when_the_last_one_ends():
    run = Run(plan_of("small_truths"), facilitator=FAY)
    run.advance(10)
    run.do(FAY, Pause())
    run.advance(5)
    run.do(ANA, AskSpace(return_in_seconds=1200))
    run.do("system", Away(participant=BEN))
    run.advance(60)
    run.do(FAY, ResumeSession())
    run.do(ANA, ComeBack())
    assert run.state.paused and run.state.step.deadline is None
    events = run.do("system", Back(participant=BEN))
    assert types(events)[-1] == "resumed"
    assert run.state.step.deadline == run.now + 50


def test_both_partners_can_be_on_a_break_at_once():
    run = Run(plan_of("small_truths"))
    run.do(ANA, AskSpace(return_in_seconds=1200))
    run.do(BEN, AskSpace(return_in_seconds=3600))
    run.reject(ANA, AskSpace(return_in_seconds=1200), "already_on_break")
    run.do(ANA, ComeBack())
    assert run.state.paused
    run.do(BEN, ComeBack())
    assert not run.state.paused
    assert len(run.state.spaces) == 2


def test_a_pause_resets_nothing_about_the_warning():
    run = Run(plan_of("small_truths"))
    run.advance(35)  # warned, 25 s left
    run.do("system", Away(participant=ANA))
    run.advance(100)
    run.do("system", Back(participant=ANA))
    assert of_type(run.advance(25), "step_completed")
    assert len(of_type(run.events, "warning")) == 1


def test_either_partner_can_end_at_any_time_without_a_reason():
    run = Run(plan_of("small_truths"))
    run.do(ANA, AskSpace(return_in_seconds=1200))
    events = run.do(BEN, End())
    assert events[-1].type == "session_ended"
    assert events[-1].payload == {"reason": "ended_early", "by": BEN, "ended_at": run.now}
    assert run.state.phase == "ended" and not run.state.paused
    run.reject(ANA, ComeBack(), "session_ended")


def test_ending_in_the_lobby_is_fine_too():
    run = Run(plan_of("small_truths"), start=False)
    run.do(ANA, End())
    assert run.state.end_reason == "ended_early"


def test_the_runtime_abandons_a_session_nobody_came_back_to():
    run = Run(plan_of("small_truths"))
    run.do("system", Away(participant=ANA))
    run.do("system", Away(participant=BEN))
    run.advance(1800)
    events = run.do("system", Abandon())
    assert events[-1].payload["reason"] == "abandoned" and events[-1].payload["by"] is None


def _submit(run: Run, value):
    return Submit(step_no=run.state.step.no, value=value)
