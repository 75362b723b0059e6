"""Mirror, validate, empathise: a good-time check, chunks mirrored until there's no more, then
summing up, validation, empathy and a 1-5 rating; swap."""

from __future__ import annotations

from exercises import Submit
from exercises.plans import PlanItemSpec
from tests.exercises.exercise_helpers import ANA, BEN, Run, of_type, plan_of


def mirror(rounds: int = 1) -> Run:
    return Run(plan_of(PlanItemSpec(exercise="mirror", rounds=rounds), "check_out"))


def finish_round(run: Run, speaker: str, listener: str) -> None:
    run.submit(listener, "You make sense because it's been a long week.")
    run.submit(listener, "I imagine you might feel worn out.")
    run.submit(speaker, 4)


def test_it_begins_by_checking_now_is_a_good_time_for_both():
    run = mirror()
    assert run.where == ("mirror", 1, "good_time")
    run.submit(BEN)
    assert run.step_id == "good_time"  # still waiting for Ana
    run.submit(ANA, True)
    assert run.where == ("mirror", 1, "share")


def test_one_chunk_then_no_more_leads_to_summing_up_validation_empathy_and_rating():
    run = mirror()
    run.submit(ANA), run.submit(BEN)
    run.submit(ANA, "Work has been a lot.")
    run.submit(BEN, "If I got it, work has been a lot. Is there more?")
    run.submit(ANA, "no")
    assert run.step_id == "summarise"
    run.submit(BEN, "Work has been heavy lately.")
    assert run.step_id == "validate"
    run.submit(BEN, "You make sense because you've had three deadlines.")
    assert run.step_id == "empathise"
    run.submit(BEN, "I imagine you might feel stretched thin.")
    assert run.step_id == "understood"
    run.submit(ANA, 5)
    assert run.where[0] == "check_out"


def test_is_there_more_loops_for_at_most_five_chunks():
    run = mirror()
    run.submit(ANA), run.submit(BEN)
    for chunk in range(5):
        assert run.step_id == "share", chunk
        run.submit(ANA, f"Chunk {chunk + 1}.")
        run.submit(BEN, f"Mirror {chunk + 1}. Is there more?")
        run.submit(ANA, "yes")
    assert run.step_id == "summarise"  # five chunks is plenty for one turn
    assert len([a for a in run.state.answers if a.step_id == "share"]) == 5


def test_the_rating_is_one_to_five():
    run = mirror()
    run.submit(ANA), run.submit(BEN)
    run.submit(ANA, "A chunk.")
    run.submit(BEN, "A mirror.")
    run.submit(ANA, "no")
    run.submit(BEN, "A summary.")
    run.submit(BEN, "Validation.")
    run.submit(BEN, "Empathy.")
    run.reject(ANA, _submit(run, 6), "invalid_value")
    run.reject(ANA, _submit(run, 0), "invalid_value")
    run.reject(ANA, _submit(run, True), "invalid_value")
    run.submit(ANA, 1)


def test_roles_swap_and_the_good_time_check_is_not_repeated():
    run = mirror(rounds=2)
    run.submit(ANA), run.submit(BEN)
    run.submit(ANA, "A chunk.")
    run.submit(BEN, "A mirror.")
    run.submit(ANA, "no")
    run.submit(BEN, "A summary.")
    finish_round(run, ANA, BEN)
    assert of_type(run.events, "round_swapped")[0].payload["speaker"] == BEN
    assert run.where == ("mirror", 2, "share")
    run.reject(ANA, _submit(run, "I'll go"), "not_your_turn")
    run.submit(BEN, "My chunk.")
    run.submit(ANA, "Your chunk, mirrored.")
    run.submit(BEN, "no")
    run.submit(ANA, "Summary.")
    finish_round(run, BEN, ANA)
    assert run.where[0] == "check_out"


def test_a_timed_out_is_there_more_counts_as_no():
    run = mirror()
    run.submit(ANA), run.submit(BEN)
    run.submit(ANA, "A chunk.")
    run.submit(BEN, "A mirror.")
    run.advance(30)
    assert run.step_id == "summarise"


def _submit(run: Run, value):
    return Submit(step_no=run.state.step.no, value=value)
