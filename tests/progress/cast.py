"""The people of the progress tests: a couple, their facilitators, and everyone who must not see."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from exercises import choose_first_speaker
from tests.exercises.exercise_helpers import ANA, BEN, FAY, Run, catalogue
from tests.helpers import Browser
from tests.progress import history
from tests.server.test_facilitation import person

SECRET = "MY-PRIVATE-WORDS-NEVER-SHOWN"


@dataclass
class Cast:
    alex: Browser
    sam: Browser
    fran: Browser  # linked facilitator
    gale: Browser  # another linked facilitator
    hal: Browser  # a facilitator not linked with this couple
    stranger: Browser
    signed_out: Browser
    alex_id: str = ""
    sam_id: str = ""
    fran_id: str = ""
    gale_id: str = ""
    couple_id: str = ""


async def link(facilitator: Browser, first: Browser, second: Browser) -> None:
    invite = (await facilitator.post("/api/facilitator/invites")).json()
    link_id = (await first.post(f"/api/facilitator-invites/{invite['code']}/accept")).json()
    link = next(x for x in link_id if x["status"] == "awaiting_confirmation")
    assert (await second.post(f"/api/facilitators/{link['id']}/confirm")).status_code == 204


async def make_cast(new_browser: Callable[[], Any]) -> Cast:
    c = Cast(
        alex=await person(new_browser, "Alex"),
        sam=await person(new_browser, "Sam"),
        fran=await person(new_browser, "Fran", facilitator=True),
        gale=await person(new_browser, "Gale", facilitator=True),
        hal=await person(new_browser, "Hal", facilitator=True),
        stranger=await person(new_browser, "Kim"),
        signed_out=await new_browser(),
    )
    code = (await c.alex.post("/api/invites")).json()["code"]
    assert (await c.sam.post(f"/api/invites/{code}/accept")).status_code in (200, 201)
    c.couple_id = (await c.alex.get("/api/couple")).json()["id"]
    await link(c.fran, c.alex, c.sam)
    await link(c.gale, c.sam, c.alex)
    for name in ("alex", "sam", "fran", "gale"):
        setattr(c, f"{name}_id", (await getattr(c, name).get("/api/me")).json()["id"])
    return c


def daily_run() -> Run:
    """Ana (Alex): 1 small truth, reflections 1 of 2 landed; connected 4 -> 6, calm 3 -> 5."""
    run = Run(catalogue().plans["daily"])
    run.submit(ANA, 4), run.submit(BEN, 5), run.submit(ANA, 3), run.submit(BEN, 4)
    for speaker, listener, landings in ((ANA, BEN, ("not_quite", "yes")), (BEN, ANA, ("mostly",))):
        run.submit(speaker, "tenderness")
        run.submit(speaker, "I felt tender when you made tea.")
        for i, landed in enumerate(landings):
            if i:
                run.submit(speaker, "It was that you remembered.")
            run.submit(listener, "You felt tender about the tea.")
            run.submit(speaker, landed)
    run.submit(ANA, 6), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 4)
    return run


def facilitated_run(private: str = SECRET) -> Run:
    """A deeper session run by a facilitator, with private reflections."""
    plan = catalogue().plans["deeper"]
    run = Run(plan, first=choose_first_speaker(plan, (ANA, BEN), coin=0), facilitator=FAY)
    run.submit(ANA, 4), run.submit(BEN, 4), run.submit(ANA, 4), run.submit(BEN, 4)
    run.submit(ANA, "Ana's answer."), run.submit(BEN, "Ben's answer.")
    run.submit(ANA, "I noticed..."), run.submit(BEN, "I noticed...")
    for speaker, listener in ((ANA, BEN), (BEN, ANA)):
        run.submit(speaker, "A piece of my week.")
        run.submit(listener, "If I got it... Did I get it?")
        run.submit(speaker, "yes")
        run.submit(speaker, "no")
        run.submit(listener, "Sum up.")
        run.submit(listener, "You make sense because...")
        run.submit(listener, "I imagine you might feel...")
        run.submit(speaker, 5)
    run.submit(ANA, private), run.submit(BEN, private + " (his)")
    run.submit(ANA, 5), run.submit(BEN, 5), run.submit(ANA, 5), run.submit(BEN, 5)
    assert run.state.end_reason == "completed"
    return run


def recently() -> datetime:
    """A moment inside this ISO week whatever the day: early today (UTC), or just now on a Monday."""
    now = datetime.now(UTC)
    today = now.replace(hour=0, minute=1, second=0, microsecond=0)
    return today if now - today > timedelta(minutes=1) else now


async def store(
    db: AsyncSession, c: Cast, run: Run, *, facilitator: str | None = None, at: datetime | None = None
) -> uuid.UUID:
    conn = await db.connection()
    session_id = await history.store_run(
        conn,
        run,
        couple_id=uuid.UUID(c.couple_id),
        ana=uuid.UUID(c.alex_id),
        ben=uuid.UUID(c.sam_id),
        fay=uuid.UUID(facilitator) if facilitator else None,
        started_at=at or recently(),
    )
    await db.commit()
    return session_id
