"""Ending a sign-in closes the live sockets it opened, within 5 s, in every process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from server.live.client import Account, ApiError, LiveSession
from tests import backends
from tests.e2e.conftest import LiveServer, free_port, server_env
from tests.e2e.live_helpers import paired_couple
from tests.helpers import DEFAULT_PASSWORD

CLOSED_WITHIN = 5.0


async def joined(account: Account, session_id: str) -> LiveSession:
    live = await account.join(session_id)
    await live.wait_for(lambda: live.snapshot is not None or live.connected, timeout=15)
    return live


async def second_device(base_url: str, email: str) -> Account:
    phone = Account(base_url)
    await phone.sign_in(email, DEFAULT_PASSWORD)
    return phone


async def test_signing_out_closes_that_sign_ins_socket_and_only_that_one(shared_server: LiveServer) -> None:
    alex, _sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    laptop_live = await joined(alex, session["id"])
    phone = await second_device(shared_server.url, alex.me["email"])
    phone_live = await joined(phone, session["id"])

    await alex.call("DELETE", "/api/session")

    assert await laptop_live.wait_closed(timeout=CLOSED_WITHIN) == 4410
    assert laptop_live.frames[-1] == {
        "type": "error",
        "code": "signed_out",
        "message": laptop_live.frames[-1]["message"],
        "ref": None,
        "retry_after_ms": None,
    }
    # The phone's own sign-in is untouched: its socket still works.
    assert (await phone_live.intent("ready"))["type"] == "ack"
    assert phone_live.close_code is None
    await phone_live.close()


async def test_a_socket_opened_before_sign_out_cannot_end_the_session(shared_server: LiveServer) -> None:
    alex, sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    live = await joined(alex, session["id"])
    await alex.call("DELETE", "/api/session")
    await live.wait_closed(timeout=CLOSED_WITHIN)
    with pytest.raises((ConnectionError, ConnectionClosed)):
        await live.intent("end")
    assert [s["status"] for s in await sam.sessions()] == ["lobby"]


async def test_changing_the_password_signs_out_every_other_device(shared_server: LiveServer) -> None:
    alex, _sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    laptop_live = await joined(alex, session["id"])
    phone = await second_device(shared_server.url, alex.me["email"])
    phone_live = await joined(phone, session["id"])

    new_password = "another calm sentence for later"
    await alex.call(
        "POST", "/api/me/password", {"current_password": DEFAULT_PASSWORD, "new_password": new_password}, expect=204
    )

    assert await phone_live.wait_closed(timeout=CLOSED_WITHIN) == 4410
    with pytest.raises(ApiError) as refused:
        await phone.call("GET", "/api/me")
    assert refused.value.status == 401
    # This device stays signed in, and its socket stays open.
    assert (await alex.call("GET", "/api/me"))["id"] == alex.id
    assert (await laptop_live.intent("ready"))["type"] == "ack"
    await laptop_live.close()


async def test_sign_out_everywhere_closes_every_socket(shared_server: LiveServer) -> None:
    alex, _sam = await paired_couple(shared_server.url)
    session = await alex.start_session("daily")
    laptop_live = await joined(alex, session["id"])
    phone = await second_device(shared_server.url, alex.me["email"])
    phone_live = await joined(phone, session["id"])

    await phone.call("POST", "/api/me/sign-out-everywhere", expect=204)

    assert await laptop_live.wait_closed(timeout=CLOSED_WITHIN) == 4410
    assert await phone_live.wait_closed(timeout=CLOSED_WITHIN) == 4410
    for device in (alex, phone):
        with pytest.raises(ApiError) as refused:
            await device.call("GET", "/api/me")
        assert refused.value.status == 401


@pytest.fixture
def two_processes(tmp_path: Path, postgres_ready: bool) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two `duologue serve` processes sharing one PostgreSQL database and one Redis (scaled mode)."""
    if not backends.TEST_DATABASE_URL or not backends.TEST_REDIS_URL:
        pytest.skip("needs TEST_DATABASE_URL and TEST_REDIS_URL")
    env = server_env("scaled", tmp_path, DUOLOGUE_PRESENCE_GRACE_SECONDS="1")
    servers = [LiveServer(port=free_port(), env=env, log_path=tmp_path / f"server{i}.log") for i in range(2)]
    for server in servers:
        server.start()
    yield servers[0], servers[1]
    for server in servers:
        server.stop()


async def test_signing_out_on_one_process_closes_a_socket_held_by_another(
    two_processes: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_processes
    alex, _sam = await paired_couple(first.url)
    session = await alex.start_session("daily")
    # The same sign-in (cookie) used against the other process.
    elsewhere = Account(second.url)
    elsewhere.http.cookies.update(alex.http.cookies)
    elsewhere.me = alex.me
    live = await joined(elsewhere, session["id"])

    await alex.call("DELETE", "/api/session")

    assert await live.wait_closed(timeout=CLOSED_WITHIN) == 4410
