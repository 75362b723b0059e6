"""When the urge to pull away tends to come: a gentle pattern over weeks, from moments in local time.

Pure: the server converts each stored moment to the person's own time zone and passes local times in.
Counts only, no scores and no trend verdicts: noticing is the skill, not something to reduce.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# (id, label, first hour, hour after the last): the day in four parts people recognise.
TIMES_OF_DAY = (
    ("night", "At night (midnight to 6)", 0, 6),
    ("morning", "In the morning (6 to noon)", 6, 12),
    ("afternoon", "In the afternoon (noon to 6)", 12, 18),
    ("evening", "In the evening (6 to midnight)", 18, 24),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CONTEXTS = 10


@dataclass(frozen=True)
class Moment:
    at: datetime  # local wall time in the person's time zone
    feeling: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Count:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class Pattern:
    total: int
    by_time_of_day: list[Count]
    by_weekday: list[Count]
    by_week: list[tuple[date, int]]  # (the Monday starting the week, count), oldest first
    feelings: list[tuple[str, int]] = field(default_factory=list)
    contexts: list[tuple[str, int]] = field(default_factory=list)


def _part_of_day(hour: int) -> str:
    return next(pid for pid, _label, start, end in TIMES_OF_DAY if start <= hour < end)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pattern(moments: Sequence[Moment], *, today: date, weeks: int) -> Pattern:
    """Counts by part of day, by weekday, per week (Monday-based, oldest first), and what came before."""
    parts = Counter(_part_of_day(m.at.hour) for m in moments)
    days = Counter(m.at.weekday() for m in moments)
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    per_week = Counter(week_start(m.at.date()) for m in moments)
    feelings = Counter(m.feeling for m in moments if m.feeling)
    # The same few words written again are one context: grouped case- and space-insensitively.
    contexts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for m in sorted(moments, key=lambda m: m.at, reverse=True):
        if m.context and m.context.strip():
            key = " ".join(m.context.split()).casefold()
            shown.setdefault(key, " ".join(m.context.split()))
            contexts[key] += 1
    return Pattern(
        total=len(moments),
        by_time_of_day=[Count(pid, label, parts[pid]) for pid, label, _start, _end in TIMES_OF_DAY],
        by_weekday=[Count(name.lower(), name, days[i]) for i, name in enumerate(WEEKDAYS)],
        by_week=[(monday, per_week[monday]) for monday in (first_week + timedelta(weeks=i) for i in range(weeks))],
        feelings=feelings.most_common(),
        contexts=[(shown[key], n) for key, n in contexts.most_common(MAX_CONTEXTS)],
    )
