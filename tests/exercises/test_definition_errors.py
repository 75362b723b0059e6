"""Broken definitions fail loudly, naming the file, the field path and the problem."""

from __future__ import annotations

import pytest

from exercises import DefinitionError, PlanSpec, build_catalogue, parse_exercise, parse_plan
from exercises.plans import PlanItemSpec, validate_plan_parameters
from tests.exercises.exercise_helpers import catalogue, read_texts

GOOD = """
id = "tiny"
title = "Tiny"
description = "A tiny exercise for tests."

[[steps]]
id = "say"
title = "Said"
role = "speaker"
prompt = "Say something small."
input = { kind = "text", max_length = 100 }
time_limit = 60
time_limit_min = 30
time_limit_max = 120
next = "answer"

[[steps]]
id = "answer"
title = "Answered"
role = "listener"
prompt = "Answer kindly."
input = { kind = "choice", options = [{ value = "yes", label = "Yes" }, { value = "no", label = "No" }] }
time_limit = 60
"""


def error_for(text: str, name: str = "tiny.toml") -> str:
    with pytest.raises(DefinitionError) as info:
        parse_exercise(name, text)
    return str(info.value)


def test_a_good_definition_parses_and_unbounded_steps_cannot_be_adjusted():
    definition = parse_exercise("tiny.toml", GOOD)
    answer = definition.step("answer")
    assert (answer.time_limit_min, answer.time_limit, answer.time_limit_max) == (60, 60, 60)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("time_limit = 60\ntime_limit_min", 'time_limit = "abc"\ntime_limit_min'),
            'tiny.toml: steps[0].time_limit: expected int, got "abc"',
        ),
        (
            ("time_limit = 60\ntime_limit_min", "time_limit = 5\ntime_limit_min"),
            "tiny.toml: steps[0].time_limit: expected int >= 10, got 5",
        ),
        (('next = "answer"', 'next = "nowhere"'), "tiny.toml: steps[0].next: unknown step 'nowhere'"),
        (
            ('kind = "text"', 'kind = "drawing"'),
            "tiny.toml: steps[0].input.kind: unknown input kind 'drawing' (expected one of text, feeling, choice",
        ),
        (('id = "answer"', 'id = "say"'), "tiny.toml: steps[1].id: duplicate or reserved step id 'say'"),
        (
            ("time_limit_min = 30", "time_limit_min = 90"),
            "tiny.toml: steps[0].time_limit: expected time_limit_min <= time_limit <= time_limit_max, "
            "got 90 <= 60 <= 120",
        ),
        (('role = "speaker"', 'role = "narrator"'), "tiny.toml: steps[0].role: invalid value 'narrator'"),
        (
            ("max_length = 100", "max_length = 100, colour = 1"),
            "tiny.toml: steps[0].input: object contains unknown field colour",
        ),
        (('title = "Tiny"\n', ""), "tiny.toml: (top level): object missing required field title"),
        (('id = "tiny"', 'id = "small"'), "tiny.toml: id: expected the file name 'tiny', got 'small'"),
        (('time_limit = 60\n"""', ""), "tiny.toml: steps[1].time_limit: missing"),
    ],
)
def test_error_messages_name_the_file_the_field_and_the_problem(change, expected):
    old, new = change
    assert old in GOOD + '"""'
    assert error_for((GOOD + '"""').replace(old, new, 1).removesuffix('"""')).startswith(expected)


def test_a_missing_time_limit_is_reported():
    text = GOOD.replace('time_limit = 60\n"""', "").rstrip().removesuffix("time_limit = 60")
    assert error_for(text) == "tiny.toml: steps[1].time_limit: missing (seconds, between 10 and 3600)"


def test_invalid_toml_is_reported_with_the_file_name():
    assert error_for("id = ").startswith("tiny.toml: not valid TOML:")


def test_branches_must_be_bounded_and_point_at_known_steps_and_options():
    looped = GOOD + 'branches = [{ when = "no", goto = "say", at_most = 2 }]\n'
    assert parse_exercise("tiny.toml", looped).step("answer").branches[0].at_most == 2
    assert error_for(GOOD + 'branches = [{ when = "maybe", goto = "say", at_most = 2 }]\n') == (
        "tiny.toml: steps[1].branches[0].when: not one of the options: 'maybe'"
    )
    assert error_for(GOOD + 'branches = [{ when = "no", goto = "elsewhere", at_most = 2 }]\n') == (
        "tiny.toml: steps[1].branches[0].goto: unknown step 'elsewhere'"
    )
    assert "expected int >= 1, got 0" in error_for(GOOD + 'branches = [{ when = "no", goto = "say", at_most = 0 }]\n')


