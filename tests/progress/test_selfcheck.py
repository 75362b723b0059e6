"""The weekly self-check: its form, reverse keying, and every way a set of answers can be refused."""

from __future__ import annotations

import itertools

import pytest

from exercises.selfcheck import SCALE_KEYS, SelfCheckInvalid, parse_selfcheck, score
from server.progress.form import FORM_FILE, selfcheck_form

FORM = selfcheck_form()
ALL_IDS = [item.id for item in FORM.items_in_order()]


def answers(value: int = 4, **overrides: int) -> dict[str, object]:
    return {**dict.fromkeys(ALL_IDS, value), **overrides}


def test_four_scales_of_three_or_four_items_some_reverse_keyed() -> None:
    assert tuple(s.key for s in FORM.scales) == SCALE_KEYS
    for s in FORM.scales:
        assert 3 <= len(s.items) <= 4
        assert any(i.reverse for i in s.items) and not all(i.reverse for i in s.items)
    assert (FORM.scale.min, FORM.scale.max) == (1, 7)


def test_items_are_shown_mixed_never_two_of_a_scale_in_a_row_and_without_scale_names() -> None:
    scale_of = {i.id: s.key for s in FORM.scales for i in s.items}
    shown = FORM.items_in_order()
    assert sorted(i.id for i in shown) == sorted(scale_of)
    assert all(scale_of[a.id] != scale_of[b.id] for a, b in itertools.pairwise(shown))
    for item in shown:
        assert not any(s.label.lower() in item.text.lower() for s in FORM.scales)


def test_the_intro_says_kindly_it_is_not_a_clinical_score() -> None:
    assert "not a clinical score" in FORM.intro


def test_reverse_keyed_items_count_eight_minus_the_answer() -> None:
    # worry: w1 5, w2 6, w3 (reverse) 2 -> 6, w4 3  => (5 + 6 + 6 + 3) / 4 = 5.0
    scores = score(FORM, answers(w1=5, w2=6, w3=2, w4=3))
    assert scores["worry"] == 5.0
    # discomfort: d1 1, d2 (reverse) 7 -> 1, d3 2 => 4 / 3 = 1.33
    assert score(FORM, answers(d1=1, d2=7, d3=2))["discomfort"] == 1.33
    # steadiness: s1 7, s2 (r) 1 -> 7, s3 6, s4 (r) 3 -> 5 => 25 / 4 = 6.25
    assert score(FORM, answers(s1=7, s2=1, s3=6, s4=3))["steadiness"] == 6.25
    # satisfaction: r1 2, r2 3, r3 (r) 6 -> 2 => 7 / 3 = 2.33
    assert score(FORM, answers(r1=2, r2=3, r3=6))["satisfaction"] == 2.33


@pytest.mark.parametrize("value", [1, 7])
def test_all_the_same_answer_lands_in_range_and_reverse_items_pull_toward_the_middle(value: int) -> None:
    scores = score(FORM, answers(value))
    assert set(scores) == set(SCALE_KEYS)
    for s in FORM.scales:
        n, r = len(s.items), sum(i.reverse for i in s.items)
        assert scores[s.key] == round(((n - r) * value + r * (8 - value)) / n, 2)
        assert 1 <= scores[s.key] <= 7


def test_every_extreme_reaches_the_ends_of_each_scale() -> None:
    low = {i.id: (7 if i.reverse else 1) for s in FORM.scales for i in s.items}
    high = {i.id: (1 if i.reverse else 7) for s in FORM.scales for i in s.items}
    assert set(score(FORM, low).values()) == {1.0}
    assert set(score(FORM, high).values()) == {7.0}


@pytest.mark.parametrize("missing", ALL_IDS)
def test_a_missing_item_is_refused_by_name(missing: str) -> None:
    given = answers()
    del given[missing]
    with pytest.raises(SelfCheckInvalid) as info:
        score(FORM, given)
    assert info.value.item == missing and missing in info.value.message


@pytest.mark.parametrize("bad", [0, 8, -1, 4.5, 4.0, "4", True, None, [4]])
def test_out_of_range_or_not_a_whole_number_is_refused(bad: object) -> None:
    with pytest.raises(SelfCheckInvalid) as info:
        score(FORM, answers(**{"s2": bad}))  # type: ignore[arg-type]
    assert info.value.item == "s2" and "1 to 7" in info.value.message


def test_an_extra_item_is_refused() -> None:
    with pytest.raises(SelfCheckInvalid) as info:
        score(FORM, {**answers(), "x9": 3})
    assert info.value.item == "x9"


def test_not_an_object_is_refused() -> None:
    with pytest.raises(SelfCheckInvalid):
        score(FORM, [1, 2, 3])  # type: ignore[arg-type]


def test_a_broken_form_is_refused_when_read() -> None:
    text = FORM_FILE.read_text("utf-8")
    with pytest.raises(ValueError, match="exactly once"):
        parse_selfcheck(text.replace('"w4", "s4"]', '"w4"]'))
    with pytest.raises(ValueError, match="3 or 4"):
        parse_selfcheck(
            text.replace(
                '  { id = "d3", text = "I kept my feelings to myself even when I wanted to share them." },\n', ""
            ).replace('"d3", ', "")
        )
