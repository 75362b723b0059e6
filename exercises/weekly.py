"""Weekly progress, pure: ISO weeks in a person's time zone, one series per measure, one kind sentence each.

Input is small and already summed per session (rollup rows, one per person per ended session), the
week's self-checks and the times of solo practices; nothing here reads events. Sentences never judge:
a change the person may not have hoped for is described as part of the path, and there are no streaks
and nothing about what was missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

WEEK_CHOICES = (4, 12, 52)
SCALE_MIN, SCALE_MAX = 1, 7
UNDERSTOOD_MAX = 5
CHANGE_LIMIT = 6  # a check-in is 1-7, so end - start lies in -6..+6
STEADY = 0.25  # a change smaller than this reads as "about the same"
DIP = 0.5  # a stretch this much beyond both ends, on the harder side, is worth a word


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_grid(today: date, weeks: int) -> list[date]:
    """The Mondays of the last ``weeks`` ISO weeks, oldest first; the last is this week."""
    this_monday = monday_of(today)
    return [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


class SessionRow(Protocol):
    """A rollup row (server table ``session_measures``) or anything with the same fields."""

    started_at: datetime
    attended: bool
    completed: bool
    with_facilitator: bool
    self_disclosure: int
    reflections_total: int
    reflections_landed: int
    understood_sum: int
    understood_count: int
    breathing_completed: int
    breaks_taken: int
    breaks_returned: int
    connected_start: int | None
    connected_end: int | None
    calm_start: int | None
    calm_end: int | None


@dataclass
class Week:
    attended: int = 0
    completed: int = 0
    with_facilitator: int = 0
    self_disclosure: int = 0
    reflections_total: int = 0
    reflections_landed: int = 0
    understood_sum: int = 0
    understood_count: int = 0
    breathing: int = 0
    solo: int = 0
    came_back: int = 0
    connected_changes: list[int] | None = None
    calm_changes: list[int] | None = None
    scales: dict[str, list[float]] | None = None


def group_weeks(
    grid: Sequence[date],
    tz: ZoneInfo,
    sessions: Iterable[SessionRow] = (),
    self_checks: Iterable[tuple[date, dict[str, float]]] = (),
    solo_practices: Iterable[datetime] = (),
) -> list[Week]:
    """Sum everything into the grid's weeks. A session belongs to the week (local time) it started in;
    a self-check to the week of the day it was taken on; anything outside the grid is left out."""
    index = {monday: i for i, monday in enumerate(grid)}
    weeks = [Week(connected_changes=[], calm_changes=[], scales={}) for _ in grid]

    def slot(day: date) -> Week | None:
        i = index.get(monday_of(day))
        return None if i is None else weeks[i]

    for row in sessions:
        w = slot(local_day(row.started_at, tz))
        if w is None or not row.attended:
            continue
        w.attended += 1
        w.completed += bool(row.completed)
        w.with_facilitator += bool(row.with_facilitator)
        w.self_disclosure += row.self_disclosure
        w.reflections_total += row.reflections_total
        w.reflections_landed += row.reflections_landed
        w.understood_sum += row.understood_sum
        w.understood_count += row.understood_count
        w.breathing += row.breathing_completed
        w.came_back += row.breaks_returned
        if row.connected_start is not None and row.connected_end is not None:
            w.connected_changes.append(row.connected_end - row.connected_start)  # type: ignore[union-attr]
        if row.calm_start is not None and row.calm_end is not None:
            w.calm_changes.append(row.calm_end - row.calm_start)  # type: ignore[union-attr]
    for day, scores in self_checks:
        w = slot(day)
        if w is not None:
            for key, value in scores.items():
                w.scales.setdefault(key, []).append(value)  # type: ignore[union-attr]
    for moment in solo_practices:
        w = slot(local_day(moment, tz))
        if w is not None:
            w.solo += 1
    return weeks


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


# ------------------------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    group: str  # self_check, practice, attendance
    kind: str  # scale, count, share, change
    about: str  # a template: {you} {your} {yourself}, filled per subject by about_line()
    noun: str = ""  # for sentences: "worry about closeness"
    easier_when: str = ""  # "lower" / "higher": which way of change may feel easier (scales)


SELF_CHECK_MEASURES = (
    Measure(
        "worry",
        "Worry about closeness",
        "self_check",
        "scale",
        "How much {you} worried about closeness, from {your} weekly self-check.",
        "worry about closeness",
        "lower",
    ),
    Measure(
        "discomfort",
        "Discomfort with closeness",
        "self_check",
        "scale",
        "How uneasy closeness felt to {you}, from {your} weekly self-check.",
        "discomfort with closeness",
        "lower",
    ),
    Measure(
        "steadiness",
        "Steadiness",
        "self_check",
        "scale",
        "How well {you} could steady {yourself} when feelings ran high, from {your} weekly self-check.",
        "steadiness",
        "higher",
    ),
    Measure(
        "satisfaction",
        "Satisfaction with the relationship",
        "self_check",
        "scale",
        "How content {you} felt with {your} relationship, from {your} weekly self-check.",
        "satisfaction with the relationship",
        "higher",
    ),
)
MEASURES = (
    *SELF_CHECK_MEASURES,
    Measure(
        "self_disclosure",
        "Feelings shared",
        "practice",
        "count",
        "Feelings and pieces of {yourself} {you} shared in sessions: small truths, mirror pieces, answers revealed.",
    ),
    Measure(
        "felt_heard",
        "Felt heard",
        "practice",
        "share",
        "Of the times {your} partner reflected {your} words back, the share that landed (yes or mostly).",
    ),
    Measure(
        "felt_understood",
        "Felt understood",
        "practice",
        "scale",
        'How understood {you} felt after being mirrored, from 1 ("not yet") to 5 ("deeply").',
        "sense of feeling understood",
        "higher",
    ),
    Measure(
        "calming_practice",
        "Calming practice",
        "practice",
        "count",
        "Breathing guides {you} finished in sessions, and calming practices on {your} own.",
    ),
    Measure("sessions_attended", "Sessions", "attendance", "count", "Sessions {you} took part in."),
    Measure(
        "sessions_completed", "Sessions finished", "attendance", "count", "Sessions {you} went through to the end."
    ),
    Measure(
        "sessions_with_facilitator",
        "Sessions with a facilitator",
        "attendance",
        "count",
        "Sessions {you} took part in with a facilitator.",
    ),
    Measure(
        "came_back_after_break",
        "Came back after a break",
        "attendance",
        "count",
        "Times {you} asked for space and came back: a skill that keeps hard talks safe.",
    ),
    Measure(
        "connected_change",
        "Change in feeling connected",
        "attendance",
        "change",
        "How much more (or less) connected {you} felt at the end of a session than at the start.",
        "connected",
    ),
    Measure(
        "calm_change",
        "Change in feeling calm",
        "attendance",
        "change",
        "How much calmer (or less calm) {you} felt at the end of a session than at the start.",
        "calm",
    ),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
ATTENDANCE_KEYS = ("sessions_attended", "sessions_completed")


def _values(key: str, weeks: Sequence[Week]) -> list[Any]:
    if key in ("worry", "discomfort", "steadiness", "satisfaction"):
        return [_mean((w.scales or {}).get(key, [])) for w in weeks]
    per_week = {
        "self_disclosure": lambda w: w.self_disclosure if w.attended else None,
        "felt_heard": lambda w: _ratio(w.reflections_landed, w.reflections_total),
        "felt_understood": lambda w: _ratio(w.understood_sum, w.understood_count),
        "calming_practice": lambda w: w.breathing + w.solo,
        "sessions_attended": lambda w: w.attended,
        "sessions_completed": lambda w: w.completed,
        "sessions_with_facilitator": lambda w: w.with_facilitator,
        "came_back_after_break": lambda w: w.came_back if w.attended else None,
        "connected_change": lambda w: _mean(w.connected_changes or []),
        "calm_change": lambda w: _mean(w.calm_changes or []),
    }[key]
    return [per_week(w) for w in weeks]


COUNT_AXIS_MIN_TOP = 7  # a count chart reaches at least 7, so one session does not fill the chart


def count_axis(values: Sequence[Any]) -> tuple[int, int]:
    """Axis bounds of a per-week count: from 0 to the larger of 7 and the highest week."""
    return 0, max([COUNT_AXIS_MIN_TOP, *(v for v in values if v is not None)])


def _bounds(measure: Measure, values: Sequence[Any]) -> tuple[float, float]:
    if measure.kind == "count":
        return count_axis(values)
    if measure.kind == "share":
        return 0, 1
    if measure.kind == "change":
        return -CHANGE_LIMIT, CHANGE_LIMIT
    if measure.key == "felt_understood":
        return 1, UNDERSTOOD_MAX
    return SCALE_MIN, SCALE_MAX


def build_measures(
    weeks: Sequence[Week], *, subject: str | None = None, only: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The ``measures`` list of the progress API, in the fixed order. ``subject`` None speaks to "you";
    a name speaks about that person (a partner's shared progress)."""
    wanted = set(only) if only is not None else None
    out = []
    for measure in MEASURES:
        if wanted is not None and measure.key not in wanted:
            continue
        values = _values(measure.key, weeks)
        low, high = _bounds(measure, values)
        out.append(
            {
                "key": measure.key,
                "label": measure.label,
                "group": measure.group,
                "kind": measure.kind,
                "min": low,
                "max": high,
                "values": values,
                "summary": summary_sentence(measure, values, weeks, subject),
                "about": about_line(measure, subject),
            }
        )
    return out


