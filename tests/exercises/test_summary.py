"""Each partner's summary: what they shared and how it was heard, what the partner shared, breaks,
check-in against check-out, and their own private reflections (never the partner's)."""

from __future__ import annotations

from exercises import AskSpace, ComeBack, End, build_summary, summary_to_markdown
from tests.exercises.exercise_helpers import ANA, BEN, T0, Run, catalogue
from tests.exercises.test_full_plans import a_full_day, run_full_day


def finished_daily() -> Run:
    run = Run(a_full_day())
    run.advance(5)
    run.do(BEN, AskSpace(return_in_seconds=1200))
    run.advance(600)
    run.do(BEN, ComeBack())
    run_full_day(run)
    return run


def test_the_summary_pairs_what_each_shared_with_how_it_was_reflected():
    run = finished_daily()
    mine = build_summary(run.state, ANA)
    assert mine.partner == BEN and mine.end_reason == "completed"
    assert mine.exercises_done == (
        "Check-in",
        "Breathe together",
        "Small truths",
        "Private reflection",
        "Check-out",
    )
    assert mine.minutes == round((run.state.ended_at - T0) / 60)
    [exchange] = mine.you_shared
    labels = [(line.label, line.author) for line in exchange.lines]
    assert labels[:4] == [
        ("The feeling", ANA),
        ("What was shared", ANA),
        ("Reflected back", BEN),
        ("Did it land?", ANA),
    ]
    assert exchange.lines[0].value == "Tenderness" and exchange.lines[3].value == "Not quite"
    [theirs] = mine.partner_shared
    assert theirs.speaker == BEN and theirs.lines[2].author == ANA


def test_check_in_and_check_out_scores_sit_side_by_side():
    mine = build_summary(finished_daily().state, ANA)
    connected = mine.scores[0]
    assert (connected.question, connected.yours_before, connected.yours_after) == ("How connected", 4, 6)
    assert (connected.partners_before, connected.partners_after, connected.scale) == (5, 6, 7)


def test_breaks_and_together_answers_are_listed():
    mine = build_summary(finished_daily().state, ANA)
    assert [s.who for s in mine.spaces] == [BEN]
    assert [(line.label, line.value) for line in mine.together] == [
        ("Calm after breathing", "5 of 7"),
        ("Calm after breathing", "6 of 7"),
    ]


def test_the_markdown_is_warm_and_plain_and_holds_only_your_own_private_words():
    run = finished_daily()
    text = summary_to_markdown(build_summary(run.state, ANA))
    for heading in (
        "# Your session",
        "## What you practised",
        "## How you arrived, and how you left",
        "## What you shared, and how it was reflected",
        "## Breaks",
        "## Just for you",
    ):
        assert heading in text
    assert "Ana's private note." in text and "Ben's private note." not in text
    assert "Your partner took some space at" in text
    ben = summary_to_markdown(build_summary(run.state, BEN))
    assert "Ben's private note." in ben and "Ana's private note." not in ben


def test_an_early_end_is_summarised_without_blame():
    run = Run(catalogue().plans["daily"])
    run.do(BEN, End())
    text = summary_to_markdown(build_summary(run.state, ANA))
    assert "ended early. That's always fine." in text


def test_a_private_reflection_written_before_an_early_end_is_kept_for_its_author_only() -> None:
    from exercises import End, Ready, Submit, apply, build_summary, new_session, on_deadline, summary_to_markdown

    state = new_session(a_full_day(), ("a", "b"), first_speaker="a")
    state, _ = apply(state, "a", Ready(), 0.0)
    state, _ = apply(state, "b", Ready(), 0.0)
    while state.step is not None and state.step.exercise_index < 3:  # let the clock carry them on
        state, _ = on_deadline(state, state.step.deadline or 0.0)
    assert state.plan.exercises[state.step.exercise_index].definition.id == "private_reflection"

    state, _ = apply(state, "a", Submit(step_no=state.step.no, value="only mine, unfinished"), 1.0)
    state, events = apply(state, "b", End(), 2.0)
    assert "only mine, unfinished" in summary_to_markdown(build_summary(state, "a"))
    assert "only mine, unfinished" not in summary_to_markdown(build_summary(state, "b"))
    assert "only mine, unfinished" not in str(build_summary(state, "b"))
    assert all("only mine" not in str(e.payload) for e in events if e.audience != ("a",))


def test_a_completed_session_records_each_answer_once() -> None:
    from exercises import Ready, Submit, apply, new_session, on_deadline

    state = new_session(a_full_day(), ("a", "b"), first_speaker="a")
    state, _ = apply(state, "a", Ready(), 0.0)
    state, _ = apply(state, "b", Ready(), 0.0)
    while state.step is not None and state.step.exercise_index < 4:
        state, _ = on_deadline(state, state.step.deadline or 0.0)
    while state.phase != "ended":  # the check-out: both answer every step
        no = state.step.no
        state, _ = apply(state, "a", Submit(step_no=no, value=5), 1.0)
        state, _ = apply(state, "b", Submit(step_no=no, value=6), 1.0)
    keys = [(a.step_no, a.author) for a in state.answers]
    assert len(keys) == len(set(keys))
    assert state.end_reason == "completed"
