"""When a weekly ritual happens: wall-clock times in the couple's own time zone, whatever the DST.

A ritual at 20:30 stays at 20:30 local time across a daylight-saving change (its UTC time moves), as a
calendar app does with the same RRULE and TZID.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.progress.params import known_zone

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # date.weekday() order, as iCalendar names them


def zone(name: str) -> ZoneInfo | None:
    """An IANA zone by name, or None (the app's one time-zone check, shared with progress)."""
    return known_zone(name)


def parse_time(hh_mm: str) -> time:
    hours, minutes = hh_mm.split(":")
    return time(int(hours), int(minutes))


def first_day_on_or_after(day: date, days: list[str]) -> date:
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if WEEKDAY_CODES[candidate.weekday()] in days:
            return candidate
    raise ValueError("no weekday chosen")


def next_occurrence(*, days: list[str], at: time, tz: ZoneInfo, now: datetime) -> datetime:
    """The first local `at` on one of `days` strictly after `now`, in UTC."""
    local_today = now.astimezone(tz).date()
    for offset in range(8):
        day = local_today + timedelta(days=offset)
        if WEEKDAY_CODES[day.weekday()] not in days:
            continue
        when = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if when > now:
            return when
    raise ValueError("no weekday chosen")
