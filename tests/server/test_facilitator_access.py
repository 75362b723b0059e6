"""A facilitator's access ends where the couple's consent ends: after an unlink, a split or a deletion,
every endpoint about that couple answers 404 to them, at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import DEFAULT_PASSWORD, error_code
from tests.server.test_facilitation import FACILITATOR_ENDPOINTS, SCOPED, Cast, cast, scenario


async def end_consent(c: Cast, how: str) -> None:
    if how == "unlinked":
        assert (await c.sam.delete(f"/api/facilitators/{c.link_id}")).status_code == 204
    elif how == "couple_split":
        assert (await c.alex.delete("/api/couple")).status_code == 204
    elif how == "partner_deleted":
        assert (await c.alex.post("/api/me/delete", json={"password": DEFAULT_PASSWORD})).status_code == 204


@pytest.mark.parametrize("how", ["unlinked", "couple_split", "partner_deleted"])
@pytest.mark.parametrize(("method", "path", "body"), [e for e in FACILITATOR_ENDPOINTS if e[1] in SCOPED])
async def test_every_endpoint_about_the_couple_is_closed_to_the_facilitator_once_consent_ends(
    new_browser: Callable[[], Any], how: str, method: str, path: str, body: Any
) -> None:
    c = await cast(new_browser)
    ids = await scenario(c, with_session=True)
    url = path.format(**ids)
    if "{plan_id}" in path:  # the facilitator's own plan is theirs whatever the couple does
        await end_consent(c, how)
        assert (await c.facilitator.request(method, url, json=body)).status_code == 204
        return
    before = await c.facilitator.request("GET", f"/api/facilitator/sessions/{ids['session_id']}/record")
    assert before.status_code == 200 and "first" in before.text

    await end_consent(c, how)

    response = await c.facilitator.request(method, url, json=body)
    assert response.status_code == 404, (how, method, url, response.text)
    assert error_code(response) in ("not_found", "session_not_found")
    assert (await c.facilitator.get("/api/facilitator/couples")).json() == []


async def test_a_facilitators_own_notes_stay_theirs_when_a_partner_deletes_their_account(
    new_browser: Callable[[], Any],
) -> None:
    c = await cast(new_browser)
    ids = await scenario(c, with_session=True)
    await end_consent(c, "partner_deleted")
    export = (await c.facilitator.get("/api/me/export")).json()
    assert [n["text"] for n in export["facilitation"]["notes_i_wrote"]] == ["first"]
    assert [n["session_id"] for n in export["facilitation"]["notes_i_wrote"]] == [ids["session_id"]]
