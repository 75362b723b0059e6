"""Mirror, validate, empathise as the method states it: each piece is mirrored, the speaker says whether
the listener got it (a correction is mirrored again), "is there more?" repeats until the speaker says no
or the round's budget is used up (and then the speaker hears so before their last piece); then summing
up, validation, empathy and a 1-5 rating; swap. Now-is-a-good-time is asked once, in the lobby."""

from __future__ import annotations

from exercises import Submit
from exercises.plans import PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, Run, catalogue, of_type, plan_of

LAST_PIECE = "One more piece, then we'll sum up."


def mirror(rounds: int = 1) -> Run:
    return Run(plan_of(PlanItemSpec(exercise="mirror", rounds=rounds), "check_out"))


def piece(run: Run, speaker: str, listener: str, text: str, more: str | None) -> None:
    run.submit(speaker, text)
    run.submit(listener, f"If I got it: {text}")
    run.submit(speaker, "yes")
    if more is not None:
        run.submit(speaker, more)


def finish_round(run: Run, speaker: str, listener: str) -> None:
    run.submit(listener, "You said it's been a long week.")
    run.submit(listener, "You make sense because it's been a long week.")
    run.submit(listener, "I imagine you might feel worn out.")
    run.submit(speaker, 4)


def test_it_starts_with_the_first_piece_because_the_lobby_already_asked_if_now_is_a_good_time():
    run = mirror()
    assert run.where == ("mirror", 1, "share")
    ids = [s.id for s in catalogue().exercises["mirror"].steps]
    assert "good_time" not in ids


def test_no_built_in_plan_asks_if_now_is_a_good_time_inside_an_exercise():
    """The lobby's "Is now a good time for you both?" is the one time it's asked."""
    for plan in catalogue().plans.values():
        for planned in plan.exercises:
            for step in planned.definition.steps:
                assert "good time" not in step.prompt.lower(), (plan.id, step.id)


def test_after_each_mirror_the_speaker_says_whether_they_were_understood_before_is_there_more():
    run = mirror()
    run.submit(ANA, "Work has been a lot.")
    run.submit(BEN, "If I got it, work has been a lot.")
    assert run.where == ("mirror", 1, "got_it")
    assert run.state.step and run.announcement(ANA)["acting"] is True
    run.submit(ANA, "yes")
    assert run.step_id == "more"
    run.submit(ANA, "no")
    assert run.step_id == "summarise"
    run.submit(BEN, "Work has been heavy lately.")
    run.submit(BEN, "You make sense because you've had three deadlines.")
    run.submit(BEN, "I imagine you might feel stretched thin.")
    assert run.step_id == "understood"
    run.submit(ANA, 5)
    assert run.where[0] == "check_out"


def test_not_quite_brings_a_correction_that_the_listener_mirrors_again():
    run = mirror()
    run.submit(ANA, "Work has been a lot.")
    run.submit(BEN, "You're saying you hate your job.")
    run.submit(ANA, "not_quite")
    assert run.step_id == "correct"
    run.submit(ANA, "Not hate: it's just been a lot this month.")
    assert run.step_id == "mirror"
    run.submit(BEN, "It's not the job, it's how much there is this month.")
    assert run.step_id == "got_it"
    run.submit(ANA, "yes")
    assert run.step_id == "more"


def test_the_last_correction_is_announced_and_not_quite_is_then_not_offered_rather_than_ignored():
    run = mirror()
    run.submit(ANA, "A piece.")
    run.submit(BEN, "Mirror 1.")
    run.submit(ANA, "not_quite")
    run.submit(ANA, "Correction 1.")
    run.submit(BEN, "Mirror 2.")
    run.submit(ANA, "not_quite")  # the second and last correction
    assert run.step_id == "correct"
    assert run.announcement(ANA)["notice"]
    run.submit(ANA, "Correction 2.")
    run.submit(BEN, "Mirror 3.")
    # "Did I get it?" could only be answered "yes" now, so it is not asked at all.
    assert run.step_id == "more"


def test_is_there_more_repeats_until_the_speaker_says_no():
    run = mirror()
    for n in range(2):
        piece(run, ANA, BEN, f"Piece {n + 1}.", "yes")
        assert run.step_id == "share"
        assert run.announcement(ANA)["notice"] is None
    piece(run, ANA, BEN, "Piece 3.", "no")
    assert run.step_id == "summarise"
    assert len([a for a in run.state.answers if a.step_id == "share"]) == 3


