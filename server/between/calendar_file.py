"""A ritual as an iCalendar file (RFC 5545): one weekly recurring event in the couple's time zone.

Calendar apps import it once and then show every occurrence; the UID stays the same for a ritual, and
SEQUENCE goes up when the couple changes it, so importing the new file updates the same event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from server.between.schedule import first_day_on_or_after, parse_time, zone
from server.models import Ritual

PRODID = "-//Duologue//Between sessions//EN"
YEARS_AHEAD = timedelta(days=366 * 10)


def ritual_calendar(ritual: Ritual, *, plan_title: str, minutes: int, start_link: str, now: datetime) -> bytes:
    tz = zone(ritual.timezone)
    assert tz is not None, "a stored ritual's zone was checked when it was set"
    days = ritual.days.split(",")
    # The series starts on the first chosen weekday on or after the day it was set: DTSTART is an occurrence.
    first_day = first_day_on_or_after(ritual.updated_at.astimezone(tz).date(), days)
    start = datetime.combine(first_day, parse_time(ritual.time), tzinfo=tz)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"ritual-{ritual.id}@duologue")
    event.add("dtstamp", now)
    event.add("sequence", ritual.revision)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=minutes))
    event.add("rrule", {"FREQ": "WEEKLY", "BYDAY": days})
    event.add("summary", f"Duologue: {plan_title}")
    event.add(
        "description",
        f"Time for your {plan_title} practice together, about {minutes} minutes. Open Duologue to start: {start_link}",
    )
    event.add("url", start_link)
    calendar.add_component(event)
    # A VTIMEZONE for the TZID, so every app agrees on the local time; its rules cover the years ahead.
    calendar.add_missing_timezones(first_date=first_day - timedelta(days=366), last_date=first_day + YEARS_AHEAD)
    return calendar.to_ical()
