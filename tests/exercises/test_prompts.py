"""Prompts that stay fresh: every prompt-bearing step draws from a pool stored as data, and a couple does
not see the same prompt again within 90 days. The choice is a pure function of the couple and its history."""

from __future__ import annotations

from datetime import date, timedelta

from exercises import new_session, snapshot_for
from exercises.plans import PlanItemSpec, prompt_slots
from exercises.prompts import FRESH_DAYS, UsedPrompt, choose_prompts
from tests.exercises.exercise_helpers import ANA, BEN, Run, catalogue, plan_of

DAY0 = date(2026, 1, 1)


def practise_every_day(plan_id: str, days: int, couple: str = "couple-1", every: float = 1.0) -> list[tuple[date, str]]:
    """Simulate a couple running a plan every ``every`` days; returns (day, prompt id) for each draw."""
    cat = catalogue()
    slots = prompt_slots(cat.plans[plan_id])
    history: list[UsedPrompt] = []
    seen: list[tuple[date, str]] = []
    n = 0
    while int(n * every) < days:
        today = DAY0 + timedelta(days=int(n * every))
        n += 1
        chosen = choose_prompts(slots, couple_id=couple, used=history, today=today, pools=cat.pools)
        assert set(chosen) == {key for key, _, _ in slots}, "every prompt-bearing step gets a prompt"
        for drawn in chosen.values():
            history.append(UsedPrompt(pool=drawn.pool, id=drawn.id, on=today))
            seen.append((today, f"{drawn.pool}/{drawn.id}"))
    return seen


def repeats_within(seen: list[tuple[date, str]], days: int) -> list[str]:
    last: dict[str, date] = {}
    found = []
    for day, prompt in seen:
        if prompt in last and (day - last[prompt]).days < days:
            found.append(prompt)
        last[prompt] = day
    return found


def test_a_couple_practising_the_daily_plan_every_day_for_90_days_never_sees_a_prompt_twice():
    seen = practise_every_day("daily", FRESH_DAYS)
    assert len(seen) == FRESH_DAYS
    assert len({prompt for _, prompt in seen}) == len(seen)


def test_over_a_year_of_daily_practice_no_prompt_comes_back_within_90_days():
    assert repeats_within(practise_every_day("daily", 365), FRESH_DAYS) == []


def test_every_built_in_plan_stays_fresh_for_90_days_at_its_own_pace():
    for plan in catalogue().plans.values():
        every = 7 / plan.sessions_per_week
        seen = practise_every_day(plan.id, FRESH_DAYS, every=every)
        assert repeats_within(seen, FRESH_DAYS) == [], plan.id


def test_the_choice_is_deterministic_from_the_couple_and_its_history():
    """A restart or a second process must pick the same prompt for the same couple on the same day."""
    cat = catalogue()
    slots = prompt_slots(cat.plans["deeper"])
    history = [UsedPrompt(pool="both_answer", id=p.id, on=DAY0) for p in cat.pools["both_answer"].prompts[:5]]
    first = choose_prompts(slots, couple_id="c", used=history, today=DAY0, pools=cat.pools)
    again = choose_prompts(slots, couple_id="c", used=list(reversed(history)), today=DAY0, pools=cat.pools)
    assert first == again
    others = {
        choose_prompts(slots, couple_id=f"couple-{n}", used=[], today=DAY0, pools=cat.pools)["1.answer"].id
        for n in range(10)
    }
    assert len(others) > 1  # couples walk the pool in their own order


def test_plans_pick_prompts_of_a_suitable_depth():
    cat = catalogue()
    for plan_id, exercise_index, step_id, depth in (
        ("daily", 1, "share", "light"),
        ("deeper", 1, "answer", "deeper"),
        ("deeper", 3, "reflect", "deeper"),
        ("when_hard", 2, "share", "deeper"),
        ("weekly_meeting", 1, "appreciate", "light"),
    ):
        slots = prompt_slots(cat.plans[plan_id])
        drawn = choose_prompts(slots, couple_id="c", used=[], today=DAY0, pools=cat.pools)[
            f"{exercise_index}.{step_id}"
        ]
        pool = cat.pools[drawn.pool]
        assert next(p for p in pool.prompts if p.id == drawn.id).depth == depth, plan_id


