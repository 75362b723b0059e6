"""Facilitators: linking by consent, plans, notes; every endpoint refused to everyone but the right person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers import Browser, error_code

SMALL_PLAN = {
    "title": "Gentle start",
    "exercises": [
        {"exercise": "check_in"},
        {"exercise": "small_truths", "rounds": 1, "time_limits": {"share": 90}},
        {"exercise": "private_reflection"},
    ],
}


@dataclass
class Cast:
    facilitator: Browser
    other_facilitator: Browser
    alex: Browser
    sam: Browser
    stranger: Browser
    signed_out: Browser
    couple_id: str = ""
    link_id: str = ""


async def person(new_browser: Callable[[], Any], name: str, facilitator: bool = False) -> Browser:
    browser = await new_browser()
    response = await browser.post(
        "/api/accounts",
        json={
            "email": f"{name.lower()}-{id(browser)}@example.org",
            "display_name": name,
            "password": "a long and gentle passphrase",
            "is_facilitator": facilitator,
        },
    )
    assert response.status_code == 201, response.text
    return browser


async def cast(new_browser: Callable[[], Any], *, linked: bool = True) -> Cast:
    c = Cast(
        facilitator=await person(new_browser, "Fran", facilitator=True),
        other_facilitator=await person(new_browser, "Gale", facilitator=True),
        alex=await person(new_browser, "Alex"),
        sam=await person(new_browser, "Sam"),
        stranger=await person(new_browser, "Kim"),
        signed_out=await new_browser(),
    )
    code = (await c.alex.post("/api/invites")).json()["code"]
    await c.sam.post(f"/api/invites/{code}/accept")
    c.couple_id = (await c.alex.get("/api/couple")).json()["id"]
    if linked:
        invite = (await c.facilitator.post("/api/facilitator/invites")).json()
        c.link_id = (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()[0]["id"]
        assert (await c.sam.post(f"/api/facilitators/{c.link_id}/confirm")).status_code == 204
    return c


async def test_an_account_can_be_a_facilitator_from_sign_up_or_later(new_browser: Callable[[], Any]) -> None:
    fran = await person(new_browser, "Fran", facilitator=True)
    assert (await fran.get("/api/me")).json()["is_facilitator"] is True
    robin = await person(new_browser, "Robin")
    refused = await robin.post("/api/facilitator/invites")
    assert refused.status_code == 403 and error_code(refused) == "not_a_facilitator"
    assert (await robin.patch("/api/me", json={"is_facilitator": True})).json()["is_facilitator"] is True
    assert (await robin.post("/api/facilitator/invites")).status_code == 201


async def test_a_couple_is_linked_when_one_accepts_and_the_other_confirms(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser, linked=False)
    invite = (await c.facilitator.post("/api/facilitator/invites")).json()
    assert invite["link"].endswith(f"/facilitator-invite/{invite['code']}")

    links = (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()
    assert links[0]["status"] == "awaiting_confirmation" and links[0]["facilitator_display_name"] == "Fran"
    assert (await c.facilitator.get("/api/facilitator/couples")).json() == []  # not yet: Sam has not agreed

    own = await c.alex.post(f"/api/facilitators/{links[0]['id']}/confirm")
    assert own.status_code == 403 and error_code(own) == "needs_partner"
    sam_view = (await c.sam.get("/api/facilitators")).json()[0]
    assert sam_view["can_confirm"] is True and sam_view["share_my_summaries"] is False
    assert (await c.sam.post(f"/api/facilitators/{links[0]['id']}/confirm")).status_code == 204

    couples = (await c.facilitator.get("/api/facilitator/couples")).json()
    assert [x["couple_id"] for x in couples] == [c.couple_id]
    assert {p["display_name"] for p in couples[0]["partners"]} == {"Alex", "Sam"}
    assert "email" not in str(couples)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("facilitator", 403, "own_invite"), ("stranger", 409, "not_paired")],
)
async def test_who_cannot_accept_a_facilitator_invite(
    new_browser: Callable[[], Any], who: str, status: int, code: str
) -> None:
    c = await cast(new_browser, linked=False)
    invite = (await c.facilitator.post("/api/facilitator/invites")).json()
    response = await getattr(c, who).post(f"/api/facilitator-invites/{invite['code']}/accept")
    assert response.status_code == status and error_code(response) == code


async def test_a_facilitator_invite_works_once(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser, linked=False)
    invite = (await c.facilitator.post("/api/facilitator/invites")).json()
    assert (await c.alex.post(f"/api/facilitator-invites/{invite['code']}/accept")).status_code == 201
    again = await c.sam.post(f"/api/facilitator-invites/{invite['code']}/accept")
    assert again.status_code == 409 and error_code(again) == "invite_used"


async def test_either_partner_can_unlink_and_it_takes_effect_at_once(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    assert (await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/summaries")).status_code == 200
    assert (await c.sam.delete(f"/api/facilitators/{c.link_id}")).status_code == 204
    assert (await c.facilitator.get("/api/facilitator/couples")).json() == []
    for response in (
        await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/summaries"),
        await c.facilitator.post(f"/api/facilitator/couples/{c.couple_id}/sessions", json={"plan_id": "daily"}),
    ):
        assert response.status_code == 404
    assert (await c.alex.get("/api/facilitators")).json() == []


async def test_plans_are_composed_within_the_definitions_bounds(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    exercises = {e["id"]: e for e in (await c.facilitator.get("/api/facilitator/exercises")).json()}
    assert exercises["small_truths"]["rounds"]["max"] >= 2
    saved = await c.facilitator.post("/api/facilitator/plans", json=SMALL_PLAN)
    assert saved.status_code == 201, saved.text
    assert saved.json()["estimated_minutes"] > 0
    assert [p["title"] for p in (await c.facilitator.get("/api/facilitator/plans")).json()] == ["Gentle start"]

    too_many_rounds = {**SMALL_PLAN, "exercises": [{"exercise": "small_truths", "rounds": 9}]}
    for bad in (
        too_many_rounds,
        {**SMALL_PLAN, "exercises": [{"exercise": "small_truths", "time_limits": {"share": 5}}]},
        {**SMALL_PLAN, "exercises": [{"exercise": "juggling"}]},
    ):
        response = await c.facilitator.post("/api/facilitator/plans", json=bad)
        assert response.status_code == 400, bad
        assert error_code(response) in ("invalid_plan", "invalid_request")
    response = await c.facilitator.post(
        "/api/facilitator/plans", json={**SMALL_PLAN, "exercises": [{"exercise": "juggling"}]}
    )
    assert "juggling" in response.json()["error"]["message"]


async def test_the_composer_offers_every_exercise_including_the_new_ones(new_browser: Callable[[], Any]) -> None:
    from rooms.catalogue import builtin_catalogue

    c = await cast(new_browser)
    offered = {e["id"] for e in (await c.facilitator.get("/api/facilitator/exercises")).json()}
    assert offered == set(builtin_catalogue().exercises)
    assert {"both_answer", "appreciations", "stress_reducing", "asking_for_space"} <= offered
    plan = {
        "title": "Everything new",
        "exercises": [
            {"exercise": "both_answer"},
            {"exercise": "appreciations", "rounds": 2},
            {"exercise": "stress_reducing", "rounds": 2},
        ],
    }
    saved = await c.facilitator.post("/api/facilitator/plans", json=plan)
    assert saved.status_code == 201, saved.text


async def test_a_facilitator_starts_a_session_from_a_saved_plan_and_partners_see_it(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    plan_id = (await c.facilitator.post("/api/facilitator/plans", json=SMALL_PLAN)).json()["id"]
    alex_id = (await c.alex.get("/api/me")).json()["id"]
    started = await c.facilitator.post(
        f"/api/facilitator/couples/{c.couple_id}/sessions", json={"saved_plan_id": plan_id, "first_speaker": alex_id}
    )
    assert started.status_code == 201, started.text
    session = (await c.sam.get("/api/sessions")).json()[0]
    assert session["plan_title"] == "Gentle start" and session["facilitator_display_name"] == "Fran"
    couples = (await c.facilitator.get("/api/facilitator/couples")).json()
    assert [s["id"] for s in couples[0]["upcoming"]] == [started.json()["id"]]

    again = await c.facilitator.post(f"/api/facilitator/couples/{c.couple_id}/sessions", json={"plan_id": "daily"})
    assert again.status_code == 409 and error_code(again) == "session_in_progress"


async def test_notes_are_private_to_the_facilitator_who_wrote_them(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    session_id = (
        await c.facilitator.post(f"/api/facilitator/couples/{c.couple_id}/sessions", json={"plan_id": "deeper"})
    ).json()["id"]
    note = await c.facilitator.post(
        f"/api/facilitator/sessions/{session_id}/notes", json={"text": "Sam softened when Alex slowed down."}
    )
    assert note.status_code == 201
    assert [n["text"] for n in (await c.facilitator.get(f"/api/facilitator/sessions/{session_id}/notes")).json()] == [
        "Sam softened when Alex slowed down."
    ]
    record = (await c.facilitator.get(f"/api/facilitator/sessions/{session_id}/record")).json()
    assert record["notes"][0]["text"].startswith("Sam softened")
    for partner in (c.alex, c.sam):
        for path in ("/api/sessions", f"/api/sessions/{session_id}", "/api/summaries"):
            assert "softened" not in (await partner.get(path)).text
    empty = await c.facilitator.post(f"/api/facilitator/sessions/{session_id}/notes", json={"text": ""})
    assert empty.status_code == 400


# ----------------------------------------------------------------------------- authorization, both ways

FACILITATOR_ENDPOINTS = [
    ("POST", "/api/facilitator/invites", None),
    ("GET", "/api/facilitator/couples", None),
    ("GET", "/api/facilitator/exercises", None),
    ("GET", "/api/facilitator/plans", None),
    ("POST", "/api/facilitator/plans", SMALL_PLAN),
    ("DELETE", "/api/facilitator/plans/{plan_id}", None),
    ("POST", "/api/facilitator/couples/{couple_id}/sessions", {"plan_id": "daily"}),
    ("GET", "/api/facilitator/couples/{couple_id}/summaries", None),
    ("GET", "/api/facilitator/sessions/{session_id}/record", None),
    ("GET", "/api/facilitator/sessions/{session_id}/notes", None),
    ("POST", "/api/facilitator/sessions/{session_id}/notes", {"text": "a thought"}),
]
# Endpoints about one couple, plan or session: another facilitator learns nothing (404), where the
# general ones (invite, my couples, exercises, my plans) simply serve that facilitator's own things.
SCOPED = {path for _, path, _ in FACILITATOR_ENDPOINTS if "{" in path}


async def scenario(c: Cast, *, with_session: bool) -> dict[str, str]:
    ids = {"couple_id": c.couple_id, "session_id": "", "plan_id": ""}
    ids["plan_id"] = (await c.facilitator.post("/api/facilitator/plans", json=SMALL_PLAN)).json()["id"]
    if with_session:
        ids["session_id"] = (
            await c.facilitator.post(f"/api/facilitator/couples/{c.couple_id}/sessions", json={"plan_id": "deeper"})
        ).json()["id"]
        await c.facilitator.post(f"/api/facilitator/sessions/{ids['session_id']}/notes", json={"text": "first"})
    return ids


@pytest.mark.parametrize(("method", "path", "body"), FACILITATOR_ENDPOINTS)
async def test_only_the_linked_facilitator_can_use_each_facilitator_endpoint(
    new_browser: Callable[[], Any], method: str, path: str, body: Any
) -> None:
    c = await cast(new_browser)
    url = path.format(**await scenario(c, with_session="{session_id}" in path))
    denials = {"alex": 403, "stranger": 403, "signed_out": 401}
    if path in SCOPED:
        denials["other_facilitator"] = 404
    for who, status in denials.items():
        response = await getattr(c, who).request(method, url, json=body)
        assert response.status_code == status, (who, method, url, response.status_code, response.text)
        assert set(response.json()) == {"error"}

    response = await c.facilitator.request(method, url, json=body)
    assert response.status_code in {200, 201, 204}, (method, url, response.status_code, response.text)


PARTNER_ENDPOINTS = [
    ("GET", "/api/facilitators", None),
    ("PUT", "/api/facilitators/{link_id}/consent", {"share_summaries": True}),
    ("POST", "/api/facilitators/{link_id}/confirm", None),
    ("DELETE", "/api/facilitators/{link_id}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PARTNER_ENDPOINTS)
async def test_only_the_couples_partners_can_manage_their_facilitator(
    new_browser: Callable[[], Any], method: str, path: str, body: Any
) -> None:
    c = await cast(new_browser)
    url = path.format(link_id=c.link_id)
    for who in ("facilitator", "other_facilitator", "stranger"):
        response = await getattr(c, who).request(method, url, json=body)
        if method == "GET":
            assert response.json() == [], who  # nothing of this couple's shows up for anyone else
        else:
            assert response.status_code == 404, (who, response.text)
    assert (await c.signed_out.request(method, url, json=body)).status_code == 401
    response = await c.sam.request(method, url, json=body)
    assert response.status_code in ({200, 204} if method != "POST" else {409}), response.text  # already confirmed


async def test_a_second_invite_cannot_create_a_second_link(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser, linked=False)
    first = (await c.facilitator.post("/api/facilitator/invites")).json()["code"]
    second = (await c.facilitator.post("/api/facilitator/invites")).json()["code"]
    link_id = (await c.alex.post(f"/api/facilitator-invites/{first}/accept")).json()[0]["id"]
    refused = await c.sam.post(f"/api/facilitator-invites/{second}/accept")
    assert refused.status_code == 409 and error_code(refused) == "already_linked"
    await c.sam.post(f"/api/facilitators/{link_id}/confirm")
    assert (await c.alex.delete(f"/api/facilitators/{link_id}")).status_code == 204
    assert (await c.facilitator.get("/api/facilitator/couples")).json() == []
    assert (await c.sam.get("/api/facilitators")).json() == []


async def test_sharing_starts_off_again_when_a_facilitator_is_linked_again(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    await c.alex.request("PUT", f"/api/facilitators/{c.link_id}/consent", json={"share_summaries": True})
    assert (await c.alex.get("/api/facilitators")).json()[0]["share_my_summaries"] is True
    await c.alex.delete(f"/api/facilitators/{c.link_id}")
    code = (await c.facilitator.post("/api/facilitator/invites")).json()["code"]
    link_id = (await c.sam.post(f"/api/facilitator-invites/{code}/accept")).json()[0]["id"]
    await c.alex.post(f"/api/facilitators/{link_id}/confirm")
    assert (await c.alex.get("/api/facilitators")).json()[0]["share_my_summaries"] is False


async def test_a_partner_cannot_be_their_own_couples_facilitator(new_browser: Callable[[], Any]) -> None:
    pat = await person(new_browser, "Pat", facilitator=True)
    quinn = await person(new_browser, "Quinn")
    code = (await pat.post("/api/invites")).json()["code"]
    await quinn.post(f"/api/invites/{code}/accept")
    invite = (await pat.post("/api/facilitator/invites")).json()["code"]
    refused = await quinn.post(f"/api/facilitator-invites/{invite}/accept")
    assert refused.status_code == 409 and error_code(refused) == "facilitator_is_partner"


async def test_leaving_the_couple_ends_its_facilitation(new_browser: Callable[[], Any]) -> None:
    c = await cast(new_browser)
    await c.alex.request("PUT", f"/api/facilitators/{c.link_id}/consent", json={"share_summaries": True})
    assert (await c.sam.delete("/api/couple")).status_code == 204
    assert (await c.facilitator.get("/api/facilitator/couples")).json() == []
    assert (await c.facilitator.get(f"/api/facilitator/couples/{c.couple_id}/summaries")).status_code == 404
