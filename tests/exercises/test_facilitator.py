"""A facilitator paces the session; partners cannot use the facilitator's controls."""

from __future__ import annotations

import pytest

from exercises import ChooseFirstSpeaker, Extend, Pause, Ready, ResumeSession, Skip, Start, snapshot_for
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, of_type, plan_of, types

CONTROLS = [Start(), Pause(), ResumeSession(), Extend(seconds=60), Skip(), ChooseFirstSpeaker(partner=BEN)]


def test_with_a_facilitator_partners_ready_is_recorded_but_only_start_starts():
    run = Run(plan_of("small_truths"), facilitator=FAY, start=False)
    run.do(ANA, Ready())
    run.do(BEN, Ready())
    assert run.state.phase == "lobby" and run.state.ready == (ANA, BEN)
    events = run.do(FAY, Start())
    assert types(events)[:2] == ["session_started", "exercise_started"]
    run.reject(FAY, Start(), "already_started")


def test_the_facilitator_can_start_before_everyone_is_ready():
    run = Run(plan_of("small_truths"), facilitator=FAY, start=False)
    run.do(FAY, Start())
    assert run.state.phase == "running"


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: type(c).__name__)
def test_partners_cannot_use_facilitator_controls(control):
    run = Run(plan_of("small_truths"), facilitator=FAY)
    run.reject(ANA, control, "not_allowed")
    run.reject(BEN, control, "not_allowed")


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: type(c).__name__)
def test_without_a_facilitator_nobody_has_those_controls(control):
    run = Run(plan_of("small_truths"))
    run.reject(ANA, control, "not_allowed")


def test_pause_and_resume_freeze_and_restart_the_clock():
    run = Run(plan_of("small_truths"), facilitator=FAY)
    run.advance(10)
    events = run.do(FAY, Pause())
    assert types(events) == ["facilitator_paused", "paused"]
    run.reject(FAY, Pause(), "already_paused")
    run.advance(300)
    events = run.do(FAY, ResumeSession())
    assert types(events) == ["facilitator_resumed", "resumed"]
    assert run.state.step.deadline == run.now + 50
    run.reject(FAY, ResumeSession(), "not_paused")


def test_extend_adds_time_and_allows_a_fresh_warning():
    run = Run(plan_of("small_truths"), facilitator=FAY)
    run.advance(35)  # warned
    deadline = run.state.step.deadline
    events = run.do(FAY, Extend(seconds=120))
    assert events[0].type == "extended"
    assert events[0].payload["deadline"] == deadline + 120
    assert of_type(run.advance(120), "warning")
    run.reject(FAY, Extend(seconds=5), "invalid_value")


def test_extend_while_paused_adds_to_the_frozen_time():
    run = Run(plan_of("small_truths"), facilitator=FAY)
    run.do(FAY, Pause())
    run.do(FAY, Extend(seconds=30))
    run.do(FAY, ResumeSession())
    assert run.state.step.deadline == run.now + 90


def test_skip_moves_to_the_next_step_without_recording_a_timeout():
    run = Run(plan_of("small_truths"), facilitator=FAY)
    no = run.state.step.no
    events = run.do(FAY, Skip())
    assert types(events)[:2] == ["step_skipped", "step_completed"]
    assert events[1].payload["outcome"] == "skipped"
    assert run.step_id == "share" and run.state.skipped_steps == (no,)
    assert run.state.answers == ()


def test_choosing_the_first_speaker_in_the_lobby():
    run = Run(plan_of("small_truths"), facilitator=FAY, start=False)
    run.do(FAY, ChooseFirstSpeaker(partner=BEN))
    run.do(FAY, Start())
    assert run.state.first_speaker == BEN
    run.submit(BEN, "gratitude")


def test_choosing_the_first_speaker_before_anyone_has_spoken_hands_over_the_floor_now():
    run = Run(plan_of("small_truths", "small_truths"), facilitator=FAY)
    events = run.do(FAY, ChooseFirstSpeaker(partner=BEN))
    assert events[0].payload == {"partner": BEN, "applies_from_exercise": 0}
    roles = {e.audience[0]: e.payload["role"] for e in of_type(events, "step_started")}
    assert roles == {ANA: "listener", BEN: "speaker", FAY: "observer"}
    run.submit(BEN, "gratitude")
    events = run.do(FAY, ChooseFirstSpeaker(partner=ANA))  # mid-exercise: from the next one
    assert events[0].payload["applies_from_exercise"] == 1
    run.reject(FAY, ChooseFirstSpeaker(partner="someone"), "invalid_value")


def test_the_facilitator_snapshot_shows_shared_content_but_never_private():
    run = Run(plan_of("small_truths", "private_reflection"), facilitator=FAY)
    run.submit(ANA, "gratitude")
    run.submit(ANA, "Grateful for the tea.")
    run.submit(BEN, "You felt grateful for the tea.")
    run.submit(ANA, "yes")
    run.submit(ANA, "A very private thought.")
    snap = snapshot_for(run.state, FAY, run.now)
    assert snap["as"] == "facilitator" and snap["step"]["role"] == "observer"
    assert "Grateful for the tea." in repr(snap)
    assert "A very private thought." not in repr(snap)
