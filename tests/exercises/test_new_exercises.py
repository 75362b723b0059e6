"""The new exercises: both answer then both see (nobody goes first; nothing leaks before the reveal),
appreciations received with thanks, and the stress-reducing conversation; and how summaries hold them,
without scorekeeping."""

from __future__ import annotations

from exercises import build_summary, snapshot_for, summary_to_markdown
from exercises.plans import PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue, of_type, plan_of

SECRET_A = "Ana's answer, not yet revealed"
SECRET_B = "Ben's answer, not yet revealed"


def both_answer(facilitator: str | None = None) -> Run:
    return Run(plan_of("both_answer", "check_out"), facilitator=facilitator)


def leaked_to(run: Run, who: str, text: str) -> bool:
    """Whether ``text`` reached ``who`` in any event addressed to them, or in their snapshot."""
    in_events = any(text in str(e.payload) for e in run.events if e.visible_to(who))
    return in_events or text in str(snapshot_for(run.state, who, run.now))


def test_an_answer_is_not_sent_to_anyone_else_before_both_have_answered():
    run = both_answer(facilitator=FAY)
    run.submit(ANA, SECRET_A)
    for other in (BEN, FAY):
        assert not leaked_to(run, other, SECRET_A)
    assert leaked_to(run, ANA, SECRET_A)  # the author sees their own answer in their snapshot
    received = of_type(run.events, "answer_received")[-1]
    assert received.payload == {"step_no": run.state.step.no, "participant": ANA}


def test_both_answers_are_revealed_at_the_same_moment_in_one_event():
    run = both_answer()
    run.submit(BEN, SECRET_B)
    events = run.submit(ANA, SECRET_A)
    [revealed] = of_type(events, "answers_revealed")
    assert revealed.audience is None
    assert revealed.payload["answers"] == {ANA: SECRET_A, BEN: SECRET_B}
    assert run.step_id == "noticed"
    assert run.announcement(ANA)["role"] == "both"


def test_then_each_says_one_thing_they_noticed():
    run = both_answer()
    run.submit(ANA, SECRET_A), run.submit(BEN, SECRET_B)
    run.submit(ANA, "I noticed you mentioned your sister.")
    events = run.submit(BEN, "I noticed how tired you sounded.")
    assert of_type(events, "answers_revealed")[0].payload["answers"][ANA].startswith("I noticed")
    assert run.where[0] == "check_out"


def test_when_time_is_up_with_one_answer_nobody_sees_it_and_the_noticing_step_is_left_out():
    run = both_answer(facilitator=FAY)
    run.submit(ANA, SECRET_A)
    run.advance(180)
    assert run.where[0] == "check_out"  # nothing to notice in an answer that was not revealed
    assert not of_type(run.events, "answers_revealed")
    for other in (BEN, FAY):
        assert not leaked_to(run, other, SECRET_A)
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert SECRET_A in summary_to_markdown(build_summary(run.state, ANA))
    assert SECRET_A not in str(build_summary(run.state, BEN))


def test_the_question_is_the_couples_drawn_question_and_both_see_it():
    from datetime import date

    from exercises import new_session
    from exercises.plans import prompt_slots
    from exercises.prompts import choose_prompts

    plan = plan_of(PlanItemSpec(exercise="both_answer", depth="deeper"))
    prompts = choose_prompts(
        prompt_slots(plan), couple_id="c", used=[], today=date(2026, 1, 1), pools=catalogue().pools
    )
    run = Run(plan, start=False)
    run.state = new_session(plan, (ANA, BEN), ANA, prompts=prompts)
    run.start()
    question = prompts["0.answer"].text
    assert question in run.announcement(ANA)["prompt"] and question in run.announcement(BEN)["prompt"]
    run.submit(ANA, "Mine."), run.submit(BEN, "Mine too.")
    summary = build_summary(run.state, ANA)
    assert [line.prompt for line in summary.together][:2] == [question, question]
    assert question in summary_to_markdown(summary)


def test_appreciations_are_named_then_received_with_thanks_and_swapped():
    run = Run(plan_of(PlanItemSpec(exercise="appreciations", rounds=2)))
    assert run.where == ("appreciations", 1, "appreciate")
    assert "specific" in run.announcement(ANA)["prompt"]
    run.submit(ANA, "Thank you for walking the dog in the rain.")
    assert run.step_id == "receive"
    receive = run.announcement(BEN)["prompt"]
    assert "thank" in receive.lower() and 'no "but"' in receive
    run.submit(BEN, "Thank you. I'm glad it helped.")
    assert run.where == ("appreciations", 2, "appreciate")
    run.submit(BEN, "I appreciated the soup.")
    run.submit(ANA, "Thank you.")
    assert run.state.end_reason == "completed"
    mine = build_summary(run.state, ANA)
    assert [e.speaker for e in mine.you_shared] == [ANA] and [e.speaker for e in mine.partner_shared] == [BEN]
    assert mine.scores == ()  # no scorekeeping: nothing is counted or compared


def test_the_stress_reducing_conversation_prompts_the_listener_to_ask_understand_and_take_sides():
    definition = catalogue().exercises["stress_reducing"]
    prompts = {s.id: s.prompt for s in definition.steps}
    assert "outside" in prompts["stress"]
    assert "question" in prompts["ask"] and "No advice" in prompts["ask"]
    assert "makes sense" in prompts["understand"] and "asked" in prompts["understand"]
    assert "side" in prompts["side"]
    plan = catalogue().plans["stress_reducing"]
    per_partner = plan.estimated_minutes / plan.exercises[0].rounds
    assert 12 <= per_partner <= 15


def test_summaries_hold_the_new_exercises_without_keeping_score():
    stress = PlanItemSpec(exercise="stress_reducing", rounds=2)
    run = Run(plan_of("both_answer", PlanItemSpec(exercise="appreciations", rounds=2), stress))
    run.submit(ANA, "A."), run.submit(BEN, "B.")
    run.submit(ANA, "Noticed A."), run.submit(BEN, "Noticed B.")
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, f"{speaker} appreciates.")
        run.submit(listener, "Thank you.")
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "Work."), run.submit(speaker, "listen")
        run.submit(listener, "What was hardest?"), run.submit(speaker, "The waiting.")
        run.submit(listener, "No wonder."), run.submit(listener, "I'm with you.")
    assert run.state.end_reason == "completed"
    summary = build_summary(run.state, BEN)
    assert summary.exercises_done == ("Both answer, then both see", "Appreciations", "Stress-reducing conversation")
    assert {line.value for line in summary.together} >= {"A.", "B.", "Noticed A.", "Noticed B."}
    assert {e.exercise_title for e in summary.you_shared} == {"Appreciations", "Stress-reducing conversation"}
    text = summary_to_markdown(summary)
    assert "ana appreciates." in text and "What was hardest?" in text
    for scorekeeping in ("score", "points", "times", "count"):
        assert scorekeeping not in text.lower()
