"""The journal's definitions (feelings, prompts, bounds) and the noticing pattern: pure, no I/O."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from exercises.errors import DefinitionError
from exercises.journal import parse_journal_definitions
from exercises.noticing import Moment, pattern

TOML = (Path(__file__).resolve().parents[2] / "exercises" / "journal.toml").read_text()


def test_the_shipped_definitions_hold_the_practices_prompts() -> None:
    defs = parse_journal_definitions("journal.toml", TOML)
    texts = [p.text for p in defs.prompts]
    for wanted in ("What am I afraid of right now?", "What would I say to my partner if it felt safe?"):
        assert wanted in texts
    assert len(defs.prompts) >= 8
    assert defs.limits.intensity_min == 1 and defs.limits.intensity_max == 7
    assert defs.unknown_feelings(["afraid", "nope"]) == ["nope"]
    assert defs.limits.pattern_weeks_default in defs.limits.pattern_weeks_choices
    assert defs.limits.pattern_weeks_max == max(defs.limits.pattern_weeks_choices)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('id = "tense"', 'id = "afraid"'), "feelings: 'afraid' appears more than once"),
        (('id = "tense"', 'id = "Tense,x"'), "journal.toml"),
        (("intensity_min = 1", "intensity_min = 9"), "limits.intensity_min"),
        (("[limits]", "[limitz]"), "journal.toml"),
        (("pattern_weeks_default = 8", "pattern_weeks_default = 9"), "limits.pattern_weeks_default"),
        (("pattern_weeks_choices = [4, 8, 12, 26]", "pattern_weeks_choices = [8, 4]"), "pattern_weeks_choices"),
    ],
)
def test_bad_definitions_name_the_file_and_the_field(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(DefinitionError, match=r"journal\.toml") as error:
        parse_journal_definitions("journal.toml", TOML.replace(*change, 1))
    assert problem in str(error.value)


def test_the_pattern_counts_parts_of_the_day_weekdays_weeks_and_what_came_before() -> None:
    moments = [
        Moment(datetime(2026, 11, 23, 7, 0), "tense", "Before work"),  # Monday morning
        Moment(datetime(2026, 11, 23, 23, 59), "tense", "before  WORK"),  # Monday evening
        Moment(datetime(2026, 11, 28, 0, 30), None, None),  # Saturday night
        Moment(datetime(2026, 11, 14, 13, 0), "sad", "   "),  # Saturday afternoon, the week before
    ]
    seen = pattern(moments, today=date(2026, 11, 29), weeks=3)
    assert seen.total == 4
    assert [(c.id, c.count) for c in seen.by_time_of_day] == [
        ("night", 1),
        ("morning", 1),
        ("afternoon", 1),
        ("evening", 1),
    ]
    assert [c.count for c in seen.by_weekday] == [2, 0, 0, 0, 0, 2, 0]
    assert seen.by_week == [(date(2026, 11, 9), 1), (date(2026, 11, 16), 0), (date(2026, 11, 23), 3)]
    assert seen.feelings == [("tense", 2), ("sad", 1)]
    assert seen.contexts == [("before WORK", 2)]


def test_no_moments_is_a_calm_empty_pattern() -> None:
    seen = pattern([], today=date(2026, 11, 29), weeks=2)
    assert seen.total == 0 and all(c.count == 0 for c in seen.by_weekday) and seen.contexts == []
