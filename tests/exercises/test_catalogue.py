"""The shipped catalogue: every exercise and plan parses, and the plans are the length we promise."""

from __future__ import annotations

import ast
from importlib.resources import files

from exercises import build_catalogue
from exercises.schema import GuideInput
from tests.exercises.exercise_helpers import PACKAGE, catalogue, plan_of


def test_the_catalogue_has_every_exercise_and_the_five_plans():
    cat = catalogue()
    assert set(cat.exercises) == {
        "small_truths",
        "mirror",
        "asking_for_space",
        "breathe",
        "private_reflection",
        "check_in",
        "check_out",
        "both_answer",
        "appreciations",
        "stress_reducing",
    }
    assert set(cat.plans) == {"daily", "deeper", "when_hard", "stress_reducing", "weekly_meeting"}


def _order(plan_id: str) -> list[str]:
    return [p.definition.id for p in catalogue().plans[plan_id].exercises]


def test_daily_takes_up_to_fifteen_minutes_in_the_promised_order():
    daily = catalogue().plans["daily"]
    assert _order("daily") == ["check_in", "small_truths", "check_out"]
    assert 10 <= daily.estimated_minutes <= 15
    assert daily.title and daily.description


def test_deeper_answers_together_then_mirrors():
    assert _order("deeper") == ["check_in", "both_answer", "mirror", "private_reflection", "check_out"]
    assert catalogue().plans["deeper"].estimated_minutes <= 75


def test_when_it_gets_hard_breathes_asks_for_space_and_shares_a_small_truth():
    assert _order("when_hard") == ["breathe", "asking_for_space", "small_truths"]


def test_the_stress_reducing_conversation_is_about_fifteen_minutes_a_partner():
    plan = catalogue().plans["stress_reducing"]
    assert _order("stress_reducing") == ["stress_reducing"]
    assert plan.exercises[0].rounds == 2
    assert 20 <= plan.estimated_minutes <= 30


def test_the_weekly_meeting_takes_about_an_hour_appreciations_first():
    plan = catalogue().plans["weekly_meeting"]
    assert _order("weekly_meeting") == ["check_in", "appreciations", "mirror", "check_out"]
    assert 50 <= plan.estimated_minutes <= 70


def test_a_plan_estimate_counts_every_optional_loop():
    """ "Up to N minutes" is honest: a speaker who always says "not quite" still fits in it."""
    small = plan_of("small_truths")
    limits = small.exercises[0].time_limits
    plain = sum(limits[s] for s in ("feeling", "share", "reflect", "landed"))
    loop = sum(limits[s] for s in ("clarify", "reflect", "landed"))
    assert small.estimated_minutes * 60 >= plain + loop


def test_every_step_has_a_prompt_a_title_and_sane_time_bounds():
    for definition in catalogue().exercises.values():
        for step in definition.steps:
            assert step.prompt.strip() and step.title.strip()
            if isinstance(step.input, GuideInput):
                assert step.time_limit is None
            else:
                assert step.time_limit_min <= step.time_limit <= step.time_limit_max


def test_check_in_and_check_out_ask_the_same_questions_on_a_1_to_7_scale():
    cat = catalogue().exercises
    ins, outs = cat["check_in"], cat["check_out"]
    assert (ins.category, outs.category) == ("check_in", "check_out")
    assert [s.id for s in ins.steps] == [s.id for s in outs.steps] == ["connected", "calm"]
    assert all(s.role == "both" and s.input.scale == 7 for s in (*ins.steps, *outs.steps))


def test_asking_for_space_explains_why_twenty_minutes_is_a_good_minimum():
    back_in = catalogue().exercises["asking_for_space"].step("back_in")
    assert "20 minutes" in back_in.prompt
    assert [o.value for o in back_in.input.options] == ["20", "30", "45", "60"]
    rules = catalogue().rules.break_
    assert all(rules.allows(int(o.value) * 60) for o in back_in.input.options)


def test_breathing_guide_length_is_its_breathing_plus_a_short_lead_in():
    plan = plan_of("breathe")
    assert plan.exercises[0].time_limits["guide"] == 3 + (4 + 6) * 10


def test_the_catalogue_loads_from_package_data_the_way_the_runtime_reads_it():
    root = files("exercises")

    def texts(folder: str) -> dict[str, str]:
        return {p.name: p.read_text("utf-8") for p in root.joinpath(folder).iterdir() if p.name.endswith(".toml")}

    rules = ("rules.toml", root.joinpath("rules.toml").read_text("utf-8"))
    built = build_catalogue(texts("definitions"), texts("plans"), prompt_texts=texts("prompts"), rules_text=rules)
    assert built == catalogue()


def test_the_engine_stays_pure():
    """No I/O, clock, randomness or asyncio: the runtime passes time and chance in."""
    forbidden = {
        "time",
        "random",
        "asyncio",
        "os",
        "pathlib",
        "socket",
        "io",
        "importlib",
        "datetime.datetime.now",
    }
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                names = {called} if called in ("open", "now", "utcnow", "today") else set()
            else:
                continue
            assert not names & (forbidden | {"open", "now", "utcnow", "today"}), (module.name, names)