def test_the_pools_are_big_enough_and_tagged_by_depth():
    pools = catalogue().pools
    sizes = {name: len(pool.prompts) for name, pool in pools.items()}
    assert sizes["small_truths"] >= 60
    assert sizes["both_answer"] >= 40
    assert sizes["reflection"] >= 30
    assert sizes["appreciations"] >= 20
    for pool in pools.values():
        assert {p.depth for p in pool.prompts} <= {"light", "deeper"}
        assert len({p.id for p in pool.prompts}) == len(pool.prompts)


def test_when_a_pool_runs_dry_the_prompt_seen_longest_ago_comes_back_first():
    cat = catalogue()
    pool = cat.pools["appreciations"]
    slots = [("0.appreciate", "appreciations", "light")]
    history = [
        UsedPrompt(pool="appreciations", id=p.id, on=DAY0 + timedelta(days=i)) for i, p in enumerate(pool.prompts)
    ]
    today = DAY0 + timedelta(days=len(pool.prompts))
    drawn = choose_prompts(slots, couple_id="c", used=history, today=today, pools=cat.pools)["0.appreciate"]
    assert drawn.id == pool.prompts[0].id


def test_the_acting_partner_sees_the_drawn_prompt_in_the_step_and_both_see_which_it_was():
    cat = catalogue()
    plan = plan_of(PlanItemSpec(exercise="small_truths", rounds=2))
    prompts = choose_prompts(prompt_slots(plan), couple_id="c", used=[], today=DAY0, pools=cat.pools)
    run = Run(plan)
    run.state = new_session(plan, (ANA, BEN), ANA, prompts=prompts)
    run.start()
    run.submit(ANA, "tiredness")
    text = prompts["0.share"].text
    assert text in run.announcement(ANA)["prompt"]
    assert run.announcement(BEN)["drawn_prompt"] == text
    assert snapshot_for(run.state, BEN, run.now)["step"]["drawn_prompt"] == text
    run.submit(ANA, "I was tired.")
    run.submit(BEN, "You were tired.")
    run.submit(ANA, "yes")
    run.submit(BEN, "gratitude")
    assert text in run.announcement(BEN)["prompt"]  # the same starter for both partners' turns


def test_without_a_drawn_prompt_a_step_shows_its_own():
    run = Run(plan_of("private_reflection"))
    assert run.announcement(ANA)["prompt"] == catalogue().exercises["private_reflection"].steps[0].prompt
    assert run.announcement(ANA)["drawn_prompt"] is None


def test_prompts_for_steps_the_plan_does_not_have_are_ignored():
    plan = plan_of("check_in")
    state = new_session(
        plan,
        (ANA, BEN),
        ANA,
        prompts={
            "0.share": choose_prompts(
                [("0.share", "small_truths", "light")], couple_id="c", used=[], today=DAY0, pools=catalogue().pools
            )["0.share"]
        },
    )
    assert state.prompts == {}


def test_a_fresh_prompt_of_the_other_depth_beats_a_repeat():
    """A facilitator's plan may ask for more light reflections than the pool holds: no repeat while any is fresh."""
    cat = catalogue()
    slots = [("0.reflect", "reflection", "light")]
    light = cat.pools["reflection"].at_depth("light")
    history = [UsedPrompt(pool="reflection", id=p.id, on=DAY0) for p in light]
    drawn = choose_prompts(slots, couple_id="c", used=history, today=DAY0 + timedelta(days=1), pools=cat.pools)
    assert drawn["0.reflect"].id not in {p.id for p in light}


def test_an_old_stored_session_without_rules_keeps_the_rules_it_started_with():
    """Sessions stored before the rules became data decode, and keep the bounds they began under."""
    import msgspec

    from exercises import decode_state, encode_state

    state = new_session(plan_of("check_in"), (ANA, BEN), ANA)
    raw = msgspec.json.decode(encode_state(state))
    del raw["plan"]["rules"], raw["prompts"]
    old = decode_state(msgspec.json.encode(raw))
    assert old.prompts == {} and old.plan.rules.break_.min_minutes == 1
