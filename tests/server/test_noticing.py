"""Noticing: one tap, details after, and a gentle pattern over weeks in the person's own time zone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from server.journal.definitions import journal_definitions
from server.models import Noticing
from server.models.timestamps import utcnow
from tests.helpers import Browser, error_code

LIMITS = journal_definitions().limits


async def test_one_tap_is_enough_and_details_can_follow(browser: Browser) -> None:
    await browser.sign_up()
    tapped = await browser.post("/api/noticing", json={})
    assert tapped.status_code == 201, tapped.text
    moment = tapped.json()
    assert (moment["intensity"], moment["feeling"], moment["context"]) == (None, None, None)
    response = await browser.patch(
        f"/api/noticing/{moment['id']}",
        json={"intensity": 5, "feeling": "overwhelmed", "context": "  after the call  "},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["intensity"], response.json()["feeling"], response.json()["context"]) == (
        5,
        "overwhelmed",
        "after the call",
    )
    # Only what is sent changes; null clears.
    response = await browser.patch(f"/api/noticing/{moment['id']}", json={"intensity": None})
    assert (response.json()["intensity"], response.json()["feeling"]) == (None, "overwhelmed")
    assert [m["id"] for m in (await browser.get("/api/noticing")).json()] == [moment["id"]]
    assert (await browser.delete(f"/api/noticing/{moment['id']}")).status_code == 204
    assert (await browser.get("/api/noticing")).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"intensity": LIMITS.intensity_min - 1},
        {"intensity": LIMITS.intensity_max + 1},
        {"intensity": "high"},
        {"feeling": "grumpy-ish"},
        {"context": "x" * (LIMITS.context_max_chars + 1)},
        {"context": "two\nlines"},
        {"intensity": True},
        {"intensity": "3"},
        {"intensity": 3.0},
        {"context": "after\u0000the call"},
        {"context": "after\u0007the call"},
        {"context": "after \u202ellac eht"},
    ],
)
async def test_bad_details_get_a_plain_400(browser: Browser, body: dict[str, object]) -> None:
    await browser.sign_up()
    response = await browser.post("/api/noticing", json=body)
    assert response.status_code == 400, response.text
    assert error_code(response) == "invalid_request"
    moment = (await browser.post("/api/noticing", json={})).json()
    assert (await browser.patch(f"/api/noticing/{moment['id']}", json=body)).status_code == 400
    assert len((await browser.get("/api/noticing")).json()) == 1


@pytest.mark.parametrize(
    "tz", ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "x" * 65, "Europe/", "UTC\u0000"]
)
async def test_an_unknown_time_zone_is_a_plain_400(browser: Browser, tz: str) -> None:
    await browser.sign_up()
    response = await browser.get("/api/noticing/pattern", params={"tz": tz})
    assert response.status_code == 400, (tz, response.text)
    assert set(response.json()) == {"error"}
    assert error_code(response) == "unknown_time_zone"  # the one check progress uses too (parse_tz)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"tz": "UTC", "weeks": 0},
        {"tz": "UTC", "weeks": LIMITS.pattern_weeks_max + 1},
        {"tz": "UTC", "weeks": 10**30},
        {"tz": "UTC", "weeks": next(w for w in range(1, 200) if w not in LIMITS.pattern_weeks_choices)},
    ],
)
async def test_the_pattern_needs_a_time_zone_and_sensible_weeks(browser: Browser, params: dict[str, object]) -> None:
    await browser.sign_up()
    assert (await browser.get("/api/noticing/pattern", params=params)).status_code == 400


async def test_the_pattern_is_offered_over_the_weeks_in_the_definitions(browser: Browser) -> None:
    await browser.sign_up()
    options = (await browser.get("/api/noticing/options")).json()
    assert options["pattern_weeks_choices"] == list(LIMITS.pattern_weeks_choices)
    assert options["pattern_weeks_default"] in options["pattern_weeks_choices"]
    for weeks in options["pattern_weeks_choices"]:
        response = await browser.get("/api/noticing/pattern", params={"tz": "UTC", "weeks": weeks})
        assert response.status_code == 200, response.text
        assert len(response.json()["by_week"]) == weeks


async def test_an_entry_with_a_control_character_in_its_context_is_never_stored(browser: Browser) -> None:
    await browser.sign_up()
    assert (await browser.post("/api/noticing", json={"context": "tab\tis fine"})).status_code == 201
    assert (await browser.post("/api/noticing", json={"context": "nul \u0000"})).status_code == 400
    assert [m["context"] for m in (await browser.get("/api/noticing")).json()] == ["tab\tis fine"]


async def at(db: AsyncSession, moment_id: str, when: datetime) -> None:
    row = await db.get(Noticing, uuid.UUID(moment_id))
    assert row is not None
    row.noticed_at = when
    db.add(row)
    await db.commit()


async def test_the_pattern_counts_in_the_persons_own_time_zone(browser: Browser, db: AsyncSession) -> None:
    await browser.sign_up()
    # 22:30 UTC is the next morning in Tokyo (07:30) and the same evening in London (22:30, winter).
    today = utcnow().date()
    evening = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=22, minutes=30
    )
    for context, feeling in (
        ("After the call with Mum", "tense"),
        ("after the call with mum ", "tense"),
        ("tired", None),
    ):
        moment = (await browser.post("/api/noticing", json={"context": context, "feeling": feeling})).json()
        await at(db, moment["id"], evening)
    old = (await browser.post("/api/noticing", json={"context": "long ago"})).json()
    await at(db, old["id"], evening - timedelta(weeks=LIMITS.pattern_weeks_default + 1))

    london = (await browser.get("/api/noticing/pattern", params={"tz": "Europe/London"})).json()
    tokyo = (await browser.get("/api/noticing/pattern", params={"tz": "Asia/Tokyo"})).json()
    assert london["total"] == tokyo["total"] == 3  # the old one is outside the weeks shown
    assert {p["id"]: p["count"] for p in london["by_time_of_day"]}["evening"] == 3
    assert {p["id"]: p["count"] for p in tokyo["by_time_of_day"]}["morning"] == 3
    weekday = (today - timedelta(days=1)).weekday()
    assert london["by_weekday"][weekday]["count"] == 3
    assert tokyo["by_weekday"][(weekday + 1) % 7]["count"] == 3
    assert london["feelings"] == [{"id": "tense", "label": "tense", "count": 2}]
    # The same words written twice are one "after what", shown in the latest wording.
    assert london["contexts"][0]["count"] == 2
    assert london["contexts"][0]["text"].lower() == "after the call with mum"
    assert len(london["by_week"]) == LIMITS.pattern_weeks_default
    assert sum(w["count"] for w in london["by_week"]) == 3
    longer = (
        await browser.get("/api/noticing/pattern", params={"tz": "UTC", "weeks": LIMITS.pattern_weeks_max})
    ).json()
    assert longer["total"] == 4 and len(longer["by_week"]) == LIMITS.pattern_weeks_max
