"""Every refused intent names a stable code, speaks kindly, and leaves the state as it was."""

from __future__ import annotations

import msgspec
import pytest

from exercises import (
    Abandon,
    AskSpace,
    Away,
    Back,
    ComeBack,
    End,
    Ready,
    Resume,
    Skip,
    Submit,
    decode_intent,
)
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, plan_of


def small_truths(**kwargs) -> Run:
    return Run(plan_of("small_truths", "check_in"), **kwargs)


def test_not_a_participant():
    run = small_truths()
    run.reject("mallory", Ready(), "not_a_participant")
    run.reject("system", Away(participant="mallory"), "not_a_participant")


def test_not_started():
    run = small_truths(start=False)
    run.reject(ANA, Submit(step_no=0, value="x"), "not_started")
    run.reject(ANA, AskSpace(return_in_seconds=1200), "not_started")


def test_already_ready_and_already_started():
    run = small_truths(start=False)
    run.do(ANA, Ready())
    run.reject(ANA, Ready(), "already_ready")
    run.do(BEN, Ready())
    run.reject(ANA, Ready(), "already_started")


def test_not_your_turn():
    run = small_truths()
    run.reject(BEN, Submit(step_no=run.state.step.no, value="gratitude"), "not_your_turn")


def test_step_passed_and_unknown_step():
    run = small_truths()
    old = run.state.step.no
    run.submit(ANA, "gratitude")
    run.reject(ANA, Submit(step_no=old, value="gratitude"), "step_passed")
    run.reject(ANA, Submit(step_no=old + 5, value="hi"), "unknown_step")


def test_invalid_value_and_text_too_long():
    run = small_truths()
    no = run.state.step.no
    run.reject(ANA, Submit(step_no=no, value="rage"), "invalid_value")
    run.reject(ANA, Submit(step_no=no, value=3), "invalid_value")
    run.submit(ANA, "gratitude")
    no = run.state.step.no
    run.reject(ANA, Submit(step_no=no, value="   "), "invalid_value")
    run.reject(ANA, Submit(step_no=no, value=None), "invalid_value")
    run.reject(ANA, Submit(step_no=no, value="x" * 401), "text_too_long")
    run.submit(ANA, "  " + "x" * 400 + "  ")  # surrounding spaces do not count
    assert run.state.answers[-1].value == "x" * 400


def test_already_answered_on_a_both_step():
    run = Run(plan_of("check_in"))
    run.submit(ANA, 4)
    run.reject(ANA, Submit(step_no=run.state.step.no, value=5), "already_answered")


def test_session_paused():
    run = small_truths()
    run.do("system", Away(participant=BEN))
    run.reject(ANA, Submit(step_no=run.state.step.no, value="gratitude"), "session_paused")


def test_session_ended():
    run = small_truths()
    run.do(ANA, End())
    for actor, intent in [(ANA, Ready()), (BEN, End()), ("system", Abandon())]:
        run.reject(actor, intent, "session_ended")


def test_bad_return_time():
    run = small_truths()
    run.reject(ANA, AskSpace(return_in_seconds=59), "bad_return_time")
    run.reject(ANA, AskSpace(return_in_seconds=86_401), "bad_return_time")


def test_space_codes():
    run = small_truths()
    run.reject(ANA, ComeBack(), "not_on_break")
    run.reject(ANA, Resume(), "nothing_to_resume")
    run.do(ANA, AskSpace(return_in_seconds=1200))
    run.reject(ANA, AskSpace(return_in_seconds=1200), "already_on_break")
    run.reject(BEN, Resume(), "break_not_over")


def test_presence_codes():
    run = small_truths()
    run.reject("system", Back(participant=ANA), "not_away")
    run.do("system", Away(participant=ANA))
    run.reject("system", Away(participant=ANA), "already_away")


def test_not_allowed():
    run = small_truths(facilitator=FAY)
    run.reject(ANA, Away(participant=BEN), "not_allowed")  # presence comes from the runtime
    run.reject(ANA, Abandon(), "not_allowed")
    run.reject(FAY, Submit(step_no=run.state.step.no, value="gratitude"), "not_allowed")
    run.reject(FAY, AskSpace(return_in_seconds=1200), "not_allowed")
    run.reject("system", End(), "not_allowed")
    run.reject(ANA, Skip(), "not_allowed")


def test_intents_decode_from_json_with_a_type_tag():
    assert decode_intent(b'{"type": "submit", "step_no": 3, "value": "yes"}') == Submit(step_no=3, value="yes")
    assert decode_intent('{"type": "ask_space", "return_in_seconds": 1200}') == AskSpace(return_in_seconds=1200)
    with pytest.raises(msgspec.ValidationError):
        decode_intent(b'{"type": "launch_rockets"}')
    with pytest.raises(msgspec.ValidationError):
        decode_intent(b'{"type": "submit", "step_no": 3, "value": [1, 2]}')
