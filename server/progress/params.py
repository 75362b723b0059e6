"""The two query parameters every progress endpoint takes: `weeks` and `tz`."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from exercises.weekly import WEEK_CHOICES
from server.errors import ApiError

MAX_TZ_LENGTH = 64


def parse_tz(name: str) -> ZoneInfo:
    bad = ApiError(
        400, "unknown_time_zone", f"We do not know the time zone {name[:MAX_TZ_LENGTH]!r}. Try e.g. Europe/Berlin."
    )
    found = known_zone(name)
    if found is None:
        raise bad
    return found


# Files in the zone folder that are not places: the server's own zone and tzdata's placeholder.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_PLACES


def known_zone(name: str) -> ZoneInfo | None:
    """The one check for a time zone named by a person: only names on the IANA list of places are opened
    (never a path, never the server's `localtime`)."""
    if len(name) > MAX_TZ_LENGTH or name not in _known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse_weeks(weeks: int) -> int:
    if weeks not in WEEK_CHOICES:
        choices = ", ".join(str(w) for w in WEEK_CHOICES[:-1]) + f" or {WEEK_CHOICES[-1]}"
        raise ApiError(400, "bad_weeks", f"Progress can be shown over {choices} weeks.")
    return weeks


def today_in(tz: ZoneInfo) -> date:
    return datetime.now(tz).date()