# ------------------------------------------------------------------------------------------ sentences


def _words(subject: str | None) -> dict[str, str]:
    if subject is None:
        return {"You": "You", "you": "you", "your": "your", "Your": "Your", "they": "you"}
    return {"You": subject, "you": subject, "your": f"{subject}'s", "Your": f"{subject}'s", "they": "they"}


def about_line(measure: Measure, subject: str | None = None) -> str:
    """The chart's one line: to the person themself ("you"), or about someone else by name ("their")."""
    if subject is None:
        return measure.about.format(you="you", your="your", yourself="yourself")
    return measure.about.format(you=subject, your="their", yourself="themselves")


def _num(value: float) -> str:
    return f"{value:.1f}"


def _times(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


NOT_ENOUGH = "Not enough weeks yet to see a trend."
PATH = "ups and downs are part of the path"
STRETCH = "that is part of the path"


def _harder_stretch(measure: Measure, points: Sequence[tuple[int, float]]) -> bool:
    """Whether, between the first and the last week, the measure went clearly further to its harder side
    (higher worry, lower steadiness) than at either end: a dip along the way, whatever the ends say."""
    inner = [v for _, v in points[1:-1]]
    if not inner:
        return False
    ends = (points[0][1], points[-1][1])
    if measure.easier_when == "lower":
        return max(inner) - max(ends) >= DIP
    return min(ends) - min(inner) >= DIP


def summary_sentence(measure: Measure, values: Sequence[Any], weeks: Sequence[Week], subject: str | None) -> str:
    w = _words(subject)
    period = _times(len(values), "week", "weeks")
    if measure.kind == "scale":
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) < 2:
            return NOT_ENOUGH
        (first_i, first), (last_i, last) = points[0], points[-1]
        span = _times(last_i - first_i + 1, "week", "weeks")
        stretch = ", with a harder stretch along the way" if _harder_stretch(measure, points) else ""
        if abs(last - first) < STEADY:
            sentence = f"Over {span} {w['your']} {measure.noun} stayed about the same, around {_num(last)}"
            return sentence + (f"{stretch} — {STRETCH}." if stretch else ".")
        easier = (last < first) == (measure.easier_when == "lower")
        sentence = f"Over {span} {w['your']} {measure.noun} went from {_num(first)} to {_num(last)}{stretch}"
        if not easier:
            return sentence + f" — {PATH}."
        return sentence + (f" — {STRETCH}." if stretch else ".")
    if measure.kind == "share":
        landed = sum(x.reflections_landed for x in weeks)
        total = sum(x.reflections_total for x in weeks)
        if total == 0:
            return f"No reflections of {w['your']} words to count yet over these {period}."
        if landed == 0:
            return (
                f"{w['Your']} words were reflected back {_times(total, 'time', 'times')} over {period}; "
                "landing a reflection takes practice on both sides."
            )
        if total == 1:
            return f"The one reflection of {w['your']} words over {period} landed."
        return f"{landed} of the {total} reflections of {w['your']} words landed over {period}."
    if measure.kind == "change":
        changes = [
            c
            for x in weeks
            for c in ((x.connected_changes if measure.key == "connected_change" else x.calm_changes) or [])
        ]
        if not changes:
            return "Not enough sessions with a check-in and a check-out yet."
        mean = sum(changes) / len(changes)
        if abs(mean) < STEADY:
            return f"On average {w['you']} left sessions about as {measure.noun} as {w['they']} arrived."
        if mean > 0:
            return (
                f"On average {w['you']} left sessions {_num(mean)} points more {measure.noun} than {w['they']} arrived."
            )
        return (
            f"On average {w['you']} left sessions {_num(-mean)} points less {measure.noun} than {w['they']} arrived"
            " — some sessions stir things up, and that is part of the work."
        )
    total = int(sum(v for v in values if v is not None))
    if total == 0:
        return f"Nothing to count here yet over these {period}; it fills in with practice."
    count_sentences = {
        "self_disclosure": f"{w['You']} shared {_times(total, 'feeling', 'feelings')} over {period}.",
        "calming_practice": f"{w['You']} took {_times(total, 'calming practice', 'calming practices')} over {period}.",
        "sessions_attended": f"{w['You']} took part in {_times(total, 'session', 'sessions')} over {period}.",
        "sessions_completed": (
            f"{w['You']} went through {_times(total, 'session', 'sessions')} to the end over {period}."
        ),
        "sessions_with_facilitator": (
            f"{w['You']} took part in {_times(total, 'session', 'sessions')} with a facilitator over {period}."
        ),
        "came_back_after_break": (
            f"{w['You']} asked for space and came back {_times(total, 'time', 'times')} over {period} — "
            "that is a real skill."
        ),
    }
    return count_sentences[measure.key]
