"""API shapes for plans, practice sessions and summaries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Field, SQLModel


class PlanPublic(SQLModel):
    id: str
    title: str
    description: str
    estimated_minutes: int = Field(description="an honest ceiling (every time limit and optional loop): 'up to N'")
    exercises: list[str]


class SessionCreate(SQLModel):
    plan_id: str = Field(
        min_length=1, max_length=64, description="a built-in plan's id, e.g. `daily` (see GET /api/plans)"
    )
    first_speaker: Literal["random", "me", "partner"] = "random"


class SessionPublic(SQLModel):
    id: uuid.UUID
    plan_id: str
    plan_title: str
    status: str = Field(description="lobby, running or ended")
    end_reason: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    started_by_me: bool
    partner_display_name: str | None
    facilitator_display_name: str | None = Field(default=None, description="when a facilitator runs it")
    live_path: str = Field(description="websocket path; add ?since=<last seq seen> when reconnecting")
    summary_available: bool


class SummaryListItem(SQLModel):
    session_id: uuid.UUID
    plan_title: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    minutes: int


class SummaryPublic(SummaryListItem):
    content: dict[str, Any]
    markdown: str
