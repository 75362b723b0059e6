"""Broken definitions fail loudly, naming the file, the field path and the problem."""

from __future__ import annotations

import pytest

from exercises import DefinitionError, PlanSpec, build_catalogue, parse_exercise, parse_plan
from exercises.plans import PlanItemSpec, validate_plan_parameters
from tests.exercises.exercise_helpers import PACKAGE, catalogue, read_texts

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
        "tiny.toml: steps[1].starts_break_from: step 'answer' option 'yes' is not a number of minutes (1-1439)"
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
        build(definitions=texts, plans={})
    assert str(info.value) == "small_truths.toml: id: duplicate exercise id 'small_truths'"


RULES = (PACKAGE / "rules.toml").read_text("utf-8")


def build(
    definitions: dict[str, str] | None = None,
    plans: dict[str, str] | None = None,
    prompts: dict[str, str] | None = None,
    rules: str = RULES,
):
    return build_catalogue(
        read_texts("definitions") if definitions is None else definitions,
        read_texts("plans") if plans is None else plans,
        prompt_texts=read_texts("prompts") if prompts is None else prompts,
        rules_text=("rules.toml", rules),
    )


def build_error(**kwargs) -> str:
    with pytest.raises(DefinitionError) as info:
        build(**kwargs)
    return str(info.value)


def test_the_rules_refuse_a_break_of_a_whole_day_or_a_choice_outside_the_bounds():
    assert build_error(rules=RULES.replace("less_than_minutes = 1440", "less_than_minutes = 1441")) == (
        "rules.toml: break.less_than_minutes: a break ends within a day (at most 1440)"
    )
    assert build_error(rules=RULES.replace("choices_minutes = [20,", "choices_minutes = [10, 20,")) == (
        "rules.toml: break.choices_minutes[0]: 10 is not at least 20 minutes and less than 24 hours"
    )
    assert build_error(rules=RULES.replace("max_seconds = 300", "max_seconds = 1300")).startswith(
        "rules.toml: short_pause.max_seconds:"
    )


def test_an_exercise_may_not_offer_a_break_the_rules_refuse():
    texts = read_texts("definitions")
    texts["asking_for_space.toml"] = texts["asking_for_space.toml"].replace(
        '{ value = "20", label = "In 20 minutes" }', '{ value = "10", label = "In 10 minutes" }'
    )
    assert build_error(definitions=texts) == (
        "asking_for_space.toml: steps[4].starts_break_from: 'back_in' offers 10 minutes; "
        "a break lasts at least 20 minutes and less than 24 hours"
    )


def test_a_pool_smaller_than_its_minimum_is_refused():
    prompts = read_texts("prompts")
    prompts["appreciations.toml"] = prompts["appreciations.toml"].replace("minimum = 20", "minimum = 30")
    assert build_error(prompts=prompts) == (
        "appreciations.toml: prompts: 22 prompts, fewer than the pool's minimum of 30"
    )


def test_a_repeated_prompt_is_refused():
    prompts = read_texts("prompts")
    prompts["appreciations.toml"] = prompts["appreciations.toml"].replace(
        '"I appreciated how patient you were when…"', '"This week I appreciated it when you…"'
    )
    assert "appears twice" in build_error(prompts=prompts)


def test_a_plan_whose_pool_cannot_stay_fresh_for_ninety_days_is_refused():
    plans = read_texts("plans")
    plans["weekly_meeting.toml"] = plans["weekly_meeting.toml"].replace(
        "sessions_per_week = 1", "sessions_per_week = 2"
    )
    assert build_error(plans=plans) == (
        "weekly_meeting.toml: sessions_per_week: 2 sessions a week need 26 light prompts in 'appreciations' "
        "to stay fresh for 90 days; it has 22"
    )


def test_a_step_must_name_a_known_prompt_pool_and_say_where_the_prompt_goes():
    texts = read_texts("definitions")
    texts["appreciations.toml"] = texts["appreciations.toml"].replace(
        'prompt_pool = "appreciations"', 'prompt_pool = "compliments"'
    )
    assert build_error(definitions=texts) == (
        "appreciations.toml: steps[0].prompt_pool: unknown prompt pool 'compliments'"
    )
    assert error_for(
        GOOD.replace('prompt = "Say something small."', 'prompt = "Say."\ndrawn_prompt = "No slot."\nprompt_pool = "x"')
    ) == ("tiny.toml: steps[0].drawn_prompt: must contain {prompt}, where the drawn prompt goes")


def test_only_a_speaker_step_can_be_offered_again_and_only_after_a_reveal_of_a_both_step():
    assert error_for(GOOD + "reinvite_if_silent = true\n") == (
        "tiny.toml: steps[1].reinvite_if_silent: only a speaker's step can be offered again"
    )
    assert error_for(GOOD + 'only_after_reveal_of = "say"\n') == (
        "tiny.toml: steps[1].only_after_reveal_of: must name a 'both' step of this exercise"
    )


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
