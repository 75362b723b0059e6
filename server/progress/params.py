"""The two query parameters every progress endpoint takes: `weeks` and `tz`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from exercises.weekly import WEEK_CHOICES
from server.errors import ApiError

MAX_TZ_LENGTH = 64


def parse_tz(name: str) -> ZoneInfo:
    bad = ApiError(
        400, "unknown_time_zone", f"We do not know the time zone {name[:MAX_TZ_LENGTH]!r}. Try e.g. Europe/Berlin."
    )
    if not name or len(name) > MAX_TZ_LENGTH or name.startswith(("/", ".")) or ".." in name or "\x00" in name:
        raise bad
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise bad from exc


def parse_weeks(weeks: int) -> int:
    if weeks not in WEEK_CHOICES:
        choices = ", ".join(str(w) for w in WEEK_CHOICES[:-1]) + f" or {WEEK_CHOICES[-1]}"
        raise ApiError(400, "bad_weeks", f"Progress can be shown over {choices} weeks.")
    return weeks


def today_in(tz: ZoneInfo) -> date:
    return datetime.now(tz).date()
