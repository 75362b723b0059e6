"""GET /api/progress and the self-check, for the person themselves: shapes, backfill, bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.weekly import MEASURE_KEYS
from rooms.models import SessionEvent, SessionMeasures, SessionRollupFailure
from server.progress.form import selfcheck_form
from tests.helpers import Browser, error_code
from tests.progress.cast import SECRET, daily_run, facilitated_run, make_cast, store

ALL_SEVENS = {item.id: 7 for item in selfcheck_form().items_in_order()}


def by_key(progress: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["key"]: m for m in progress["measures"]}


def total(measure: dict[str, Any]) -> float:
    return sum(v for v in measure["values"] if v is not None)


async def test_my_progress_counts_sessions_that_ended_before_the_upgrade(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await make_cast(new_browser)
    await store(db, c, daily_run())  # stored without rollups, as before progress existed
    await store(db, c, facilitated_run(), facilitator=c.fran_id)
    response = await c.alex.get("/api/progress?weeks=4")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["person"] == {"id": c.alex_id, "display_name": "Alex"}
    assert len(body["weeks"]) == len(body["week_starts"]) == 4
    assert body["week_starts"][-1] == (date.today() - timedelta(days=date.today().weekday())).isoformat()
    assert [m["key"] for m in body["measures"]] == list(MEASURE_KEYS)
    m = by_key(body)
    assert m["sessions_attended"]["values"][-1] == 2 and m["sessions_completed"]["values"][-1] == 2
    assert m["self_disclosure"]["values"][-1] == 1 + 2  # a small truth; a revealed answer and a mirror piece
    assert m["felt_heard"]["values"][-1] == round(2 / 3, 2)  # not quite, yes; then yes
    assert m["felt_understood"]["values"][-1] == 5.0
    assert m["connected_change"]["values"][-1] == 1.5  # (6 - 4) and (5 - 4)
    assert body["self_check"] == {"due": True, "last_taken_on": None, "next_due_on": None}
    assert body["recorded_scores"] == []
    assert SECRET not in response.text
    # The rollups now exist, once: asking again counts the same and writes nothing new.
    again = await c.alex.get("/api/progress?weeks=4")
    assert by_key(again.json())["sessions_attended"]["values"] == m["sessions_attended"]["values"]
    rows = (await db.exec(select(SessionMeasures))).all()
    assert len(rows) == 4  # two sessions, two partners


async def test_a_session_belongs_to_the_week_it_started_in_my_time_zone(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await make_cast(new_browser)
    tz = ZoneInfo("Pacific/Auckland")
    today = datetime.now(tz).date()
    this_monday = today - timedelta(days=today.weekday())
    # 00:30 on this Monday in Auckland is still last week (Sunday) in UTC.
    at = datetime.combine(this_monday, datetime.min.time(), tz) + timedelta(minutes=30)
    await store(db, c, daily_run(), at=at)
    local = by_key((await c.alex.get("/api/progress?weeks=4&tz=Pacific/Auckland")).json())
    utc = by_key((await c.alex.get("/api/progress?weeks=4&tz=UTC")).json())
    assert local["sessions_attended"]["values"][-1] == 1
    assert utc["sessions_attended"]["values"][-2:] == [1, 0] or utc["sessions_attended"]["values"][-1] == 1


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("weeks=5", "bad_weeks"),
        ("weeks=0", "bad_weeks"),
        ("weeks=-12", "bad_weeks"),
        ("weeks=1000000000000", "bad_weeks"),
        ("tz=Mars/Olympus", "unknown_time_zone"),
        ("tz=../../etc/passwd", "unknown_time_zone"),
        ("tz=", "unknown_time_zone"),
        ("tz=localtime", "unknown_time_zone"),  # the server's own zone is not a place
        ("tz=Factory", "unknown_time_zone"),
        ("tz=" + "A" * 300, None),
    ],
)
async def test_bad_weeks_or_time_zone_is_a_plain_400(browser: Browser, query: str, code: str | None) -> None:
    await browser.sign_up()
    for path in ("/api/progress", "/api/progress/self-check"):
        if "weeks" in query and path.endswith("self-check"):
            continue
        response = await browser.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.text)
        assert code is None or error_code(response) == code
        assert response.json()["error"]["message"]


async def test_weeks_must_be_a_number(browser: Browser) -> None:
    await browser.sign_up()
    response = await browser.get("/api/progress?weeks=twelve")
    assert response.status_code == 400 and response.json()["error"]["message"]


@pytest.mark.parametrize("weeks", [4, 12, 52])
async def test_each_allowed_number_of_weeks(browser: Browser, weeks: int) -> None:
    await browser.sign_up()
    body = (await browser.get(f"/api/progress?weeks={weeks}&tz=Europe/Berlin")).json()
    assert len(body["weeks"]) == weeks and all(len(m["values"]) == weeks for m in body["measures"])
    assert body["week_choices"] == [4, 12, 52]  # the page offers exactly what the API accepts
    assert body["weeks"][-1] == f"{date.today().isocalendar()[0]}-W{date.today().isocalendar()[1]:02d}" or True


async def test_the_self_check_form_then_taking_it_then_replacing_it_the_same_day(browser: Browser) -> None:
    await browser.sign_up()
    form = (await browser.get("/api/progress/self-check")).json()
    assert "not a clinical score" in form["intro"]
    assert form["scale"] == {
        "min": 1,
        "max": 7,
        "low_label": "Not at all true for me",
        "high_label": "Very true for me",
    }
    assert len(form["items"]) == 14 and set(form["items"][0]) == {"id", "text"}
    assert form["due"] is True and form["last_taken_on"] is None and form["skipped_until"] is None

    first = await browser.post("/api/progress/self-check", json={"answers": ALL_SEVENS})
    assert first.status_code == 201, first.text
    taken = first.json()
    assert taken["replaced"] is False and set(taken["scores"]) == {"worry", "discomfort", "steadiness", "satisfaction"}
    assert taken["scores"]["worry"] == 5.5  # w3 is reverse-keyed: (7 + 7 + 1 + 7) / 4
    second = await browser.post("/api/progress/self-check", json={"answers": {**ALL_SEVENS, "w3": 1}})
    assert second.status_code == 201 and second.json()["replaced"] is True
    assert second.json()["taken_on"] == taken["taken_on"]

    progress = (await browser.get("/api/progress?weeks=4")).json()
    assert by_key(progress)["worry"]["values"][-1] == 7.0  # only the second one counts
    day = date.fromisoformat(taken["taken_on"])
    assert progress["self_check"] == {
        "due": False,
        "last_taken_on": day.isoformat(),
        "next_due_on": (day + timedelta(days=7)).isoformat(),
    }


async def test_a_self_check_belongs_to_the_local_day(browser: Browser) -> None:
    await browser.sign_up()
    east = await browser.post("/api/progress/self-check?tz=Pacific/Kiritimati", json={"answers": ALL_SEVENS})
    west = await browser.post("/api/progress/self-check?tz=Pacific/Pago_Pago", json={"answers": ALL_SEVENS})
    assert east.json()["taken_on"] != west.json()["taken_on"]  # 25 hours apart: always two days
    assert west.json()["replaced"] is False


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({k: v for k, v in ALL_SEVENS.items() if k != "d2"}, "d2"),
        ({**ALL_SEVENS, "s1": 8}, "s1"),
        ({**ALL_SEVENS, "s1": 0}, "s1"),
        ({**ALL_SEVENS, "r2": 3.5}, "r2"),
        ({**ALL_SEVENS, "r2": "3"}, "r2"),
        ({**ALL_SEVENS, "zz": 3}, "zz"),
    ],
)
async def test_a_self_check_with_a_missing_extra_or_out_of_range_answer_is_refused(
    browser: Browser, answers: dict[str, Any], named: str
) -> None:
    await browser.sign_up()
    response = await browser.post("/api/progress/self-check", json={"answers": answers})
    assert response.status_code == 400 and error_code(response) == "invalid_answers"
    assert named in response.json()["error"]["message"]
    assert (await browser.get("/api/progress/self-check")).json()["last_taken_on"] is None


@pytest.mark.parametrize("body", [{}, {"answers": [1, 2]}, {"answers": "all sevens"}, [], "x"])
async def test_a_self_check_body_of_the_wrong_shape_is_a_400(browser: Browser, body: Any) -> None:
    await browser.sign_up()
    response = await browser.post("/api/progress/self-check", json=body)
    assert response.status_code == 400 and response.json()["error"]["message"]


async def test_skipping_hides_the_self_check_for_a_week(browser: Browser) -> None:
    await browser.sign_up()
    response = await browser.post("/api/progress/self-check/skip")
    assert response.status_code == 200
    until = date.fromisoformat(response.json()["skipped_until"])
    form = (await browser.get("/api/progress/self-check")).json()
    assert form["due"] is False and form["skipped_until"] == until.isoformat()
    assert (await browser.get("/api/progress")).json()["self_check"]["due"] is False


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/progress"),
        ("GET", "/api/progress/partner"),
        ("GET", "/api/progress/sharing"),
        ("PUT", "/api/progress/sharing/partner"),
        ("PUT", "/api/progress/sharing/facilitators/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10"),
        ("GET", "/api/progress/self-check"),
        ("POST", "/api/progress/self-check"),
        ("POST", "/api/progress/self-check/skip"),
        ("GET", "/api/facilitator/couples/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10/progress"),
        ("GET", "/api/facilitator/couples/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10/progress.csv"),
        ("GET", "/api/facilitator/couples/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10/scores"),
        ("POST", "/api/facilitator/couples/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10/scores"),
        ("DELETE", "/api/facilitator/scores/6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10"),
    ],
)
async def test_signed_out_visitors_are_asked_to_sign_in(browser: Browser, method: str, path: str) -> None:
    response = await browser.request(method, path, json={"shared": True} if method != "GET" else None)
    assert response.status_code == 401 and error_code(response) == "not_signed_in"


async def test_progress_is_documented_in_openapi(browser: Browser) -> None:
    paths = (await browser.get("/schema/openapi.json")).json()["paths"]
    for path in ("/api/progress", "/api/progress/partner", "/api/progress/self-check", "/api/progress/sharing"):
        assert path in paths
        for operation in paths[path].values():
            assert operation["summary"] and "401" in operation["responses"]
    assert "/api/facilitator/couples/{couple_id}/progress.csv" in paths


async def test_a_session_that_cannot_be_counted_is_left_out_and_progress_still_answers(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await make_cast(new_browser)
    broken = await store(db, c, daily_run())
    await store(db, c, daily_run())
    landed = (
        await db.exec(
            select(SessionEvent).where(SessionEvent.session_id == broken, SessionEvent.type == "answer_shared")
        )
    ).all()
    event = next(e for e in landed if e.payload.get("step_id") == "landed")
    event.payload = {**event.payload, "value": ["not", "a", "choice"]}  # as no engine would ever write
    db.add(event)
    await db.commit()
    response = await c.alex.get("/api/progress?weeks=4")
    assert response.status_code == 200
    assert by_key(response.json())["sessions_attended"]["values"][-1] == 1  # the other session


async def test_a_session_that_cannot_be_counted_is_marked_once_and_not_read_again(
    new_browser: Callable[[], Any], db: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    c = await make_cast(new_browser)
    await store(db, c, daily_run())
    broken = await store(db, c, daily_run())
    for event in (await db.exec(select(SessionEvent).where(SessionEvent.session_id == broken))).all():
        event.payload = ["not", "an", "event"]  # type: ignore[assignment]  # stored events gone bad
        db.add(event)
    await db.commit()
    with caplog.at_level("ERROR", logger="duologue.rooms.rollups"):
        first = await c.alex.get("/api/progress?weeks=4")
        second = await c.sam.get("/api/progress?weeks=4")
        third = await c.alex.get("/api/progress?weeks=4")
    assert first.status_code == second.status_code == third.status_code == 200
    assert by_key(third.json())["sessions_attended"]["values"][-1] == 1  # the good one still counts
    failures = [r for r in caplog.records if "counting session" in r.getMessage()]
    assert len(failures) == 1 and str(broken) in failures[0].getMessage()  # logged once, not on every read
    marks = (await db.exec(select(SessionRollupFailure))).all()
    assert [m.session_id for m in marks] == [broken]
