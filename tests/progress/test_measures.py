"""One ended session's events -> one person's measures, against hand-counted real sessions.

Each session is driven through the real engine (as tests/exercises do); the expected numbers were
counted by hand from the script.
"""

from __future__ import annotations

from exercises import AskSpace, ComeBack, End, choose_first_speaker
from exercises.intents import Resume
from exercises.measures import (
    DISCLOSURE_STEPS,
    GUIDE_STEPS,
    LANDED_STEPS,
    UNDERSTOOD_STEP,
    SessionMeasures,
    measures_from_events,
)
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue


def small_truth(run: Run, speaker: str, listener: str, *landings: str) -> None:
    run.submit(speaker, "tenderness")
    run.submit(speaker, f"{speaker}: I felt tender when you made tea.")
    for i, landed in enumerate(landings):
        if i:
            run.submit(speaker, "It was that you remembered.")  # the clarification
        run.submit(listener, "You felt tender about the tea.")
        run.submit(speaker, landed)


def daily_session() -> Run:
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4), run.submit(BEN, 5)  # connected at the start
    run.submit(ANA, 3), run.submit(BEN, 4)  # calm at the start
    small_truth(run, ANA, BEN, "not_quite", "yes")
    small_truth(run, BEN, ANA, "mostly")
    run.submit(ANA, 6), run.submit(BEN, 5)  # connected at the end
    run.submit(ANA, 5), run.submit(BEN, 4)  # calm at the end
    assert run.state.end_reason == "completed"
    return run


def test_a_daily_session_counted_by_hand() -> None:
    events = daily_session().events
    assert measures_from_events(events, ANA) == SessionMeasures(
        attended=True,
        completed=True,
        self_disclosure=1,  # one small truth
        reflections_total=2,  # "not quite", then "yes"
        reflections_landed=1,
        connected_start=4,
        connected_end=6,
        calm_start=3,
        calm_end=5,
    )
    assert measures_from_events(events, BEN) == SessionMeasures(
        attended=True,
        completed=True,
        self_disclosure=1,
        reflections_total=1,
        reflections_landed=1,  # "mostly" landed
        connected_start=5,
        connected_end=5,
        calm_start=4,
        calm_end=4,
    )


def mirror_round(run: Run, speaker: str, listener: str, understood: int, first_try: str = "yes") -> None:
    for more in ("yes", "no"):
        run.submit(speaker, "A piece of my week.")
        run.submit(listener, "If I got it, your week... Did I get it?")
        if first_try == "not_quite" and more == "yes":
            run.submit(speaker, "not_quite")
            run.submit(speaker, "The part about Tuesday.")
            run.submit(listener, "Tuesday mattered. Did I get it?")
        run.submit(speaker, "yes")
        run.submit(speaker, more)
    run.submit(listener, "Sum up.")
    run.submit(listener, "You make sense because...")
    run.submit(listener, "I imagine you might feel...")
    run.submit(speaker, understood)


def deeper_session(private_words: tuple[str, str] = ("Ana's private fear.", "Ben's private hope.")) -> Run:
    plan = catalogue().plans["deeper"]
    run = Run(plan, first=choose_first_speaker(plan, (ANA, BEN), coin=1), facilitator=FAY)
    run.submit(ANA, 2), run.submit(BEN, 4), run.submit(ANA, 3), run.submit(BEN, 4)
    run.submit(ANA, "Ana's answer."), run.submit(BEN, "Ben's answer.")  # revealed together
    run.submit(ANA, "I noticed..."), run.submit(BEN, "I noticed...")  # a response, not a disclosure
    mirror_round(run, BEN, ANA, understood=4)
    mirror_round(run, ANA, BEN, understood=5, first_try="not_quite")
    run.submit(ANA, private_words[0]), run.submit(BEN, private_words[1])
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 4), run.submit(BEN, 6)
    assert run.state.end_reason == "completed"
    return run


def test_a_facilitated_deeper_session_counted_by_hand() -> None:
    events = deeper_session().events
    ana = measures_from_events(events, ANA, facilitator=FAY)
    assert ana == SessionMeasures(
        attended=True,
        completed=True,
        with_facilitator=True,
        self_disclosure=3,  # the revealed answer + two mirror pieces
        reflections_total=3,  # "not quite" then "yes" on the first piece, "yes" on the second
        reflections_landed=2,
        understood_sum=5,
        understood_count=1,
        connected_start=2,
        connected_end=5,
        calm_start=3,
        calm_end=4,
    )
    ben = measures_from_events(events, BEN, facilitator=FAY)
    assert (ben.self_disclosure, ben.reflections_total, ben.reflections_landed) == (3, 2, 2)
    assert (ben.understood_sum, ben.understood_count, ben.calm_end) == (4, 1, 6)


