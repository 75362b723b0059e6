"""The two ways Duologue runs, for tests: default (SQLite, in-process) and scaled (PostgreSQL, Redis)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from server import migrate

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

BACKENDS = ["default"] + (["scaled"] if TEST_DATABASE_URL else [])


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    redis_url: str | None
    redis_namespace: str


def migrated_sqlite_template(folder: Path) -> Path:
    """Migrate once per run; each test then copies the file, which is far faster than migrating again."""
    template = folder / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{template}")
    return template


def sqlite_backend(template: Path, folder: Path) -> Backend:
    database = folder / "duologue.db"
    shutil.copyfile(template, database)
    return Backend("default", f"sqlite+aiosqlite:///{database}", None, "unused")


def reset_postgres_schema(database_url: str) -> None:
    """Start the run from an empty schema, then build it with the real migrations."""

    async def drop() -> None:
        engine = create_async_engine(database_url, poolclass=NullPool)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(drop())
    migrate.upgrade(database_url)


async def empty_postgres_tables(database_url: str) -> None:
    engine = create_async_engine(database_url, poolclass=NullPool)
    async with engine.begin() as conn:
        names = (
            await conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
        ).scalars()
        tables = ", ".join(f'"{name}"' for name in names)
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    await engine.dispose()


def scaled_backend() -> Backend:
    # A namespace per test keeps Redis keys (sessions, throttles, channels) from leaking between tests.
    return Backend("scaled", TEST_DATABASE_URL, TEST_REDIS_URL or None, f"duologue-test-{uuid.uuid4().hex[:12]}")
