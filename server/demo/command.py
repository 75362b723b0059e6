"""`duologue demo`: fill the configured database with a demo couple and their history, say how to sign in."""

from __future__ import annotations

import asyncio
import secrets
import sys

from argon2 import PasswordHasher
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.db import create_engine
from server.demo.history import DEMO_DOMAIN, demo_emails, seed_history
from server.models import User
from server.settings import Settings

WEEKS_MIN, WEEKS_MAX = 1, 104
_WORDS = (
    "amber", "birch", "cedar", "dune", "ember", "fern", "harbour", "linen", "maple", "meadow",
    "pebble", "quiet", "river", "saffron", "tide", "willow",
)  # fmt: skip


def new_password() -> str:
    """Three words and a number: easy to type from the terminal, not guessable (fresh each run)."""
    return "-".join(secrets.choice(_WORDS) for _ in range(3)) + f"-{secrets.randbelow(90) + 10}"


async def _others(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        users = User.__table__  # type: ignore[attr-defined]
        return int((await conn.execute(select(func.count()).where(users.c.email.not_in(demo_emails())))).scalar_one())


async def _demo_present(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        users = User.__table__  # type: ignore[attr-defined]
        return (await conn.execute(select(users.c.id).where(users.c.email.in_(demo_emails())))).first() is not None


async def _run(settings: Settings, *, force: bool, weeks: int) -> int:
    engine = create_engine(settings.database_url)
    try:
        others = await _others(engine)
        if others and not force:
            print(
                f"duologue demo: this database already holds {others} other account{'s' if others != 1 else ''}, "
                "so it looks like a real one; the demo was not added. Point DUOLOGUE_DATA_DIR (or DATABASE_URL) "
                "at a fresh database, or run `duologue demo --force` to add the demo people anyway.",
                file=sys.stderr,
            )
            return 2
        password = new_password()
        hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        password_hash = hasher.hash(password)
        if await _demo_present(engine):
            async with engine.begin() as conn:
                users = User.__table__  # type: ignore[attr-defined]
                await conn.execute(
                    update(users).where(users.c.email.in_(demo_emails())).values(password_hash=password_hash)
                )
            print("The demo people are already here; their history is as it was. They have a new password.")
        else:
            seeded = await seed_history(engine, password_hash=password_hash, weeks=weeks)
            print(
                f"Added the demo: Sam and Alex, a couple, and their facilitator Dr Lee, with {weeks} weeks of "
                f"practice ({seeded.sessions} sessions, {seeded.self_checks} self-checks)."
            )
    finally:
        await engine.dispose()
    print(
        "\nStart the app with `duologue serve` and sign in as one of:\n"
        f"  sam@{DEMO_DOMAIN}   (shares progress with Dr Lee)\n"
        f"  alex@{DEMO_DOMAIN}\n"
        f"  lee@{DEMO_DOMAIN}   (the facilitator)\n"
        f"Password for all three: {password}"
    )
    return 0


def run_demo(settings: Settings, *, force: bool, weeks: int) -> int:
    if not WEEKS_MIN <= weeks <= WEEKS_MAX:
        print(f"duologue demo: --weeks takes {WEEKS_MIN} to {WEEKS_MAX} weeks; {weeks} is outside.", file=sys.stderr)
        return 2
    from server import migrate

    migrate.upgrade(settings.database_url)
    return asyncio.run(_run(settings, force=force, weeks=weeks))
