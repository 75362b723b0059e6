"""Database engine and per-request sessions (SQLite by default, PostgreSQL through DATABASE_URL)."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

import msgspec
from litestar.datastructures import State
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

# JSON columns (event payloads, summaries) through msgspec: the stdlib encoder was a visible cost per commit.
_JSON: dict[str, Any] = {
    "json_serializer": lambda value: msgspec.json.encode(value).decode(),
    "json_deserializer": msgspec.json.decode,
}


def create_engine(database_url: str) -> AsyncEngine:
    # hide_parameters: with DEBUG logging (or in an error's text) SQLAlchemy would otherwise print every
    # bound value: emails, password hashes, private reflections. aiosqlite's own DEBUG log repeats each
    # statement with its parameters, so it never goes below INFO.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.getLogger("aiosqlite").level))
    if database_url.startswith("sqlite"):
        # A generous busy timeout lets concurrent writers queue instead of failing with "database is locked".
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, hide_parameters=True, **_JSON)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    return create_async_engine(database_url, pool_pre_ping=True, hide_parameters=True, **_JSON)


# SQLite's own lower() and LIKE fold ASCII letters only; this one folds every letter, as PostgreSQL's
# lower()/ILIKE do under a UTF-8 locale, so a search for "été" finds "ÉTÉ" on both.
UNICODE_LOWER = "unicode_lower"


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.create_function(UNICODE_LOWER, 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    """One session per request; a handler commits what it means to keep, the rest is rolled back."""
    async with state.db_sessions() as session:
        yield session
