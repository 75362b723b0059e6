"""Gather a couple's prompt history and draw fresh prompts for their next session.

The choice itself is pure (``exercises.prompts.choose_prompts``); this module only reads which prompts
the couple's earlier sessions drew, and when. The prompts live in each session's stored state, so no
table of their own is needed, and deleting a session forgets its prompts too.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.plans import Plan, prompt_slots
from exercises.prompts import FRESH_DAYS, DrawnPrompt, UsedPrompt, choose_prompts
from rooms.catalogue import builtin_catalogue
from rooms.models import PracticeSession
from rooms.timestamps import utcnow


class _DrawnOnly(msgspec.Struct):
    """The one field of a stored session state we need (msgspec skips the rest without building it)."""

    prompts: dict[str, DrawnPrompt] = {}


_decoder = msgspec.json.Decoder(_DrawnOnly)


async def used_prompts(db: AsyncSession, *, couple_id: uuid.UUID, since: datetime) -> list[UsedPrompt]:
    rows = await db.exec(
        select(PracticeSession.state, PracticeSession.created_at).where(
            PracticeSession.couple_id == couple_id, col(PracticeSession.created_at) >= since
        )
    )
    used = []
    for state, created_at in rows.all():
        for drawn in _decoder.decode(state).prompts.values():
            used.append(UsedPrompt(pool=drawn.pool, id=drawn.id, on=created_at.date()))
    return used


async def fresh_prompts(db: AsyncSession, *, couple_id: uuid.UUID, plan: Plan) -> dict[str, DrawnPrompt]:
    """The prompts for a new session of ``plan``: none the couple saw in the last 90 days, if the pools allow."""
    slots = prompt_slots(plan)
    if not slots:
        return {}
    now = utcnow()
    used = await used_prompts(db, couple_id=couple_id, since=now - timedelta(days=FRESH_DAYS + 1))
    return choose_prompts(slots, couple_id=str(couple_id), used=used, today=now.date(), pools=builtin_catalogue().pools)
