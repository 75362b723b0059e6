"""Who sees whose progress: me, my partner (shared, not shared, revoked), facilitators (shared with
them, with another facilitator only, not linked), strangers. Revoking hides at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from server.db import create_engine, session_factory
from server.models import Couple, CoupleMember, RecordedScore, SelfCheckRecord, SoloPractice, User
from server.progress import service
from server.progress.form import selfcheck_form
from server.settings import Settings
from tests.helpers import error_code
from tests.progress import history
from tests.progress.cast import SECRET, Cast, daily_run, facilitated_run, link, make_cast, store
from tests.server.test_facilitation import person

ATTENDANCE = ["sessions_attended", "sessions_completed"]
ANSWERS = {item.id: 3 for item in selfcheck_form().items_in_order()}


def by_key(progress: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["key"]: m for m in progress["measures"]}


@pytest.fixture
async def cast(new_browser: Callable[[], Any], db: AsyncSession) -> Cast:
    c = await make_cast(new_browser)
    await store(db, c, daily_run())
    await store(db, c, facilitated_run(), facilitator=c.fran_id)
    await store(db, c, daily_run(), facilitator=c.gale_id)
    assert (await c.alex.post("/api/progress/self-check", json={"answers": ANSWERS})).status_code == 201
    return c


async def share(c: Cast, who: str, target: str, shared: bool = True) -> dict[str, Any]:
    browser = getattr(c, who)
    if target == "partner":
        response = await browser.request("PUT", "/api/progress/sharing/partner", json={"shared": shared})
    else:
        fid = getattr(c, f"{target}_id")
        response = await browser.request("PUT", f"/api/progress/sharing/facilitators/{fid}", json={"shared": shared})
    assert response.status_code == 200, response.text
    return response.json()


async def test_sharing_is_off_by_default_and_lists_only_our_linked_facilitators(cast: Cast) -> None:
    c = cast
    sharing = (await c.alex.get("/api/progress/sharing")).json()
    assert sharing["partner"] == {"display_name": "Sam", "shared": False}
    assert sorted((f["display_name"], f["shared"]) for f in sharing["facilitators"]) == [
        ("Fran", False),
        ("Gale", False),
    ]
    after = await share(c, "alex", "fran")
    assert {f["display_name"]: f["shared"] for f in after["facilitators"]} == {"Fran": True, "Gale": False}
    assert after["partner"]["shared"] is False
    stranger = (await c.stranger.get("/api/progress/sharing")).json()
    assert stranger == {"partner": None, "facilitators": []}


async def test_sharing_choices_are_refused_plainly_when_they_make_no_sense(cast: Cast) -> None:
    c = cast
    hal_id = (await c.hal.get("/api/me")).json()["id"]
    for target in (hal_id, c.sam_id, "6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10"):
        response = await c.alex.request("PUT", f"/api/progress/sharing/facilitators/{target}", json={"shared": True})
        assert response.status_code == 404 and error_code(response) == "not_your_facilitator"
    no_partner = await c.stranger.request("PUT", "/api/progress/sharing/partner", json={"shared": True})
    assert no_partner.status_code == 404 and error_code(no_partner) == "no_partner"
    for body in ({"shared": "yes please"}, {}, {"shared": None}, {"shared": "yes"}, {"shared": "true"}, {"shared": 1}):
        bad = await c.alex.request("PUT", "/api/progress/sharing/partner", json=body)
        assert bad.status_code == 400 and bad.json()["error"]["message"]
        fid = c.fran_id
        bad = await c.alex.request("PUT", f"/api/progress/sharing/facilitators/{fid}", json=body)
        assert bad.status_code == 400 and bad.json()["error"]["message"]
    assert (await c.alex.get("/api/progress/sharing")).json()["partner"]["shared"] is False  # nothing was guessed
    bad_id = await c.alex.request("PUT", "/api/progress/sharing/facilitators/not-a-uuid", json={"shared": True})
    assert bad_id.status_code in (400, 404)


async def test_my_partner_sees_only_our_shared_attendance_until_i_share_and_nothing_more_after_i_stop(
    cast: Cast,
) -> None:
    c = cast
    hidden = await c.sam.get("/api/progress/partner?weeks=4")
    assert hidden.status_code == 200
    body = hidden.json()
    assert body["person"]["display_name"] == "Alex" and body["shared"] is False
    assert [m["key"] for m in body["measures"]] == ATTENDANCE
    assert by_key(body)["sessions_attended"]["values"][-1] == 3  # all three were our sessions together
    assert body["recorded_scores"] == [] and "self_check" not in body
    assert "worry" not in hidden.text

    await share(c, "alex", "partner")
    shown = (await c.sam.get("/api/progress/partner?weeks=4")).json()
    assert shown["shared"] is True and len(shown["measures"]) == 14
    assert by_key(shown)["worry"]["values"][-1] is not None
    assert by_key(shown)["worry"]["summary"].startswith(("Not enough", "Over")) and "self_check" not in shown
    assert by_key(shown)["self_disclosure"]["summary"].startswith("Alex shared")

    await share(c, "alex", "partner", shared=False)
    again = (await c.sam.get("/api/progress/partner?weeks=4")).json()
    assert again["shared"] is False and [m["key"] for m in again["measures"]] == ATTENDANCE
    # and sharing is one way: Alex sharing never showed Alex Sam's progress
    assert (await c.alex.get("/api/progress/partner?weeks=4")).json()["shared"] is False


async def test_partner_progress_needs_a_partner(cast: Cast) -> None:
    response = await cast.stranger.get("/api/progress/partner")
    assert response.status_code == 404 and error_code(response) == "no_partner"
    bad = await cast.sam.get("/api/progress/partner?weeks=7")
    assert bad.status_code == 400


async def test_a_facilitator_sees_attendance_of_their_own_sessions_and_measures_only_when_shared(cast: Cast) -> None:
    c = cast
    url = f"/api/facilitator/couples/{c.couple_id}/progress?weeks=4"
    before = (await c.fran.get(url)).json()
    assert before["couple_id"] == c.couple_id and len(before["weeks"]) == 4
    partners = {p["display_name"]: p for p in before["partners"]}
    assert set(partners) == {"Alex", "Sam"}
    for p in partners.values():
        assert p["shared"] is False and p["measures"] == [] and p["recorded_scores"] == []
        assert p["attendance_with_me"]["attended"][-1] == 1  # only the session Fran ran
        assert p["attendance_with_me"]["completed"][-1] == 1
        assert (p["attendance_with_me"]["min"], p["attendance_with_me"]["max"]) == (0, 7)  # as count measures

    await share(c, "alex", "gale")  # another facilitator only
    assert all(p["measures"] == [] for p in (await c.fran.get(url)).json()["partners"])
    gale_view = {p["display_name"]: p for p in (await c.gale.get(url)).json()["partners"]}
    assert gale_view["Alex"]["shared"] is True and len(gale_view["Alex"]["measures"]) == 14
    assert gale_view["Sam"]["measures"] == []

    await share(c, "alex", "fran")
    fran_view = {p["display_name"]: p for p in (await c.fran.get(url)).json()["partners"]}
    assert fran_view["Alex"]["shared"] is True
    assert {m["key"]: m for m in fran_view["Alex"]["measures"]}["sessions_attended"]["values"][-1] == 3
    assert fran_view["Sam"]["measures"] == []

    await share(c, "alex", "fran", shared=False)  # revoked: hidden at the very next request
    fran_after = {p["display_name"]: p for p in (await c.fran.get(url)).json()["partners"]}
    assert fran_after["Alex"]["shared"] is False and fran_after["Alex"]["measures"] == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("hal", 404), ("stranger", 403), ("alex", 403), ("signed_out", 401)],
)
async def test_everyone_else_is_refused_the_facilitator_view(cast: Cast, who: str, status: int) -> None:
    c = cast
    await share(c, "alex", "fran")
    await share(c, "sam", "fran")
    browser = getattr(c, who)
    for path in ("progress", "progress.csv", "scores"):
        response = await browser.get(f"/api/facilitator/couples/{c.couple_id}/{path}")
        assert response.status_code == status, (path, response.text)
        assert "worry" not in response.text.lower()


async def test_unlinking_ends_the_facilitators_view_and_resets_sharing(cast: Cast) -> None:
    c = cast
    await share(c, "alex", "fran")
    links = (await c.alex.get("/api/facilitators")).json()
    fran_link = next(x for x in links if x["facilitator_display_name"] == "Fran")
    assert (await c.alex.delete(f"/api/facilitators/{fran_link['id']}")).status_code == 204
    assert (await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress")).status_code == 404
    sharing = (await c.alex.get("/api/progress/sharing")).json()
    assert [f["display_name"] for f in sharing["facilitators"]] == ["Gale"]
    await link(c.fran, c.sam, c.alex)  # linked again later: sharing starts from "off"
    again = {
        p["display_name"]: p
        for p in (await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress")).json()["partners"]
    }
    assert again["Alex"]["shared"] is False and again["Alex"]["measures"] == []


async def test_the_csv_holds_exactly_what_is_consented(cast: Cast) -> None:
    c = cast
    await share(c, "alex", "fran")
    response = await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress.csv?weeks=4&tz=Europe/Berlin")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.strip().splitlines()
    assert lines[0] == "partner,week,week_start,measure,value"
    rows = [line.split(",") for line in lines[1:]]
    alex_measures = {r[3] for r in rows if r[0] == "Alex"}
    sam_measures = {r[3] for r in rows if r[0] == "Sam"}
    assert {"worry", "sessions_attended", "attended_with_me", "sessions_with_facilitator"} <= alex_measures
    assert sam_measures == {"attended_with_me", "completed_with_me"}  # Sam shares nothing with Fran
    assert len({r[1] for r in rows}) == 4
    assert SECRET not in response.text
    bad = await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress.csv?weeks=3")
    assert bad.status_code == 400 and error_code(bad) == "bad_weeks"


async def test_private_reflections_reach_no_measure_sentence_or_view(cast: Cast) -> None:
    c = cast
    for who, target in (("alex", "partner"), ("alex", "fran"), ("sam", "partner"), ("sam", "fran")):
        await share(c, who, target)
    for browser, path in (
        (c.alex, "/api/progress?weeks=52"),
        (c.sam, "/api/progress/partner?weeks=52"),
        (c.fran, f"/api/facilitator/couples/{c.couple_id}/progress?weeks=52"),
        (c.fran, f"/api/facilitator/couples/{c.couple_id}/progress.csv?weeks=52"),
    ):
        text = (await browser.get(path)).text
        assert SECRET not in text and "private" not in text.lower()


def score_body(c: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "user_id": c.alex_id,
        "instrument": "ECR-R",
        "subscale": "Anxiety",
        "value": 3.2,
        "scale_min": 1,
        "scale_max": 7,
        "administered_on": datetime.now(UTC).date().isoformat(),  # since the couple paired (today)
        **changes,
    }


async def test_a_facilitator_records_a_score_only_for_a_partner_who_shares_with_them(cast: Cast) -> None:
    c = cast
    url = f"/api/facilitator/couples/{c.couple_id}/scores"
    refused = await c.fran.post(url, json=score_body(c))
    assert refused.status_code == 403 and error_code(refused) == "not_shared"
    await share(c, "alex", "gale")
    assert (await c.fran.post(url, json=score_body(c))).status_code == 403  # shared with Gale, not Fran
    await share(c, "alex", "fran")
    created = await c.fran.post(url, json=score_body(c))
    assert created.status_code == 201, created.text
    score = created.json()
    assert score["instrument"] == "ECR-R" and score["value"] == 3.2

    mine = (await c.alex.get("/api/progress")).json()["recorded_scores"]
    assert mine == [
        {
            "instrument": "ECR-R",
            "subscale": "Anxiety",
            "min": 1,
            "max": 7,
            "recorded_by": "Fran",
            "points": [{"date": score_body(c)["administered_on"], "value": 3.2}],
        }
    ]
    assert (await c.sam.get("/api/progress/partner")).json()["recorded_scores"] == []  # not shared with Sam
    await share(c, "alex", "partner")
    assert len((await c.sam.get("/api/progress/partner")).json()["recorded_scores"]) == 1
    fran_view = {p["display_name"]: p for p in (await c.fran.get(f"{url[:-7]}/progress")).json()["partners"]}
    assert fran_view["Alex"]["recorded_scores"][0]["points"][0]["value"] == 3.2
    fran_csv = (await c.fran.get(f"{url[:-7]}/progress.csv")).text
    assert "score: ECR-R Anxiety" in fran_csv and ",3.2\r\n" in fran_csv  # what Fran recorded, in its week
    assert "score: ECR-R" not in (await c.gale.get(f"{url[:-7]}/progress.csv")).text
    gale_view = {p["display_name"]: p for p in (await c.gale.get(f"{url[:-7]}/progress")).json()["partners"]}
    assert gale_view["Alex"]["recorded_scores"] == []  # Gale sees only what Gale recorded

    listed = (await c.fran.get(url)).json()
    assert [s["id"] for s in listed] == [score["id"]]
    assert (await c.gale.get(url)).json() == []
    assert (await c.gale.delete(f"/api/facilitator/scores/{score['id']}")).status_code == 404
    assert (await c.alex.delete(f"/api/facilitator/scores/{score['id']}")).status_code == 403
    await share(c, "alex", "fran", shared=False)
    assert (await c.fran.get(url)).json() == []  # revoked: hidden at once
    assert (await c.alex.get("/api/progress")).json()["recorded_scores"] != []  # still Alex's own
    assert (await c.fran.delete(f"/api/facilitator/scores/{score['id']}")).status_code == 204
    assert (await c.alex.get("/api/progress")).json()["recorded_scores"] == []


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"value": 7.5}, 400, "value_out_of_range"),
        ({"value": 0}, 400, "value_out_of_range"),
        ({"scale_min": 7, "scale_max": 1}, 400, "bad_range"),
        ({"scale_min": 3, "scale_max": 3, "value": 3}, 400, "bad_range"),
        ({"instrument": "x" * 61}, 400, None),
        ({"instrument": ""}, 400, None),
        ({"instrument": "   "}, 400, "blank_name"),
        ({"subscale": "y" * 61}, 400, None),
        ({"administered_on": "2999-01-01"}, 400, "bad_date"),
        ({"administered_on": "yesterday"}, 400, None),
        ({"administered_on": "0001-01-01"}, 400, "bad_date"),
        ({"instrument": "ECR\u0000R"}, 400, None),
        ({"subscale": "Anx\u202eiety"}, 400, None),
        ({"subscale": "Anx\u0007"}, 400, None),
        ({"value": "high"}, 400, None),
        ({"user_id": "6d1c1d36-1b0f-4b4e-9b7e-2d8f4f3c2a10"}, 404, "not_a_partner"),
    ],
)
async def test_bad_scores_are_refused_plainly(
    cast: Cast, changes: dict[str, Any], status: int, code: str | None
) -> None:
    c = cast
    await share(c, "alex", "fran")
    response = await c.fran.post(f"/api/facilitator/couples/{c.couple_id}/scores", json=score_body(c, **changes))
    assert response.status_code == status, response.text
    assert code is None or error_code(response) == code
    message = response.json()["error"]["message"]
    assert message
    if changes.get("administered_on") == "0001-01-01":
        assert "future" not in message and "1900" in message


@pytest.mark.parametrize("query", ["weeks=5", "weeks=lots", "tz=Atlantis/Capital", "tz=..%2F..%2Fetc"])
async def test_bad_weeks_or_time_zone_on_the_partner_and_facilitator_views(cast: Cast, query: str) -> None:
    c = cast
    for browser, path in (
        (c.sam, "/api/progress/partner"),
        (c.fran, f"/api/facilitator/couples/{c.couple_id}/progress"),
        (c.fran, f"/api/facilitator/couples/{c.couple_id}/progress.csv"),
        (c.alex, "/api/progress/self-check/skip"),
    ):
        method = "POST" if path.endswith("skip") else "GET"
        if method == "POST" and "weeks" in query:
            continue
        response = await browser.request(method, f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.text)
        assert response.json()["error"]["message"]


async def test_a_partner_and_a_facilitator_see_nothing_from_before_the_couple(
    cast: Cast, db: AsyncSession, new_browser: Callable[[], Any]
) -> None:
    """Alex had a couple with an ex before Sam: that time stays Alex's own, whatever Alex shares."""
    c = cast
    ex = await person(new_browser, "Jo")
    ex_id = uuid.UUID((await ex.get("/api/me")).json()["id"])
    alex = uuid.UUID(c.alex_id)
    then = datetime.now(UTC) - timedelta(days=20)
    old = Couple(created_at=then - timedelta(days=40), ended_at=then + timedelta(days=5))
    db.add(old)
    await db.flush()
    for who in (alex, ex_id):
        db.add(CoupleMember(couple_id=old.id, user_id=who, joined_at=old.created_at, left_at=old.ended_at))
    db.add(SelfCheckRecord(user_id=alex, taken_on=then.date(), answers=ANSWERS, scores={"worry": 6.5}))
    db.add(SoloPractice(user_id=alex, kind="breathe", started_at=then, completed_at=then))
    db.add(
        RecordedScore(
            user_id=alex,
            couple_id=old.id,
            facilitator_id=uuid.UUID(c.fran_id),
            instrument="ECR-R",
            subscale="Anxiety",
            value=5.0,
            scale_min=1,
            scale_max=7,
            administered_on=then.date(),
        )
    )
    await db.commit()
    conn = await db.connection()
    await history.store_run(conn, daily_run(), couple_id=old.id, ana=alex, ben=ex_id, started_at=then)
    await db.commit()
    await share(c, "alex", "partner")
    await share(c, "alex", "fran")

    def total(progress: dict[str, Any], key: str) -> float:
        return sum(v for v in by_key(progress)[key]["values"] if v is not None)

    own = (await c.alex.get("/api/progress?weeks=12")).json()  # Alex's own view stays whole
    assert total(own, "sessions_attended") == 4 and 6.5 in by_key(own)["worry"]["values"]
    assert total(own, "calming_practice") >= 1 and len(own["recorded_scores"]) == 1

    seen = (await c.sam.get("/api/progress/partner?weeks=12")).json()
    assert seen["shared"] is True
    assert total(seen, "sessions_attended") == 3  # our three sessions, not the one with Jo
    assert 6.5 not in by_key(seen)["worry"]["values"]
    back_then = seen["week_starts"].index((then.date() - timedelta(days=then.weekday())).isoformat())
    assert own["measures"][0]["values"][back_then] == 6.5
    assert all(m["values"][back_then] in (None, 0) for m in seen["measures"])  # no solo practice, nothing
    assert seen["recorded_scores"] == []

    fran = (await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress?weeks=12")).json()
    alex_view = next(p for p in fran["partners"] if p["display_name"] == "Alex")
    assert total(alex_view, "sessions_attended") == 3 and 6.5 not in by_key(alex_view)["worry"]["values"]
    assert all(m["values"][back_then] in (None, 0) for m in alex_view["measures"])
    assert len(alex_view["recorded_scores"]) == 1  # Fran's own record stays hers to see
    csv_text = (await c.fran.get(f"/api/facilitator/couples/{c.couple_id}/progress.csv?weeks=12")).text
    assert "6.5" not in csv_text


async def test_two_first_sharing_choices_at_once_keep_one_choice_and_never_fail(
    new_browser: Callable[[], Any], settings: Settings
) -> None:
    """Two taps or two devices: both requests find no choice yet and insert one, in two sessions of the
    app's own engine; the unique key must not turn the loser into a 500 (PostgreSQL shows the race)."""
    c = await make_cast(new_browser)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)

    async def choose(shared: bool, target: str) -> dict[str, Any]:
        async with sessions() as db:
            alex = await db.get(User, uuid.UUID(c.alex_id))
            assert alex is not None
            if target == "partner":
                return await service.set_partner_sharing(db, alex, shared)
            return await service.set_facilitator_sharing(db, alex, uuid.UUID(c.fran_id), shared)

    try:
        answers = await asyncio.gather(choose(True, "partner"), choose(True, "partner"))
        assert [a["partner"]["shared"] for a in answers] == [True, True]
        answers = await asyncio.gather(choose(True, "fran"), choose(True, "fran"))
        assert all(f["shared"] for a in answers for f in a["facilitators"] if f["facilitator_id"] == c.fran_id)
    finally:
        await engine.dispose()
    mine = (await c.alex.get("/api/progress/sharing")).json()
    assert mine["partner"]["shared"] is True
    assert [f["shared"] for f in mine["facilitators"] if f["facilitator_id"] == c.fran_id] == [True]
