"""Argon2id hashing: real hashes, a dummy verification for unknown emails, and rehash on sign-in."""

from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher, Type, extract_parameters
from litestar.testing import AsyncTestClient
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts.passwords import PasswordService
from server.app import create_app
from server.models import User
from server.settings import Settings
from tests.helpers import Browser, random_email


class CountingHasher(PasswordHasher):
    """A real Argon2 hasher that also counts verifications."""

    verifications = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        type(self).verifications += 1
        return super().verify(hash, password)


async def test_hashes_are_argon2id_and_never_the_password() -> None:
    service = PasswordService.with_parameters(time_cost=1, memory_kib=8, parallelism=1)
    password_hash = await service.hash("a long and gentle passphrase")
    assert password_hash.startswith("$argon2id$")
    assert extract_parameters(password_hash).type is Type.ID
    assert await service.verify(password_hash, "a long and gentle passphrase")
    assert not await service.verify(password_hash, "a long and gentle passphrasE")


async def test_an_unknown_email_costs_one_argon2_verification_like_a_wrong_password() -> None:
    service = PasswordService(CountingHasher(time_cost=1, memory_cost=8, parallelism=1))
    stored = await service.hash("the real passphrase")
    CountingHasher.verifications = 0
    assert not await service.verify(stored, "a wrong passphrase")
    assert not await service.verify(None, "a wrong passphrase")
    assert CountingHasher.verifications == 2


async def test_default_parameters_are_the_recommended_ones() -> None:
    settings = Settings()
    assert settings.argon2_time_cost >= 3 and settings.argon2_memory_kib >= 64 * 1024


async def test_a_hash_with_older_parameters_is_replaced_at_sign_in(
    settings: Settings, browser: Browser, db: AsyncSession
) -> None:
    email = random_email()
    old_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("a long and gentle passphrase")
    await browser.sign_up(email=email)
    user = (await db.exec(select(User).where(User.email == email))).one()
    user.password_hash = old_hash
    db.add(user)
    await db.commit()

    stronger = Settings(**{**settings.__dict__, "argon2_time_cost": 2, "argon2_memory_kib": 16})
    async with AsyncTestClient(app=create_app(stronger)) as client:
        assert (await Browser(client, client.app).sign_in(email)).status_code == 200
    await db.refresh(user)
    assert user.password_hash != old_hash
    parameters = extract_parameters(user.password_hash)
    assert (parameters.time_cost, parameters.memory_cost) == (2, 16)


async def test_sign_in_still_works_after_the_rehash(new_browser: Callable[[], Any]) -> None:
    first = await new_browser()
    email = random_email()
    await first.sign_up(email=email)
    again = await new_browser()
    assert (await again.sign_in(email)).status_code == 200
