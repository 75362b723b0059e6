"""Pure parsing of exercise and plan TOML texts into checked definitions.

No file access here: the caller reads the texts (``rooms/`` via ``importlib.resources``, tests via
pathlib) and passes ``{file name: text}``. Every error names the file, the field path and the problem.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from .errors import DefinitionError
from .plans import Plan, PlanSpec, build_plan, prompt_slots
from .prompts import PromptPool, PromptPoolSpec, build_pool, draws_per_90_days
from .rules import SessionRules, check_rules
from .schema import (
    END,
    INPUT_KINDS,
    ChoiceInput,
    ExerciseDefinition,
    FeelingInput,
    GuideInput,
    StepDefinition,
)

T = TypeVar("T")

_PATH = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_GOT_TYPE = re.compile(r", got `[^`]*`$")


class Catalogue(msgspec.Struct, frozen=True):
    exercises: dict[str, ExerciseDefinition]
    plans: dict[str, Plan]
    pools: dict[str, PromptPool]
    rules: SessionRules


def parse_exercise(source_name: str, text: str) -> ExerciseDefinition:
    raw = _load_toml(source_name, text)
    definition = _convert(source_name, raw, ExerciseDefinition)
    definition = _with_default_bounds(definition)
    check_exercise(source_name, definition)
    stem = source_name.rsplit("/", 1)[-1].removesuffix(".toml")
    if source_name.endswith(".toml") and definition.id != stem:
        raise DefinitionError(f"{source_name}: id: expected the file name {stem!r}, got {definition.id!r}")
    return definition


def parse_plan(
    source_name: str,
    text: str,
    catalogue: Mapping[str, ExerciseDefinition] | Catalogue,
    rules: SessionRules | None = None,
) -> Plan:
    """Parse a plan; its session rules come from ``rules`` or, given a ``Catalogue``, from the catalogue."""
    exercises = catalogue.exercises if isinstance(catalogue, Catalogue) else catalogue
    rules = rules if rules is not None else catalogue.rules if isinstance(catalogue, Catalogue) else None
    if rules is None:
        raise ValueError("parse_plan needs the session rules (pass a Catalogue, or rules=)")
    spec = _convert(source_name, _load_toml(source_name, text), PlanSpec)
    return build_plan(spec, exercises, source_name, rules=rules)


def parse_rules(source_name: str, text: str) -> SessionRules:
    rules = _convert(source_name, _load_toml(source_name, text), SessionRules)
    problems = check_rules(source_name, rules)
    if problems:
        raise DefinitionError(problems[0])
    return rules


def parse_pool(source_name: str, text: str) -> PromptPool:
    spec = _convert(source_name, _load_toml(source_name, text), PromptPoolSpec)
    stem = source_name.rsplit("/", 1)[-1].removesuffix(".toml")
    if source_name.endswith(".toml") and spec.id != stem:
        raise DefinitionError(f"{source_name}: id: expected the file name {stem!r}, got {spec.id!r}")
    pool = build_pool(spec)
    seen: dict[str, str] = {}
    for prompt in pool.prompts:
        if prompt.id in seen:
            raise DefinitionError(f"{source_name}: {prompt.depth}: the prompt {prompt.text!r} appears twice")
        seen[prompt.id] = prompt.text
    if len(pool.prompts) < spec.minimum:
        raise DefinitionError(
            f"{source_name}: prompts: {len(pool.prompts)} prompts, fewer than the pool's minimum of {spec.minimum}"
        )
    return pool


def build_catalogue(
    exercise_texts: Mapping[str, str],
    plan_texts: Mapping[str, str],
    *,
    prompt_texts: Mapping[str, str],
    rules_text: tuple[str, str],
) -> Catalogue:
    """Parse the rules, every prompt pool and exercise, then every plan against them; ids must be unique.

    ``rules_text`` is ``(file name, text)``. A plan is refused when one of its prompt pools is too small to
    stay fresh for 90 days at the plan's ``sessions_per_week``.
    """
    rules = parse_rules(*rules_text)
    pools: dict[str, PromptPool] = {}
    for name, text in sorted(prompt_texts.items()):
        pool = parse_pool(name, text)
        if pool.id in pools:
            raise DefinitionError(f"{name}: id: duplicate prompt pool id {pool.id!r}")
        pools[pool.id] = pool
    exercises: dict[str, ExerciseDefinition] = {}
    for name, text in sorted(exercise_texts.items()):
        definition = parse_exercise(name, text)
        if definition.id in exercises:
            raise DefinitionError(f"{name}: id: duplicate exercise id {definition.id!r}")
        for i, step in enumerate(definition.steps):
            if step.prompt_pool is not None and step.prompt_pool not in pools:
                raise DefinitionError(f"{name}: steps[{i}].prompt_pool: unknown prompt pool {step.prompt_pool!r}")
            if step.starts_break_from is not None:  # the exercise offers only breaks the rules allow
                source = definition.step(step.starts_break_from)
                for option in getattr(source.input, "options", ()):
                    if not rules.break_.allows(int(option.value) * 60):
                        raise DefinitionError(
                            f"{name}: steps[{i}].starts_break_from: {source.id!r} offers {option.value} minutes; "
                            f"a break lasts {rules.break_.describe()}"
                        )
        exercises[definition.id] = definition
    plans: dict[str, Plan] = {}
    for name, text in sorted(plan_texts.items()):
        plan = parse_plan(name, text, exercises, rules)
        if plan.id in plans:
            raise DefinitionError(f"{name}: id: duplicate plan id {plan.id!r}")
        check_pools_last(name, plan, pools)
        plans[plan.id] = plan
    return Catalogue(exercises=exercises, plans=plans, pools=pools, rules=rules)


def check_pools_last(source_name: str, plan: Plan, pools: Mapping[str, PromptPool]) -> None:
    """Refuse a plan whose couples would see a prompt again within 90 days at its stated pace."""
    sessions = draws_per_90_days(plan.sessions_per_week)
    needed: dict[tuple[str, str], int] = {}
    for _, pool_id, depth in prompt_slots(plan):
        needed[(pool_id, depth)] = needed.get((pool_id, depth), 0) + sessions
    for (pool_id, depth), count in sorted(needed.items()):
        have = len(pools[pool_id].at_depth(depth))  # type: ignore[arg-type]
        if have < count:
            raise DefinitionError(
                f"{source_name}: sessions_per_week: {plan.sessions_per_week} sessions a week need {count} "
                f"{depth} prompts in {pool_id!r} to stay fresh for 90 days; it has {have}"
            )


def check_exercise(source_name: str, definition: ExerciseDefinition) -> None:
    """Semantic checks msgspec cannot express: references, bounds, and loops that always end."""

    def fail(path: str, problem: str) -> DefinitionError:
        return DefinitionError(f"{source_name}: {path}: {problem}")

    d = definition
    if not d.rounds_min <= d.rounds <= d.rounds_max:
        raise fail(
            "rounds",
            f"expected rounds_min <= rounds <= rounds_max, got {d.rounds_min} <= {d.rounds} <= {d.rounds_max}",
        )
    ids = [step.id for step in d.steps]
    for i, step_id in enumerate(ids):
        if step_id == END or step_id in ids[:i]:
            raise fail(f"steps[{i}].id", f"duplicate or reserved step id {step_id!r}")
    for i, step in enumerate(d.steps):
        where = f"steps[{i}]"
        _check_timing(step, where, fail)
        if step.next != END and step.next not in ids:
            raise fail(f"{where}.next", f"unknown step {step.next!r}")
        option_values = _option_values(step)
        for j, branch in enumerate(step.branches):
            if branch.goto not in ids:
                raise fail(f"{where}.branches[{j}].goto", f"unknown step {branch.goto!r}")
            if option_values is None:
                raise fail(f"{where}.branches", "only choice and feeling steps can branch")
            if branch.when not in option_values:
                raise fail(f"{where}.branches[{j}].when", f"not one of the options: {branch.when!r}")
        if option_values is not None and len(set(option_values)) != len(option_values):
            raise fail(f"{where}.input.options", "duplicate option values")
        if step.starts_break_from is not None:
            _check_break_source(d, step.starts_break_from, f"{where}.starts_break_from", fail)
        if step.waiting is not None and step.role not in ("speaker", "listener"):
            raise fail(f"{where}.waiting", "only speaker and listener steps have someone waiting")
        _check_extras(d, step, where, ids, fail)
    _check_plain_path_ends(d, fail)


def _check_extras(d: ExerciseDefinition, step: StepDefinition, where: str, ids: list[str], fail: Any) -> None:
    if (step.prompt_pool is None) != (step.drawn_prompt is None):
        raise fail(f"{where}.drawn_prompt", "prompt_pool and drawn_prompt go together")
    if step.drawn_prompt is not None and "{prompt}" not in step.drawn_prompt:
        raise fail(f"{where}.drawn_prompt", "must contain {prompt}, where the drawn prompt goes")
    if step.reinvite_if_silent and step.role != "speaker":
        raise fail(f"{where}.reinvite_if_silent", "only a speaker's step can be offered again")
    if step.if_silent is not None and (not step.reinvite_if_silent or step.if_silent not in ids):
        raise fail(f"{where}.if_silent", f"needs reinvite_if_silent and a known step, got {step.if_silent!r}")
    reveal = step.only_after_reveal_of
    if reveal is not None and (reveal not in ids or d.step(reveal).role != "both"):
        raise fail(f"{where}.only_after_reveal_of", "must name a 'both' step of this exercise")


def _check_timing(step: StepDefinition, where: str, fail: Any) -> None:
    if isinstance(step.input, GuideInput):
        if step.time_limit is not None:
            raise fail(f"{where}.time_limit", "a breathing guide lasts as long as its breathing; leave it out")
        if step.role != "both":
            raise fail(f"{where}.role", f"a breathing guide is for both, got {step.role!r}")
        return
    if step.time_limit is None:
        raise fail(f"{where}.time_limit", "missing (seconds, between 10 and 3600)")
    low, high = step.time_limit_min, step.time_limit_max
    if not (low is not None and high is not None and low <= step.time_limit <= high):
        raise fail(
            f"{where}.time_limit",
            f"expected time_limit_min <= time_limit <= time_limit_max, got {low} <= {step.time_limit} <= {high}",
        )


def _option_values(step: StepDefinition) -> list[str] | None:
    if isinstance(step.input, ChoiceInput | FeelingInput):
        return [option.value for option in step.input.options]
    return None


def _check_break_source(d: ExerciseDefinition, source: str, path: str, fail: Any) -> None:
    try:
        step = d.step(source)
    except KeyError:
        raise fail(path, f"unknown step {source!r}") from None
    if not isinstance(step.input, ChoiceInput):
        raise fail(path, f"step {source!r} must be a choice of minutes")
    for option in step.input.options:
        if not option.value.isdigit() or not 1 <= int(option.value) < 24 * 60:
            raise fail(path, f"step {source!r} option {option.value!r} is not a number of minutes (1-1439)")


def _check_plain_path_ends(d: ExerciseDefinition, fail: Any) -> None:
    """Every loop must go through a bounded branch: the ``next`` links alone must never cycle."""
    for start in d.steps:
        seen: set[str] = set()
        step_id = start.id
        while step_id != END:
            if step_id in seen:
                raise fail(
                    "steps",
                    f"the 'next' links loop forever through {step_id!r}; use a branch with at_most to repeat steps",
                )
            seen.add(step_id)
            step_id = d.step(step_id).next


def _with_default_bounds(d: ExerciseDefinition) -> ExerciseDefinition:
    """A step without explicit bounds cannot be adjusted by a plan: its bounds are its own limit."""
    steps = tuple(
        msgspec.structs.replace(
            step,
            time_limit_min=step.time_limit if step.time_limit_min is None else step.time_limit_min,
            time_limit_max=step.time_limit if step.time_limit_max is None else step.time_limit_max,
        )
        if step.time_limit is not None
        else step
        for step in d.steps
    )
    return msgspec.structs.replace(d, steps=steps)


def _load_toml(source_name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{source_name}: not valid TOML: {exc}") from None


def _convert(source_name: str, raw: dict[str, Any], type_: type[T]) -> T:
    try:
        return msgspec.convert(raw, type_)
    except msgspec.ValidationError as exc:
        raise DefinitionError(_describe(source_name, raw, str(exc))) from None


def _describe(source_name: str, raw: Any, error: str) -> str:
    """Turn msgspec's "Expected `int`, got `str` - at `$.steps[2].time_limit`" into our house style."""
    match = _PATH.match(error)
    assert match is not None
    problem, path = match["problem"], (match["path"] or "").lstrip(".")
    value = _lookup(raw, path)
    if problem.startswith("Invalid value") and path.endswith("input.kind"):
        return f"{source_name}: {path}: unknown input kind {value!r} (expected one of {', '.join(INPUT_KINDS)})"
    problem = _GOT_TYPE.sub("", problem).replace("`", "").replace(" | null", "").replace(" enum", "")
    problem = problem[:1].lower() + problem[1:]
    if value is not _MISSING and not problem.startswith(("object", "invalid value")):
        problem += f", got {json.dumps(value, default=str)}"
    return f"{source_name}: {path or '(top level)'}: {problem}"


_MISSING = object()


def _lookup(raw: Any, path: str) -> Any:
    node = raw
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        try:
            node = node[int(part[1:-1])] if part.startswith("[") else node[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node
