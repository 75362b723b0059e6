"""Fixtures shared by every test: a migrated database per backend and a running app per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from server.app import create_app
from server.settings import Settings
from tests import backends
from tests.helpers import Browser

# Cheap Argon2 parameters keep the suite fast; production parameters are exercised in test_passwords.
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return backends.migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_ready() -> bool:
    if backends.TEST_DATABASE_URL:
        backends.reset_postgres_schema(backends.TEST_DATABASE_URL)
    return bool(backends.TEST_DATABASE_URL)


@pytest.fixture(params=backends.BACKENDS)
async def backend(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path, postgres_ready: bool
) -> backends.Backend:
    if request.param == "scaled":
        await backends.empty_postgres_tables(backends.TEST_DATABASE_URL)
        return backends.scaled_backend()
    return backends.sqlite_backend(sqlite_template, tmp_path)


@pytest.fixture
def settings(backend: backends.Backend, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=backend.database_url,
        redis_url=backend.redis_url,
        redis_namespace=backend.redis_namespace,
        secret_key="test-secret-" + "x" * 20,
        allowed_hosts=("testserver.local",),  # the test client's Host
        **FAST_ARGON2,
    )


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
def browser(app_client: AsyncTestClient[Any]) -> Browser:
    return Browser(app_client, app_client.app)


@pytest.fixture
def new_browser(app_client: AsyncTestClient[Any]) -> Callable[[], Any]:
    """Another person on another device: their own cookies, the same running server."""

    async def make() -> Browser:
        # Sharing the test transport keeps everyone on the one app and event loop, as on a real server.
        client = httpx.AsyncClient(transport=app_client._transport, base_url=app_client.base_url)
        return Browser(client, app_client.app)

    return make


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A database session in the test's own loop (the app's engine lives in the app's loop)."""
    engine = create_async_engine(settings.database_url, poolclass=NullPool)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()
