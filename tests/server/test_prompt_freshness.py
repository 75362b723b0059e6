"""A couple's next session draws prompts they have not seen in the last 90 days (history on the server)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.journal import state_of
from rooms.models import PracticeSession
from rooms.timestamps import utcnow
from tests.helpers import Browser


async def couple(new_browser: Callable[[], Any]) -> tuple[Browser, Browser]:
    alex, sam = await new_browser(), await new_browser()
    await alex.sign_up(display_name="Alex")
    await sam.sign_up(display_name="Sam")
    code = (await alex.post("/api/invites")).json()["code"]
    await sam.post(f"/api/invites/{code}/accept")
    return alex, sam


async def _session(db: AsyncSession, session_id: str) -> PracticeSession:
    row = await db.get(PracticeSession, uuid.UUID(session_id))
    assert row is not None
    await db.refresh(row)
    return row


async def _close(db: AsyncSession, row: PracticeSession, days_ago: int = 0) -> None:
    row.status = "ended"
    row.created_at = utcnow() - timedelta(days=days_ago)
    db.add(row)
    await db.commit()


async def test_each_new_session_draws_prompts_the_couple_has_not_seen(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    alex, sam = await couple(new_browser)
    seen: list[str] = []
    for n in range(4):
        created = await (alex if n % 2 else sam).post("/api/sessions", json={"plan_id": "daily"})
        assert created.status_code == 201, created.text
        row = await _session(db, created.json()["id"])
        drawn = state_of(row).prompts
        assert set(drawn) == {"1.share"}  # the daily plan's small-truth starter
        seen.append(drawn["1.share"].id)
        await _close(db, row)
    assert len(set(seen)) == 4


async def test_a_prompt_seen_more_than_90_days_ago_may_come_back_but_not_a_recent_one(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    alex, _ = await couple(new_browser)
    first = await _session(db, (await alex.post("/api/sessions", json={"plan_id": "daily"})).json()["id"])
    first_prompt = state_of(first).prompts["1.share"].id
    await _close(db, first, days_ago=91)  # long ago: fresh again, and first in this couple's order
    again = await _session(db, (await alex.post("/api/sessions", json={"plan_id": "daily"})).json()["id"])
    assert state_of(again).prompts["1.share"].id == first_prompt
    await _close(db, again, days_ago=10)
    third = await _session(db, (await alex.post("/api/sessions", json={"plan_id": "daily"})).json()["id"])
    assert state_of(third).prompts["1.share"].id != first_prompt