def test_before_the_last_piece_the_speaker_is_told_and_is_there_more_is_not_asked_again():
    run = mirror()
    for n in range(3):
        piece(run, ANA, BEN, f"Piece {n + 1}.", "yes")
    # The fourth piece is the last the exercise allows: both hear so before it begins.
    assert run.step_id == "share"
    for who in (ANA, BEN):
        shown = run.announcement(who)
        assert shown["notice"] == LAST_PIECE
        assert shown["prompt"].startswith(LAST_PIECE)
    piece(run, ANA, BEN, "Piece 4.", None)
    assert run.step_id == "summarise"  # never a "yes" asked for and then ignored
    mores = [a.value for a in run.state.answers if a.step_id == "more"]
    assert mores == ["yes", "yes", "yes"]  # every "yes" was followed by another piece
    assert len([a for a in run.state.answers if a.step_id == "share"]) == 4


def test_the_rounds_time_budget_can_make_the_next_piece_the_last_and_says_so():
    run = mirror()
    piece(run, ANA, BEN, "A quick first piece.", "yes")
    assert run.announcement(ANA)["notice"] is None  # plenty of the round's ten minutes left
    run.advance(60)
    run.submit(ANA, "A slower second piece.")
    run.advance(60)
    run.submit(BEN, "Mirror.")
    run.submit(ANA, "yes")
    run.submit(ANA, "yes")  # another pass after this one would overrun the budget
    assert run.step_id == "share"
    assert run.announcement(ANA)["notice"] == LAST_PIECE
    piece(run, ANA, BEN, "Last piece.", None)
    assert run.step_id == "summarise"


def test_a_share_that_times_out_with_nothing_said_is_offered_once_more_not_mirrored():
    run = mirror()
    first = run.state.step.no
    run.advance(120)
    assert run.step_id == "share"  # no "mirror it back" of nothing
    assert run.state.step.no > first
    assert run.announcement(ANA)["notice"]
    completed = of_type(run.events, "step_completed")[-1].payload
    assert completed["outcome"] == "timed_out" and completed["note"]
    run.submit(ANA, "Sorry, here it is.")
    assert run.step_id == "mirror"


def test_a_second_silence_moves_on_kindly_past_the_mirror():
    run = mirror(rounds=2)
    run.advance(120)
    run.advance(120)
    assert run.where == ("mirror", 2, "share")  # nothing to mirror, sum up or validate: the round ends
    assert of_type(run.events, "step_completed")[-1].payload["note"]
    assert not [a for a in run.state.answers if a.step_id == "mirror"]


def test_silence_after_earlier_pieces_moves_on_to_summing_up():
    run = mirror()
    piece(run, ANA, BEN, "Piece 1.", "yes")
    run.advance(120)
    run.advance(120)
    assert run.step_id == "summarise"


def test_the_rating_is_one_to_five():
    run = mirror()
    piece(run, ANA, BEN, "A piece.", "no")
    run.submit(BEN, "A summary.")
    run.submit(BEN, "Validation.")
    run.submit(BEN, "Empathy.")
    run.reject(ANA, _submit(run, 6), "invalid_value")
    run.reject(ANA, _submit(run, 0), "invalid_value")
    run.reject(ANA, _submit(run, True), "invalid_value")
    run.submit(ANA, 1)


def test_roles_swap_and_loop_allowances_reset():
    run = mirror(rounds=2)
    for n in range(4):
        piece(run, ANA, BEN, f"Piece {n}.", "yes" if n < 3 else None)
    finish_round(run, ANA, BEN)
    assert of_type(run.events, "round_swapped")[0].payload["speaker"] == BEN
    assert run.where == ("mirror", 2, "share")
    run.reject(ANA, _submit(run, "I'll go"), "not_your_turn")
    piece(run, BEN, ANA, "My piece.", "yes")
    assert run.announcement(BEN)["notice"] is None  # a fresh round, a fresh allowance
    piece(run, BEN, ANA, "Another.", "no")
    finish_round(run, BEN, ANA)
    assert run.where[0] == "check_out"


def test_a_timed_out_is_there_more_counts_as_no():
    run = mirror()
    run.submit(ANA, "A piece.")
    run.submit(BEN, "A mirror.")
    run.submit(ANA, "yes")
    run.advance(30)
    assert run.step_id == "summarise"


def _submit(run: Run, value):
    return Submit(step_no=run.state.step.no, value=value)