def test_next_links_alone_may_not_loop_forever():
    assert error_for(GOOD + 'next = "say"\n') == (
        "tiny.toml: steps: the 'next' links loop forever through 'say'; use a branch with at_most to repeat steps"
    )


def test_a_break_must_take_its_length_from_a_choice_of_minutes():
    assert error_for(GOOD + 'starts_break_from = "say"\n') == (
        "tiny.toml: steps[1].starts_break_from: step 'say' must be a choice of minutes"
    )
    assert error_for(GOOD + 'starts_break_from = "answer"\n') == (
        "tiny.toml: steps[1].starts_break_from: step 'answer' option 'yes' is not a number of minutes (1-1440)"
    )


def test_a_breathing_guide_has_no_time_limit_of_its_own():
    guide = GOOD.replace('{ kind = "text", max_length = 100 }', '{ kind = "guide" }').replace(
        'role = "speaker"', 'role = "both"'
    )
    assert error_for(guide) == (
        "tiny.toml: steps[0].time_limit: a breathing guide lasts as long as its breathing; leave it out"
    )


def test_rounds_must_sit_within_their_bounds():
    assert error_for(
        GOOD.replace('description = "A tiny exercise for tests."', 'description = "x"\nrounds = 3\nrounds_max = 2')
    ) == ("tiny.toml: rounds: expected rounds_min <= rounds <= rounds_max, got 1 <= 3 <= 2")


def test_duplicate_exercise_ids_across_files_are_refused():
    texts = read_texts("definitions")
    texts["copy/small_truths.toml"] = texts["small_truths.toml"]
    with pytest.raises(DefinitionError) as info:
        build_catalogue(texts, {})
    assert str(info.value) == "small_truths.toml: id: duplicate exercise id 'small_truths'"


PLAN = """
id = "custom"
title = "Custom"
description = "A custom plan."
first_speaker = "partner_a"

[[exercises]]
exercise = "small_truths"
rounds = 2
time_limits = { share = 90 }
"""


def test_a_plan_may_adjust_time_limits_within_bounds():
    plan = parse_plan("custom.toml", PLAN, catalogue())
    assert plan.exercises[0].time_limits["share"] == 90
    assert plan.exercises[0].rounds == 2
    assert plan.first_speaker == "partner_a"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "share = 90",
            "share = 5",
            "custom.toml: exercises[0].time_limits.share: expected an int between 30 and 300, got 5",
        ),
        (
            "share = 90",
            "sing = 90",
            "custom.toml: exercises[0].time_limits.sing: small_truths has no step 'sing'",
        ),
        (
            "rounds = 2",
            "rounds = 9",
            "custom.toml: exercises[0].rounds: expected an int between 1 and 4 for small_truths, got 9",
        ),
        (
            'exercise = "small_truths"',
            'exercise = "juggling"',
            "custom.toml: exercises[0].exercise: unknown exercise",
        ),
        ('"partner_a"', '"whoever"', "custom.toml: first_speaker: invalid value 'whoever'"),
    ],
)
def test_plan_errors_name_the_file_and_the_parameter(old, new, expected):
    with pytest.raises(DefinitionError) as info:
        parse_plan("custom.toml", PLAN.replace(old, new), catalogue())
    assert str(info.value).startswith(expected)


def test_validate_plan_parameters_checks_a_composed_plan_before_it_is_used():
    spec = PlanSpec(
        id="mine",
        title="Mine",
        description="Composed by a facilitator.",
        exercises=(PlanItemSpec(exercise="breathe", time_limits={"guide": 60}),),
    )
    with pytest.raises(DefinitionError, match="breathing guide's length follows its breathing"):
        validate_plan_parameters(spec, catalogue().exercises, "facilitator plan")
    ok = PlanSpec(
        id="mine",
        title="Mine",
        description="Fine.",
        exercises=(PlanItemSpec(exercise="breathe", time_limits={"calm": 120}),),
    )
    validate_plan_parameters(ok, catalogue().exercises)
