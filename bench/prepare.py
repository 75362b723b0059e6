"""Prepare N couples quickly, through the project's own models and stores.

Accounts are inserted directly (one shared, cheap Argon2 hash: nobody signs in with a password during a
run), each pair becomes a couple, and each person gets a sign-in session written into the same store the
server reads (files under the data folder by default, Redis in scaled mode), so a client only needs the
cookie. Practice sessions are opened with the app's own `open_session`, level by level while the server
runs, exactly as if someone had pressed "start" (a fresh server then has nothing to recover).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from server.accounts.sessions import SESSION_COOKIE, RotatingSessionBackend
from server.db import create_engine, session_factory
from server.live.client import CSRF_COOKIE, CSRF_HEADER
from server.models import Couple, CoupleMember, User
from server.settings import Settings
from server.stores import SESSIONS_STORE, build_store_registry

PLAN_ID = "daily"
SIGN_IN_SECONDS = 14 * 24 * 3600
_CHUNK = 500


@dataclass
class PreparedCouple:
    index: int
    couple_id: uuid.UUID
    partners: tuple[uuid.UUID, uuid.UUID]
    cookies: tuple[str, str]
    session_id: uuid.UUID | None = None


def reset_postgres(database_url: str) -> None:
    """Scaled mode: bring the bench database to the current schema and empty every table."""
    from server import migrate

    migrate.upgrade(database_url)

    async def empty() -> None:
        engine = create_async_engine(database_url, poolclass=NullPool)
        async with engine.begin() as conn:
            names = (
                await conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
            ).scalars()
            tables = ", ".join(f'"{name}"' for name in names)
            if tables:
                await conn.execute(text(f"TRUNCATE {tables} CASCADE"))
        await engine.dispose()

    asyncio.run(empty())


async def prepare_couples(settings: Settings, count: int, label: str) -> list[PreparedCouple]:
    """Insert `count` couples with their sign-in sessions; the database must already be migrated."""
    password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(secrets.token_hex(16))
    engine = create_engine(settings.database_url)
    factory = session_factory(engine)
    couples: list[PreparedCouple] = []
    try:
        for start in range(0, count, _CHUNK):
            batch: list[PreparedCouple] = []
            rows: list[object] = []
            for i in range(start, min(count, start + _CHUNK)):
                a, b = (
                    User(
                        display_name=f"Bench {i}{side}",
                        email=f"bench-{label}-{i}{side}@example.org",
                        password_hash=password_hash,
                    )
                    for side in "ab"
                )
                couple = Couple()
                rows += [a, b, couple]
                batch.append(PreparedCouple(i, couple.id, (a.id, b.id), (secrets.token_hex(32), secrets.token_hex(32))))
            async with factory() as db:
                db.add_all(rows)
                await db.flush()  # users and couples before the members that point at them
                db.add_all([CoupleMember(couple_id=c.couple_id, user_id=uid) for c in batch for uid in c.partners])
                await db.commit()
            couples += batch
    finally:
        await engine.dispose()
    await _write_sign_ins(settings, couples)
    return couples


async def _write_sign_ins(settings: Settings, couples: list[PreparedCouple]) -> None:
    store = build_store_registry(settings).get(SESSIONS_STORE)
    limit = asyncio.Semaphore(32)  # within Redis's connection pool, and kind to the file system

    async def one(uid: uuid.UUID, cookie: str) -> None:
        async with limit:
            data = RotatingSessionBackend.serialize_data({"user_id": str(uid)})
            await store.set(cookie, data, expires_in=SIGN_IN_SECONDS)

    try:
        await asyncio.gather(
            *(one(uid, cookie) for c in couples for uid, cookie in zip(c.partners, c.cookies, strict=True))
        )
    finally:
        redis = getattr(store, "_redis", None)
        if redis is not None:
            await redis.aclose()


async def open_sessions(settings: Settings, couples: list[PreparedCouple], base_url: str) -> None:
    """Open one practice session (in its lobby) per couple with the app's own code.

    This is the one call into the live runtime's lifecycle (`rooms.journal.create_session`, which the
    runtime's `open_session` uses too). Should that API move or change, the sessions are opened over
    HTTP instead (`POST /api/sessions`, as the web client does): slower, but it keeps the harness working.
    """
    todo = [c for c in couples if c.session_id is None]
    try:
        await _open_in_process(settings, todo)
    except (ImportError, TypeError) as exc:
        logging.getLogger(__name__).warning("opening sessions over HTTP (%s)", type(exc).__name__)
        await _open_over_http(base_url, [c for c in todo if c.session_id is None])


async def _open_in_process(settings: Settings, couples: list[PreparedCouple]) -> None:
    from rooms.catalogue import builtin_catalogue
    from rooms.journal import create_session

    plan = builtin_catalogue().plans[PLAN_ID]
    engine = create_engine(settings.database_url)
    limit = asyncio.Semaphore(1 if settings.uses_sqlite else 8)

    async def one(couple: PreparedCouple) -> None:
        a, b = (str(p) for p in couple.partners)
        async with limit:
            couple.session_id = await create_session(
                engine, couple_id=couple.couple_id, created_by=couple.partners[0], partners=(a, b), plan=plan,
                first_speaker=a,
            )  # fmt: skip

    try:
        await asyncio.gather(*(one(c) for c in couples))
    finally:
        await engine.dispose()


async def _open_over_http(base_url: str, couples: list[PreparedCouple]) -> None:
    limit = asyncio.Semaphore(8)

    async def one(couple: PreparedCouple) -> None:
        async with limit, httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            http.cookies.set(SESSION_COOKIE, couple.cookies[0])
            await http.get("/healthz")  # sets the CSRF cookie
            answer = await http.post(
                "/api/sessions",
                json={"plan_id": PLAN_ID, "first_speaker": "me"},
                headers={CSRF_HEADER: http.cookies.get(CSRF_COOKIE, "")},
            )
            answer.raise_for_status()
            couple.session_id = uuid.UUID(answer.json()["id"])

    await asyncio.gather(*(one(c) for c in couples))


def bench_settings(
    data_dir: Path, database_url: str = "", redis_url: str | None = None, namespace: str = ""
) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url or f"sqlite+aiosqlite:///{(data_dir / 'duologue.db').as_posix()}",
        redis_url=redis_url,
        redis_namespace=namespace or "duologue",
        secret_key="bench-" + secrets.token_hex(16),
        argon2_time_cost=1,
        argon2_memory_kib=8,
        argon2_parallelism=1,
    )
