"""Weekly grouping in the person's time zone, the series and their sentences, against hand-computed numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import msgspec

from exercises.measures import measures_from_events
from exercises.weekly import MEASURE_KEYS, NOT_ENOUGH, build_measures, group_weeks, week_grid, week_key
from tests.exercises.exercise_helpers import ANA, FAY
from tests.progress.test_measures import daily_session, deeper_session

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 29)  # a Sunday


@dataclass
class Row:
    started_at: datetime
    attended: bool = True
    completed: bool = True
    with_facilitator: bool = False
    self_disclosure: int = 0
    reflections_total: int = 0
    reflections_landed: int = 0
    understood_sum: int = 0
    understood_count: int = 0
    breathing_completed: int = 0
    breaks_taken: int = 0
    breaks_returned: int = 0
    connected_start: int | None = None
    connected_end: int | None = None
    calm_start: int | None = None
    calm_end: int | None = None


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


ROWS = [
    Row(utc(2026, 11, 3, 10), self_disclosure=2, reflections_total=2, reflections_landed=1, understood_sum=4,
        understood_count=1, breathing_completed=1, breaks_taken=1, breaks_returned=1,
        connected_start=3, connected_end=5, calm_start=4, calm_end=4),
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin: next week.
    Row(utc(2026, 11, 8, 23, 30), completed=False, self_disclosure=1, reflections_total=1, reflections_landed=1,
        connected_start=4, connected_end=4),
    Row(utc(2026, 11, 10, 9), attended=False, self_disclosure=9),  # not there: not counted
    Row(utc(2026, 11, 23, 12), with_facilitator=True, understood_sum=10, understood_count=2,
        connected_start=2, connected_end=5, calm_start=3, calm_end=6),
    Row(utc(2026, 10, 25, 12), self_disclosure=5),  # before the four weeks
]  # fmt: skip
CHECKS = [
    (date(2026, 11, 4), {"worry": 5.0, "steadiness": 3.0}),
    (date(2026, 11, 6), {"worry": 4.0, "steadiness": 3.5}),
    (date(2026, 11, 25), {"worry": 3.5, "steadiness": 2.75}),
]
SOLO = [utc(2026, 11, 15, 23, 30), utc(2026, 11, 16, 10), utc(2026, 12, 1, 10)]


def measures() -> dict[str, dict]:
    grid = week_grid(TODAY, 4)
    weeks = group_weeks(grid, BERLIN, ROWS, CHECKS, SOLO)
    return {m["key"]: m for m in build_measures(weeks)}


def test_the_grid_is_iso_weeks_ending_this_week() -> None:
    grid = week_grid(TODAY, 4)
    assert grid == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert [week_key(d) for d in grid] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert len(week_grid(TODAY, 52)) == 52 and week_grid(TODAY, 52)[-1] == date(2026, 11, 23)
    assert week_key(week_grid(date(2027, 1, 3), 4)[-1]) == "2026-W53"  # 2026 has a 53rd ISO week
    assert week_key(date(2027, 1, 4)) == "2027-W01"


def test_every_measure_in_the_fixed_order() -> None:
    assert list(measures()) == list(MEASURE_KEYS)
    assert MEASURE_KEYS == (  # the contract's order (docs/progress.md), attendance "with a facilitator or not"
        "worry",
        "discomfort",
        "steadiness",
        "satisfaction",
        "self_disclosure",
        "felt_heard",
        "felt_understood",
        "calming_practice",
        "sessions_attended",
        "sessions_completed",
        "sessions_with_facilitator",
        "came_back_after_break",
        "connected_change",
        "calm_change",
    )


def test_weekly_values_hand_computed() -> None:
    m = measures()
    assert m["worry"]["values"] == [4.5, None, None, 3.5]  # (5 + 4) / 2, then 3.5
    assert m["discomfort"]["values"] == [None] * 4
    assert m["self_disclosure"]["values"] == [2, 1, None, 0]  # none attended in W47: nothing to count
    assert m["felt_heard"]["values"] == [0.5, 1.0, None, None]
    assert m["felt_understood"]["values"] == [4.0, None, None, 5.0]
    assert m["calming_practice"]["values"] == [1, 0, 2, 0]  # two solo practices in W47 (Berlin time)
    assert m["sessions_attended"]["values"] == [1, 1, 0, 1]
    assert m["sessions_completed"]["values"] == [1, 0, 0, 1]
    assert m["came_back_after_break"]["values"] == [1, 0, None, 0]
    assert m["connected_change"]["values"] == [2.0, 0.0, None, 3.0]
    assert m["calm_change"]["values"] == [0.0, None, None, 3.0]


def test_bounds_for_each_kind() -> None:
    m = measures()
    assert (m["worry"]["min"], m["worry"]["max"], m["worry"]["kind"]) == (1, 7, "scale")
    assert (m["felt_understood"]["min"], m["felt_understood"]["max"]) == (1, 5)
    assert (m["felt_heard"]["min"], m["felt_heard"]["max"], m["felt_heard"]["kind"]) == (0, 1, "share")
    assert (m["calm_change"]["min"], m["calm_change"]["max"]) == (-6, 6)
    assert (m["sessions_attended"]["min"], m["sessions_attended"]["max"]) == (0, 7)
    busy = [Row(utc(2026, 11, 24, h)) for h in range(9)]
    counts = build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, busy), only=["sessions_attended"])
    assert counts[0]["max"] == 9


def test_sentences_hand_written() -> None:
    m = measures()
    assert m["worry"]["summary"] == "Over 4 weeks your worry about closeness went from 4.5 to 3.5."
    # Steadiness went down: said plainly, as part of the path, never as a failure.
    assert m["steadiness"]["summary"] == (
        "Over 4 weeks your steadiness went from 3.2 to 2.8 — ups and downs are part of the path."
    )
    assert m["discomfort"]["summary"] == NOT_ENOUGH
    assert m["self_disclosure"]["summary"] == "You shared 3 feelings over 4 weeks."
    assert m["felt_heard"]["summary"] == "2 of the 3 reflections of your words landed over 4 weeks."
    assert m["felt_understood"]["summary"] == "Over 4 weeks your sense of feeling understood went from 4.0 to 5.0."
    assert m["calming_practice"]["summary"] == "You took 3 calming practices over 4 weeks."
    assert m["sessions_with_facilitator"]["values"] == [0, 0, 0, 1]  # the one on Nov 23
    assert m["sessions_with_facilitator"]["group"] == "attendance" and m["sessions_with_facilitator"]["kind"] == "count"
    assert m["sessions_with_facilitator"]["summary"] == "You took part in 1 session with a facilitator over 4 weeks."
    assert m["came_back_after_break"]["summary"] == (
        "You asked for space and came back 1 time over 4 weeks — that is a real skill."
    )
    # connected: (2 + 0 + 3) / 3 sessions
    assert m["connected_change"]["summary"] == (
        "On average you left sessions 1.7 points more connected than you arrived."
    )


def test_a_rise_in_worry_is_part_of_the_path_and_no_sentence_judges() -> None:
    checks = [(date(2026, 11, 3), {"worry": 3.9}), (date(2026, 11, 24), {"worry": 4.4})]
    weeks = group_weeks(week_grid(TODAY, 4), BERLIN, [], checks)
    worry = build_measures(weeks, only=["worry"])[0]
    assert (
        worry["summary"]
        == "Over 4 weeks your worry about closeness went from 3.9 to 4.4 — ups and downs are part of the path."
    )
    everything = " ".join(m["summary"] for m in build_measures(weeks)).lower()
    for word in ("streak", "missed", "fail", "bad", "poor", "should", "only"):
        assert word not in everything


def test_less_calm_at_the_end_is_described_kindly() -> None:
    rows = [Row(utc(2026, 11, 24, 9), calm_start=5, calm_end=4)]
    calm = build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, rows), only=["calm_change"])[0]
    assert calm["values"][-1] == -1.0
    assert "less calm" in calm["summary"] and "part of the work" in calm["summary"]


def test_a_partner_is_spoken_about_by_name() -> None:
    weeks = group_weeks(week_grid(TODAY, 4), BERLIN, ROWS, CHECKS, SOLO)
    m = {x["key"]: x for x in build_measures(weeks, subject="Alex")}
    assert m["worry"]["summary"] == "Over 4 weeks Alex's worry about closeness went from 4.5 to 3.5."
    assert m["self_disclosure"]["summary"] == "Alex shared 3 feelings over 4 weeks."
    # the name once, then "they"; what landed first; the chart's line about Alex, not to "you"
    assert m["connected_change"]["summary"] == (
        "On average Alex left sessions 1.7 points more connected than they arrived."
    )
    assert m["felt_heard"]["summary"] == "2 of the 3 reflections of Alex's words landed over 4 weeks."
    assert m["worry"]["about"] == "How much Alex worried about closeness, from their weekly self-check."
    assert m["steadiness"]["about"] == (
        "How well Alex could steady themselves when feelings ran high, from their weekly self-check."
    )
    for measure in m.values():
        assert " you" not in measure["about"].lower() and " you" not in measure["summary"].lower()
    mine = {x["key"]: x for x in build_measures(weeks)}
    assert mine["worry"]["about"] == "How much you worried about closeness, from your weekly self-check."


def test_a_harder_stretch_along_the_way_is_named_kindly() -> None:
    # Worry 4.0 -> 5.0 -> 3.5 (weeks 1, 2, 4): easier at the end, but the middle ran 1.0 above both ends.
    days = [date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 24)]
    checks = [
        (d, {"worry": w, "steadiness": s}) for d, w, s in zip(days, (4.0, 5.0, 3.5), (4.0, 4.2, 4.1), strict=True)
    ]
    m = {x["key"]: x for x in build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, [], checks))}
    assert m["worry"]["summary"] == (
        "Over 4 weeks your worry about closeness went from 4.0 to 3.5, with a harder stretch along the way"
        " — that is part of the path."
    )
    # steadiness 4.0 -> 4.2 -> 4.1: the middle is on the easier side, so nothing more is said
    assert m["steadiness"]["summary"] == "Over 4 weeks your steadiness stayed about the same, around 4.1."
    # a dip of steadiness in the middle (4.0 -> 3.2 -> 4.1), ends about the same
    dip = [(d, {"steadiness": s}) for d, s in zip(days, (4.0, 3.2, 4.1), strict=True)]
    steady = build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, [], dip), only=["steadiness"])[0]
    assert steady["summary"] == (
        "Over 4 weeks your steadiness stayed about the same, around 4.1, with a harder stretch along the way"
        " — that is part of the path."
    )
    # a small wobble (0.3, under half a point) is not worth a word
    small = [(d, {"worry": w}) for d, w in zip(days, (4.0, 4.3, 3.5), strict=True)]
    worry = build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, [], small), only=["worry"])[0]
    assert worry["summary"] == "Over 4 weeks your worry about closeness went from 4.0 to 3.5."


def test_nothing_yet_reads_gently() -> None:
    m = {x["key"]: x for x in build_measures(group_weeks(week_grid(TODAY, 12), BERLIN))}
    assert m["worry"]["summary"] == NOT_ENOUGH
    assert m["sessions_attended"]["values"] == [0] * 12
    assert (
        m["sessions_attended"]["summary"] == "Nothing to count here yet over these 12 weeks; it fills in with practice."
    )
    assert m["felt_heard"]["summary"] == "No reflections of your words to count yet over these 12 weeks."
    assert m["connected_change"]["summary"] == "Not enough sessions with a check-in and a check-out yet."


def test_real_sessions_through_measures_into_weeks_hand_computed() -> None:
    """Engine-driven sessions -> per-session measures -> weeks, for Ana, in Berlin time."""

    def row(events: list, at: datetime, facilitator: str | None = None) -> Row:
        return Row(at, **msgspec.structs.asdict(measures_from_events(events, ANA, facilitator=facilitator)))

    daily, deeper = daily_session().events, deeper_session().events
    rows = [
        row(daily, utc(2026, 11, 10, 18)),  # W46
        row(deeper, utc(2026, 11, 12, 18), FAY),  # W46
        row(daily, utc(2026, 11, 22, 23, 30)),  # Sunday 23:30 UTC = Monday 00:30 in Berlin: W48
    ]
    m = {x["key"]: x for x in build_measures(group_weeks(week_grid(TODAY, 4), BERLIN, rows))}
    # daily: 1 piece, 1 of 2 landed, connected 4 -> 6, calm 3 -> 5; deeper: 3 pieces, 2 of 3 landed,
    # understood 5, connected 2 -> 5, calm 3 -> 4.
    assert m["sessions_attended"]["values"] == [0, 2, 0, 1]
    assert m["self_disclosure"]["values"] == [None, 4, None, 1]
    assert m["felt_heard"]["values"] == [None, 0.6, None, 0.5]  # 3 of 5; 1 of 2
    assert m["felt_understood"]["values"] == [None, 5.0, None, None]
    assert m["connected_change"]["values"] == [None, 2.5, None, 2.0]  # (2 + 3) / 2
    assert m["calm_change"]["values"] == [None, 1.5, None, 2.0]  # (2 + 1) / 2
    assert m["self_disclosure"]["summary"] == "You shared 5 feelings over 4 weeks."