def test_private_reflections_count_for_nothing() -> None:
    one = deeper_session(("short", "short")).events
    other = deeper_session(("A much longer private page, " * 20, "Another.")).events
    for who in (ANA, BEN):
        assert measures_from_events(one, who) == measures_from_events(other, who)
    private = [e for e in one if e.type == "private_answer_saved"]
    assert private and all(e.audience in ((ANA,), (BEN,)) for e in private)


def test_when_it_gets_hard_breathing_and_a_break_taken_and_returned() -> None:
    run = Run(catalogue().plans["when_hard"])
    run.advance(103)  # the breathing guide runs to its end
    run.submit(ANA, 3), run.submit(BEN, 4)  # "calm after breathing": not a check-in
    run.submit(ANA, "My chest is tight.")
    run.submit(ANA, "A walk.")
    run.submit(ANA, "20")
    run.submit(ANA, True)
    run.submit(BEN, "Thank you for telling me. I'll be here.")
    run.advance(20 * 60)
    run.do(ANA, Resume()), run.do(BEN, Resume())
    small_truth(run, ANA, BEN, "yes")
    small_truth(run, BEN, ANA, "not_quite", "yes")
    assert run.state.end_reason == "completed"
    assert measures_from_events(run.events, ANA) == SessionMeasures(
        attended=True,
        completed=True,
        self_disclosure=1,
        reflections_total=1,
        reflections_landed=1,
        breathing_completed=1,
        breaks_taken=1,
        breaks_returned=1,
    )
    ben = measures_from_events(run.events, BEN)
    assert (ben.breathing_completed, ben.breaks_taken, ben.reflections_total, ben.reflections_landed) == (1, 0, 2, 1)
    assert ben.calm_start is None


def test_a_break_the_session_ended_during_is_asked_for_but_not_returned() -> None:
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4), run.submit(BEN, 5)
    run.do(BEN, AskSpace(return_in_seconds=20 * 60))
    run.do(BEN, ComeBack())
    run.do(BEN, AskSpace(return_in_seconds=20 * 60))
    run.do(ANA, End())
    ben = measures_from_events(run.events, BEN)
    assert (ben.attended, ben.completed, ben.breaks_taken, ben.breaks_returned) == (True, False, 2, 1)
    assert (ben.connected_start, ben.calm_start) == (5, None)  # the check-in was cut short after "connected"


def test_a_partner_who_never_joined_a_facilitated_session_did_not_attend() -> None:
    run = Run(catalogue().plans["daily"], facilitator=FAY)
    run.submit(ANA, 4)  # Ben never answers
    run.do(FAY, End())
    assert measures_from_events(run.events, BEN, facilitator=FAY) == SessionMeasures(with_facilitator=True)
    ana = measures_from_events(run.events, ANA, facilitator=FAY)
    assert (ana.attended, ana.completed, ana.connected_start) == (True, False, None)  # she answered; nothing shown


def test_a_session_that_never_started_says_nothing() -> None:
    run = Run(catalogue().plans["daily"], start=False)
    run.do(ANA, End())
    assert measures_from_events(run.events, ANA) == SessionMeasures()


def test_stress_reducing_talk_counts_as_sharing() -> None:
    run = Run(catalogue().plans["stress_reducing"])
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "Work was heavy.")
        run.submit(speaker, "listen")
        run.submit(listener, "What was hardest?")
        run.submit(speaker, "The deadline.")
        run.submit(listener, "No wonder you feel tired.")
        run.submit(listener, "I'm with you.")
    assert run.state.end_reason == "completed"
    assert measures_from_events(run.events, ANA).self_disclosure == 1


def test_every_step_the_measures_name_exists_in_the_catalogue() -> None:
    exercises = catalogue().exercises
    for exercise_id, step_id in {*DISCLOSURE_STEPS, *LANDED_STEPS, UNDERSTOOD_STEP, *GUIDE_STEPS}:
        assert exercises[exercise_id].step(step_id)
    for (exercise_id, step_id), yes in LANDED_STEPS.items():
        options = {o.value for o in exercises[exercise_id].step(step_id).input.options}  # type: ignore[union-attr]
        assert yes < options
