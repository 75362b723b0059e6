"""Pure pieces the live screen relies on: text counted as people see it, labels in the snapshot, and
the one rule for which endings leave a summary."""

from __future__ import annotations

from exercises import End, build_summary, keeps_summaries, snapshot_for, summary_to_markdown
from exercises.summary import about_minutes
from exercises.text import visible_length
from tests.exercises.exercise_helpers import ANA, BEN, Run, plan_of
from tests.exercises.test_rejections import small_truths


def test_an_emoji_a_flag_and_an_accent_each_count_as_one_character():
    assert visible_length("abc") == 3
    assert visible_length("👍🏽") == 1  # thumbs up with a skin tone
    assert visible_length("👨‍👩‍👧‍👦") == 1  # a family joined by zero-width joiners
    assert visible_length("🇫🇷🇩🇪") == 2  # two flags
    assert visible_length("e\u0301") == 1  # e + combining accent
    assert visible_length("❤️") == 1  # with the emoji-style selector
    assert visible_length("1️⃣") == 1  # keycap
    assert visible_length("😊" * 60) == 60


def test_the_engine_counts_text_the_same_way_people_see_it():
    run = small_truths()
    run.submit(ANA, "gratitude")
    no = run.state.step.no
    text = "x" * 390 + "👨‍👩‍👧🇫🇷👍🏽❤️é" + "y" * 5  # 400 characters as seen; 415 code points
    assert len(text) > 400 and visible_length(text) == 400
    run.submit(ANA, text)
    assert run.state.answers[-1].value == text
    assert run.state.step.no == no + 1


def test_the_snapshot_carries_what_each_answer_needs_for_its_label():
    run = Run(plan_of("check_in", "small_truths"))
    run.submit(ANA, 4)
    run.submit(BEN, 5)
    run.submit(ANA, 3)
    run.submit(BEN, 6)
    run.submit(ANA, "gentle_worry")
    snapshot = snapshot_for(run.state, BEN, run.now)
    steps = snapshot["steps"]
    by_step = {a["step_no"]: a for a in snapshot["transcript"]}
    labels = {steps[str(no)]["title"] for no in by_step}
    assert {"How connected", "How calm", "The feeling"} <= labels
    feeling = next(a for a in snapshot["transcript"] if a["value"] == "gentle_worry")
    options = steps[str(feeling["step_no"])]["input"]["options"]
    assert {"value": "gentle_worry", "label": "A gentle worry"} in options
    calm = next(s for s in steps.values() if s["title"] == "How calm")
    assert calm["input"]["kind"] == "rating" and calm["input"]["scale"] == 7


def test_the_snapshot_labels_exactly_the_answers_its_reader_may_see():
    run = Run(plan_of("private_reflection", "check_out"))
    run.submit(ANA, "only mine")
    run.submit(BEN, "only his")
    for me in (ANA, BEN):
        snapshot = snapshot_for(run.state, me, run.now)
        assert [a["author"] for a in snapshot["transcript"]] == [me]
        assert set(snapshot["steps"]) == {str(a["step_no"]) for a in snapshot["transcript"]}


def test_a_session_ended_before_it_began_keeps_no_summary():
    lobby = Run(plan_of("check_in"), start=False)
    lobby.do(ANA, End())
    assert lobby.state.phase == "ended" and not keeps_summaries(lobby.state)
    begun = Run(plan_of("check_in"))
    assert not keeps_summaries(begun.state)  # still running
    begun.do(BEN, End())
    assert keeps_summaries(begun.state)


def test_minutes_and_missing_answers_in_plain_words():
    assert about_minutes(1) == "about 1 minute"
    assert about_minutes(0) == "about 0 minutes"
    assert about_minutes(12) == "about 12 minutes"
    run = Run(plan_of("small_truths"))
    run.advance(60)  # the feeling is never chosen
    if run.state.phase != "ended":
        run.do(ANA, End())
    text = summary_to_markdown(build_summary(run.state, ANA))
    assert "(no answer this time)" in text
    assert "in time" not in text and " 1 minutes" not in text


def test_a_break_is_noted_without_keeping_score():
    from exercises import AskSpace, ComeBack

    run = Run(plan_of("small_truths"))
    run.do(BEN, AskSpace(return_in_seconds=1200))
    run.advance(1500)  # back five minutes after the time Ben said
    run.do(BEN, ComeBack())
    text = summary_to_markdown(build_summary(run.state, ANA))
    assert "Your partner took some space at" in text and "and came back." in text
    assert "planning" not in text and "late" not in text
