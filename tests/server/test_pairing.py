"""Pairing two partners through an invite link or a code read aloud."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import Invite
from server.models.timestamps import utcnow
from server.pairing.codes import ALPHABET, BITS_OF_RANDOMNESS, new_code, normalise_code
from tests.helpers import Browser, error_code

CODE_SHAPE = re.compile(rf"^[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}$")


async def two_people(new_browser: Callable[[], Any]) -> tuple[Browser, Browser]:
    alex, sam = await new_browser(), await new_browser()
    await alex.sign_up(display_name="Alex")
    await sam.sign_up(display_name="Sam")
    return alex, sam


async def test_invite_codes_are_readable_and_random_enough() -> None:
    assert BITS_OF_RANDOMNESS >= 40
    for ambiguous in "01ILOUV":
        assert ambiguous not in ALPHABET
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert normalise_code(" abcde-fghjk ") == "ABCDEFGHJK"


async def test_partners_pair_through_an_invite_and_see_each_other(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    invite = (await alex.post("/api/invites")).json()
    assert CODE_SHAPE.match(invite["code"])
    assert invite["link"].endswith(f"/invite/{invite['code']}")
    assert invite["status"] == "pending"

    preview = (await sam.get(f"/api/invites/{invite['code']}")).json()
    assert preview["inviter_display_name"] == "Alex"

    accepted = await sam.post(f"/api/invites/{invite['code'].lower()}/accept")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["partner"]["display_name"] == "Alex"

    alex_view = (await alex.get("/api/couple")).json()
    sam_view = (await sam.get("/api/couple")).json()
    assert alex_view["id"] == sam_view["id"]
    assert alex_view["partner"]["display_name"] == "Sam"
    assert alex_view["partner"]["email"] is None  # never shown unless Sam chooses to share it
    assert (await alex.get("/api/invites")).json()[0]["status"] == "accepted"


async def test_a_partner_sees_the_email_only_when_it_is_shared(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    code = (await alex.post("/api/invites")).json()["code"]
    await sam.post(f"/api/invites/{code}/accept")
    sam_email = (await sam.get("/api/me")).json()["email"]
    assert sam_email not in (await alex.get("/api/couple")).text

    await sam.patch("/api/me", json={"share_email_with_partner": True})
    assert (await alex.get("/api/couple")).json()["partner"]["email"] == sam_email


async def test_you_cannot_accept_your_own_invite(new_browser: Callable[[], Any]) -> None:
    alex, _ = await two_people(new_browser)
    code = (await alex.post("/api/invites")).json()["code"]
    response = await alex.post(f"/api/invites/{code}/accept")
    assert response.status_code == 403
    assert error_code(response) == "own_invite"


async def test_an_invite_works_once(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    code = (await alex.post("/api/invites")).json()["code"]
    assert (await sam.post(f"/api/invites/{code}/accept")).status_code == 201
    third = await new_browser()
    await third.sign_up(display_name="Kim")
    response = await third.post(f"/api/invites/{code}/accept")
    assert response.status_code == 409
    assert error_code(response) == "invite_used"


async def test_an_expired_invite_is_refused(new_browser: Callable[[], Any], db: AsyncSession) -> None:
    alex, sam = await two_people(new_browser)
    code = (await alex.post("/api/invites")).json()["code"]
    await db.exec(update(Invite).values(expires_at=utcnow() - timedelta(seconds=1)))  # 72 hours pass
    await db.commit()
    response = await sam.post(f"/api/invites/{code}/accept")
    assert response.status_code == 410
    assert error_code(response) == "invite_expired"
    assert (await alex.get("/api/invites")).json()[0]["status"] == "expired"


async def test_invites_last_seventy_two_hours(new_browser: Callable[[], Any], db: AsyncSession) -> None:
    alex, _ = await two_people(new_browser)
    await alex.post("/api/invites")
    invite = (await db.exec(select(Invite))).one()
    assert invite.expires_at - invite.created_at == timedelta(hours=72)


async def test_the_creator_can_cancel_an_invite_and_it_stops_working(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    code = (await alex.post("/api/invites")).json()["code"]

    assert (await sam.delete(f"/api/invites/{code}")).status_code == 404  # not Sam's to cancel
    assert (await alex.delete(f"/api/invites/{code}")).status_code == 204
    response = await sam.post(f"/api/invites/{code}/accept")
    assert response.status_code == 410
    assert error_code(response) == "invite_cancelled"


async def test_an_unknown_code_is_not_found(new_browser: Callable[[], Any]) -> None:
    _, sam = await two_people(new_browser)
    response = await sam.post("/api/invites/ZZZZZ-ZZZZZ/accept")
    assert response.status_code == 404
    assert error_code(response) == "invite_not_found"


async def test_you_cannot_join_a_couple_that_already_has_two_partners(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    first = (await alex.post("/api/invites")).json()["code"]
    second = (await alex.post("/api/invites")).json()["code"]
    assert (await sam.post(f"/api/invites/{first}/accept")).status_code == 201

    kim = await new_browser()
    await kim.sign_up(display_name="Kim")
    response = await kim.post(f"/api/invites/{second}/accept")
    assert response.status_code == 409
    assert error_code(response) == "couple_full"
    assert (await kim.get("/api/couple")).status_code == 404


async def test_someone_already_paired_cannot_join_another_couple(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    await sam.post(f"/api/invites/{(await alex.post('/api/invites')).json()['code']}/accept")
    kim = await new_browser()
    await kim.sign_up(display_name="Kim")
    code = (await kim.post("/api/invites")).json()["code"]
    response = await sam.post(f"/api/invites/{code}/accept")
    assert response.status_code == 409
    assert error_code(response) == "already_paired"
    assert (await alex.post("/api/invites")).status_code == 409  # a full couple makes no more invites


async def test_either_partner_can_leave_and_both_are_free_again(new_browser: Callable[[], Any]) -> None:
    alex, sam = await two_people(new_browser)
    await sam.post(f"/api/invites/{(await alex.post('/api/invites')).json()['code']}/accept")

    assert (await sam.delete("/api/couple")).status_code == 204
    for person in (alex, sam):
        response = await person.get("/api/couple")
        assert response.status_code == 404
        assert error_code(response) == "not_paired"
    # They can pair again (with each other or anyone else).
    code = (await sam.post("/api/invites")).json()["code"]
    assert (await alex.post(f"/api/invites/{code}/accept")).status_code == 201


async def test_leaving_when_not_paired_is_a_clear_404(new_browser: Callable[[], Any]) -> None:
    alex, _ = await two_people(new_browser)
    response = await alex.delete("/api/couple")
    assert response.status_code == 404
    assert error_code(response) == "not_paired"


async def test_open_invites_are_capped(new_browser: Callable[[], Any]) -> None:
    alex, _ = await two_people(new_browser)
    for _ in range(5):
        assert (await alex.post("/api/invites")).status_code == 201
    response = await alex.post("/api/invites")
    assert response.status_code == 409
    assert error_code(response) == "too_many_invites"
