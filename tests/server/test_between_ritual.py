"""A couple's ritual: set by either partner, seen by both, and downloaded as a calendar file that
calendar apps expand the same way (checked with icalendar and recurring-ical-events)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import recurring_ical_events
from litestar.testing import AsyncTestClient

from exercises.between_sessions import MAX_RITUALS
from rooms.catalogue import builtin_catalogue
from server.app import create_app
from server.between.schedule import next_occurrence, parse_time
from server.settings import Settings
from tests.helpers import Browser, error_code

PARIS = ZoneInfo("Europe/Paris")


async def couple(new_browser: Callable[[], Any]) -> tuple[Browser, Browser]:
    alex, sam = await new_browser(), await new_browser()
    await alex.sign_up(display_name="Alex")
    await sam.sign_up(display_name="Sam")
    code = (await alex.post("/api/invites")).json()["code"]
    await sam.post(f"/api/invites/{code}/accept")
    return alex, sam


RITUAL = {"days": ["TH", "MO"], "time": "20:30", "timezone": "Europe/Paris"}
DAILY = "/api/rituals/daily"
WEEKLY = "/api/rituals/weekly_meeting"


async def test_either_partner_sets_a_ritual_and_both_see_it(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    assert (await alex.get("/api/rituals")).json() == {"rituals": [], "max_rituals": MAX_RITUALS}
    response = await alex.request("PUT", DAILY, json=RITUAL)
    assert response.status_code == 200, response.text
    ritual = response.json()
    assert ritual["days"] == ["MO", "TH"]  # week order
    assert ritual["plan_title"] == "Daily" and ritual["set_by_me"] is True
    assert ritual["minutes"] == builtin_catalogue().plans["daily"].estimated_minutes
    assert ritual["calendar_path"] == "/api/rituals/daily/calendar.ics"
    assert ritual["start_path"] == "/home?plan=daily"
    (seen,) = (await sam.get("/api/rituals")).json()["rituals"]
    assert seen["id"] == ritual["id"] and seen["set_by_me"] is False and seen["set_by_name"] == "Alex"
    changed = (await sam.request("PUT", DAILY, json={**RITUAL, "days": ["SU"]})).json()
    assert changed["id"] == ritual["id"] and changed["days"] == ["SU"]
    assert (await alex.get("/api/rituals")).json()["rituals"][0]["set_by_name"] == "Sam"
    assert (await alex.delete(DAILY)).status_code == 204
    assert (await sam.get("/api/rituals")).json()["rituals"] == []
    gone = await sam.delete(DAILY)
    assert gone.status_code == 404 and error_code(gone) == "no_ritual"


async def test_a_couple_keeps_the_daily_practice_and_the_weekly_meeting_side_by_side(
    new_browser: Callable[[], Any],
) -> None:
    alex, sam = await couple(new_browser)
    every_day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    daily = (await alex.request("PUT", DAILY, json={**RITUAL, "days": every_day})).json()
    weekly = (await sam.request("PUT", WEEKLY, json={**RITUAL, "days": ["SU"], "time": "18:00"})).json()
    assert daily["id"] != weekly["id"]
    listed = (await alex.get("/api/rituals")).json()["rituals"]
    assert {r["plan_id"] for r in listed} == {"daily", "weekly_meeting"}
    assert [r["next_at"] for r in listed] == sorted(r["next_at"] for r in listed)  # soonest first
    uids = set()
    for plan_id in ("daily", "weekly_meeting"):
        raw = (await sam.get(f"/api/rituals/{plan_id}/calendar.ics")).content
        (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
        uids.add(str(event["UID"]))
        assert str(event["URL"]) == f"http://testserver.local/home?plan={plan_id}"
    assert len(uids) == 2  # each its own event in a calendar app
    # Removing one leaves the other.
    assert (await sam.delete(DAILY)).status_code == 204
    assert [r["plan_id"] for r in (await alex.get("/api/rituals")).json()["rituals"]] == ["weekly_meeting"]


async def test_a_couple_keeps_a_few_rituals(new_browser: Callable[[], Any]) -> None:
    alex, _ = await couple(new_browser)
    plans = sorted(builtin_catalogue().plans)
    assert len(plans) > MAX_RITUALS, "the bound is only reachable with more plans than it"
    for plan_id in plans[:MAX_RITUALS]:
        assert (await alex.request("PUT", f"/api/rituals/{plan_id}", json=RITUAL)).status_code == 200
    full = await alex.request("PUT", f"/api/rituals/{plans[MAX_RITUALS]}", json=RITUAL)
    assert full.status_code == 409 and error_code(full) == "rituals_full"
    # Changing one that is kept is still fine.
    assert (await alex.request("PUT", f"/api/rituals/{plans[0]}", json={**RITUAL, "time": "07:00"})).status_code == 200


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown_timezone"),
        ({"timezone": "../../etc/passwd"}, "unknown_timezone"),
        ({"time": "25:00"}, "invalid_request"),
        ({"time": "8pm"}, "invalid_request"),
        ({"time": "\u0662\u0660:\u0663\u0660"}, "invalid_request"),  # Arabic-Indic 20:30
        ({"time": "\uff12\uff10:30"}, "invalid_request"),  # full-width digits
        ({"timezone": "localtime"}, "unknown_timezone"),  # the server's own zone, not a place
        ({"timezone": "Factory"}, "unknown_timezone"),
        ({"days": []}, "invalid_request"),
        ({"days": ["MO", "MO"]}, "invalid_request"),
        ({"days": ["Monday"]}, "invalid_request"),
        ({"days": "MO"}, "invalid_request"),
    ],
)
async def test_bad_rituals_are_plain_400s(new_browser: Callable[[], Any], change: dict[str, Any], code: str) -> None:
    alex, _ = await couple(new_browser)
    response = await alex.request("PUT", DAILY, json={**RITUAL, **change})
    assert response.status_code == 400 and error_code(response) == code


async def test_an_unknown_plan_is_a_plain_400(new_browser: Callable[[], Any]) -> None:
    alex, _ = await couple(new_browser)
    for plan_id in ("marathon", "x" * 500, "%00"):
        response = await alex.request("PUT", f"/api/rituals/{plan_id}", json=RITUAL)
        assert response.status_code == 400 and error_code(response) == "unknown_plan"


async def test_a_ritual_needs_a_couple(browser: Browser) -> None:
    await browser.sign_up()
    for response in (await browser.get("/api/rituals"), await browser.request("PUT", DAILY, json=RITUAL)):
        assert response.status_code == 409 and error_code(response) == "not_paired"


async def test_a_couple_that_ends_takes_its_ritual_with_it(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    await alex.request("PUT", DAILY, json=RITUAL)
    assert (await sam.delete("/api/couple")).status_code == 204
    assert error_code(await alex.get("/api/rituals")) == "not_paired"
    code = (await alex.post("/api/invites")).json()["code"]
    kim = await new_browser()
    await kim.sign_up(display_name="Kim")
    await kim.post(f"/api/invites/{code}/accept")
    assert (await kim.get("/api/rituals")).json()["rituals"] == []  # a new couple starts afresh


def test_the_next_time_keeps_the_local_clock_across_a_dst_change() -> None:
    # Paris leaves summer time on Sunday 25 October 2026 at 03:00.
    before = datetime(2026, 10, 24, 19, 0, tzinfo=PARIS)
    first = next_occurrence(days=["SA", "SU"], at=parse_time("20:30"), tz=PARIS, now=before)
    second = next_occurrence(days=["SA", "SU"], at=parse_time("20:30"), tz=PARIS, now=first)
    assert first.astimezone(PARIS).strftime("%a %H:%M") == "Sat 20:30" and first.hour == 18  # UTC+2
    assert second.astimezone(PARIS).strftime("%a %H:%M") == "Sun 20:30" and second.hour == 19  # UTC+1


async def test_the_next_time_is_in_the_ritual(new_browser: Callable[[], Any]) -> None:
    alex, _ = await couple(new_browser)
    every_day = {**RITUAL, "days": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]}
    ritual = (await alex.request("PUT", DAILY, json=every_day)).json()
    next_at = datetime.fromisoformat(ritual["next_at"])
    local = next_at.astimezone(PARIS)
    assert local.strftime("%H:%M") == "20:30"
    assert timedelta(0) < next_at - datetime.now(PARIS) <= timedelta(days=1)


def occurrences(ics: bytes, start: date, days: int) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(ics)
    return [e["DTSTART"].dt for e in recurring_ical_events.of(calendar).between(start, start + timedelta(days=days))]


async def test_the_calendar_file_repeats_weekly_at_the_local_time_across_dst(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    await alex.request("PUT", DAILY, json={**RITUAL, "days": ["SA", "SU"]})
    response = await sam.get(f"{DAILY}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == 'attachment; filename="duologue-daily.ics"'
    assert response.headers["cache-control"] == "no-store"
    raw = response.content
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))  # CRLF, folded lines
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["PRODID"] and str(calendar["VERSION"]) == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["SA", "SU"]
    assert event["DURATION"].dt == timedelta(minutes=builtin_catalogue().plans["daily"].estimated_minutes)
    assert str(event["URL"]) == "http://testserver.local/home?plan=daily"  # starts that plan
    assert "http://testserver.local/home?plan=daily" in str(event["DESCRIPTION"])
    # Expanded as a calendar app would: every Saturday and Sunday at 20:30 in Paris, before and after
    # the clocks go back (UTC+2, then UTC+1), over a year from now.
    year = datetime.now(PARIS).year
    for start in (date(year + 1, 3, 20), date(year + 1, 10, 20)):
        found = occurrences(raw, start, 14)
        assert len(found) == 4
        assert {d.astimezone(PARIS).strftime("%a %H:%M") for d in found} == {"Sat 20:30", "Sun 20:30"}
        offsets = {d.astimezone(PARIS).utcoffset() for d in found}
        assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # each window holds a DST change


async def test_the_calendar_keeps_its_uid_and_counts_changes(new_browser: Callable[[], Any]) -> None:
    alex, sam = await couple(new_browser)
    await alex.request("PUT", DAILY, json=RITUAL)
    first = icalendar.Calendar.from_ical((await alex.get(f"{DAILY}/calendar.ics")).content).walk("VEVENT")[0]
    again = icalendar.Calendar.from_ical((await sam.get(f"{DAILY}/calendar.ics")).content).walk("VEVENT")[0]
    await sam.request("PUT", DAILY, json={**RITUAL, "time": "07:15"})
    changed = icalendar.Calendar.from_ical((await alex.get(f"{DAILY}/calendar.ics")).content).walk("VEVENT")[0]
    assert first["UID"] == again["UID"] == changed["UID"]
    assert int(changed["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert changed["DTSTART"].dt.strftime("%H:%M") == "07:15"


async def test_the_calendar_link_uses_the_public_address(settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(replace(settings, public_url="https://duologue.example"))) as client:
        alex = Browser(client, client.app)
        sam = Browser(httpx.AsyncClient(transport=client._transport, base_url=client.base_url), client.app)
        await alex.sign_up(display_name="Alex")
        await sam.sign_up(display_name="Sam")
        code = (await alex.post("/api/invites")).json()["code"]
        await sam.post(f"/api/invites/{code}/accept")
        await alex.request("PUT", DAILY, json=RITUAL)
        event = icalendar.Calendar.from_ical((await sam.get(f"{DAILY}/calendar.ics")).content).walk("VEVENT")[0]
        assert str(event["URL"]) == "https://duologue.example/home?plan=daily"


async def test_no_calendar_without_a_ritual(new_browser: Callable[[], Any]) -> None:
    alex, _ = await couple(new_browser)
    response = await alex.get(f"{DAILY}/calendar.ics")
    assert response.status_code == 404 and error_code(response) == "no_ritual"
