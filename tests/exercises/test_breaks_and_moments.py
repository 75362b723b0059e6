"""The methods' rules for pausing: a break for flooding lasts at least 20 minutes and less than a day, and
those bounds are data (rules.toml) that the engine, its error text and the clients all read. A short
"one moment" pause (up to 5 minutes) is something else: available to both, never shown or counted as a break."""

from __future__ import annotations

import pytest

from exercises import AskSpace, Away, Back, Ready, Start, build_summary, snapshot_for, summary_to_markdown
from exercises.intents import MomentDone, OneMoment, Submit
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue, of_type, plan_of, types


def running() -> Run:
    return Run(plan_of("small_truths", "check_out"))


@pytest.mark.parametrize("seconds", [60, 600, 20 * 60 - 1, 24 * 60 * 60, 24 * 60 * 60 + 1])
def test_a_break_shorter_than_twenty_minutes_or_of_a_whole_day_is_refused(seconds):
    run = running()
    refused = run.reject(ANA, AskSpace(return_in_seconds=seconds), "bad_return_time")
    assert "at least 20 minutes and less than 24 hours" in refused.message


@pytest.mark.parametrize("seconds", [20 * 60, 60 * 60, 24 * 60 * 60 - 60])
def test_a_break_of_twenty_minutes_up_to_just_under_a_day_is_taken(seconds):
    run = running()
    events = run.do(ANA, AskSpace(return_in_seconds=seconds))
    assert of_type(events, "space_requested")[0].payload["return_in_seconds"] == seconds


def test_the_bounds_come_from_the_rules_file_one_source_for_engine_text_and_clients():
    rules = catalogue().rules
    assert (rules.break_.min_minutes, rules.break_.less_than_minutes) == (20, 24 * 60)
    assert all(rules.break_.allows(m * 60) for m in rules.break_.choices_minutes)
    assert rules.short_pause.max_seconds == 300
    run = running()
    assert snapshot_for(run.state, ANA, run.now)["rules"]["break"]["min_minutes"] == 20
    assert snapshot_for(run.state, ANA, run.now)["rules"]["short_pause"]["max_seconds"] == 300


def test_one_moment_freezes_the_clock_and_lifts_by_itself_after_five_minutes():
    run = running()
    deadline = run.state.step.deadline
    run.advance(10)
    events = run.do(BEN, OneMoment())
    assert types(events) == ["moment_started", "paused"]
    assert events[0].payload == {"who": BEN, "until": run.now + 300, "seconds": 300}
    assert events[1].payload["reason"] == "moment"
    run.reject(ANA, Submit(step_no=run.state.step.no, value="tiredness"), "session_paused")
    fired = run.advance(300)
    assert types(fired)[:2] == ["moment_ended", "resumed"]
    assert fired[0].payload == {"who": BEN, "reason": "time_up"}
    assert run.state.step.deadline == deadline + 300  # the five minutes did not eat the step's time
    assert not run.state.paused


def test_whoever_asked_for_a_moment_can_end_it_early_and_only_they_can():
    run = running()
    run.do(ANA, OneMoment())
    run.reject(ANA, OneMoment(), "moment_running")
    run.reject(BEN, MomentDone(), "no_moment")
    run.advance(40)
    events = run.do(ANA, MomentDone())
    assert types(events) == ["moment_ended", "resumed"]
    assert events[0].payload["reason"] == "back"


def test_both_partners_may_take_a_moment_and_the_clock_waits_for_both():
    run = running()
    run.do(ANA, OneMoment())
    run.do(BEN, OneMoment())
    assert types(run.do(ANA, MomentDone())) == ["moment_ended"]  # Ben's moment still holds the clock
    assert types(run.do(BEN, MomentDone())) == ["moment_ended", "resumed"]


def test_a_moment_is_not_a_break_and_is_not_counted_as_one():
    run = Run(plan_of("check_in"))
    run.do(ANA, OneMoment())
    run.do(ANA, MomentDone())
    assert run.state.spaces == ()
    assert not of_type(run.events, "space_requested")
    run.submit(ANA, 4), run.submit(BEN, 4), run.submit(ANA, 4), run.submit(BEN, 4)
    summary = build_summary(run.state, ANA)
    assert summary.spaces == ()
    assert "## Breaks" not in summary_to_markdown(summary)


def test_a_moment_needs_a_started_session_and_is_for_partners():
    run = Run(plan_of("check_in"), start=False)
    run.reject(ANA, OneMoment(), "not_started")
    run = Run(plan_of("check_in"), facilitator=FAY)
    run.reject(FAY, OneMoment(), "not_allowed")


def test_a_moment_during_a_break_keeps_the_session_paused_until_both_end():
    run = running()
    run.do(ANA, AskSpace(return_in_seconds=1200))
    run.do(BEN, OneMoment())
    fired = run.advance(300)
    assert "resumed" not in types(fired)  # the break still holds
    assert run.state.paused


def test_a_ready_step_takes_only_true_not_one_or_yes():
    run = Run(plan_of("asking_for_space"))
    run.submit(ANA, "Tight chest.")
    run.submit(ANA, "Quiet.")
    run.submit(ANA, "20")
    assert run.step_id == "promise"
    for value in (1, "yes", "true", 0, False):
        run.reject(ANA, Submit(step_no=run.state.step.no, value=value), "invalid_value")
    run.submit(ANA, True)
    assert run.step_id == "acknowledge"


def test_a_facilitator_who_comes_back_is_announced_like_anyone():
    run = Run(plan_of("check_in"), facilitator=FAY, start=False)
    run.do(ANA, Ready())
    away = run.do("system", Away(participant=FAY))
    assert types(away) == ["participant_away"]  # their absence pauses nothing
    run.do(FAY, Start())
    assert not run.state.paused
    run.reject("system", Away(participant=FAY), "already_away")
    back = run.do("system", Back(participant=FAY))
    assert types(back) == ["participant_back"] and back[0].payload == {"participant": FAY}
    run.reject("system", Back(participant=FAY), "not_away")
