"""Against a real server, guesses sent all at once are counted before any password is checked."""

from __future__ import annotations

import asyncio

import httpx

from server.live.client import Account
from tests.e2e.conftest import LiveServer
from tests.helpers import DEFAULT_PASSWORD, random_email


async def test_thirty_parallel_wrong_guesses_for_one_email_check_at_most_five(shared_server: LiveServer) -> None:
    email = random_email()
    async with Account(shared_server.url) as owner:
        await owner.sign_up(email, "Sam", DEFAULT_PASSWORD)
    async with httpx.AsyncClient(base_url=shared_server.url, timeout=60) as attacker:
        await attacker.get("/healthz")
        token = attacker.cookies["duologue_csrf"]
        answers = await asyncio.gather(
            *(
                attacker.post(
                    "/api/session", json={"email": email, "password": f"guess {i}!"}, headers={"x-csrf-token": token}
                )
                for i in range(30)
            )
        )
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) <= 5, statuses
    assert set(statuses) <= {401, 429}, statuses


async def test_the_owner_still_gets_in_from_another_address(shared_server: LiveServer) -> None:
    """Five wrong passwords from 127.0.0.1 stop 127.0.0.1 only; the owner on 127.0.0.2 signs in."""
    email = random_email()
    async with Account(shared_server.url) as owner:
        await owner.sign_up(email, "Sam", DEFAULT_PASSWORD)
    async with httpx.AsyncClient(base_url=shared_server.url, timeout=30) as attacker:
        await attacker.get("/healthz")
        headers = {"x-csrf-token": attacker.cookies["duologue_csrf"]}
        for _ in range(6):
            await attacker.post("/api/session", json={"email": email, "password": "not it at all"}, headers=headers)
        blocked = await attacker.post(
            "/api/session", json={"email": email, "password": DEFAULT_PASSWORD}, headers=headers
        )
        assert blocked.status_code == 429
    elsewhere = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=shared_server.url, transport=elsewhere, timeout=30) as real_owner:
        await real_owner.get("/healthz")
        headers = {"x-csrf-token": real_owner.cookies["duologue_csrf"]}
        signed_in = await real_owner.post(
            "/api/session", json={"email": email, "password": DEFAULT_PASSWORD}, headers=headers
        )
        assert signed_in.status_code == 200, signed_in.text
