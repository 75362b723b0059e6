"""API shapes for facilitation."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from sqlmodel import Field, SQLModel

NoteText = Annotated[str, Field(min_length=1, max_length=4000)]


class FacilitatorInvitePublic(SQLModel):
    code: str
    link: str
    expires_at: datetime


class FacilitatorInvitePreview(SQLModel):
    facilitator_display_name: str
    status: str = Field(description="pending, awaiting_confirmation, linked, unlinked or expired")
    expires_at: datetime


class FacilitatorLinkPublic(SQLModel):
    """A link as a partner sees it."""

    id: uuid.UUID
    facilitator_display_name: str
    status: str = Field(description="awaiting_confirmation or linked")
    accepted_by_me: bool
    can_confirm: bool
    share_my_summaries: bool


class ConsentUpdate(SQLModel):
    share_summaries: bool


class PartnerBrief(SQLModel):
    id: uuid.UUID
    display_name: str


class SessionBrief(SQLModel):
    id: uuid.UUID
    plan_title: str
    status: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None


class FacilitatedCouple(SQLModel):
    couple_id: uuid.UUID
    link_id: uuid.UUID
    partners: list[PartnerBrief]
    upcoming: list[SessionBrief]
    live: list[SessionBrief]
    past: list[SessionBrief]


class PlanItem(SQLModel):
    exercise: str = Field(min_length=1, max_length=64)
    rounds: int | None = Field(default=None, ge=1, le=20)
    time_limits: dict[str, int] = Field(default_factory=dict)


class PlanCompose(SQLModel):
    title: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=300)
    exercises: list[PlanItem] = Field(min_length=1, max_length=20)


class SavedPlanPublic(SQLModel):
    id: uuid.UUID
    title: str
    spec: dict[str, Any]
    estimated_minutes: int
    created_at: datetime


class FacilitatedSessionCreate(SQLModel):
    plan: PlanCompose | None = Field(default=None, description="a plan composed now")
    saved_plan_id: uuid.UUID | None = Field(default=None, description="or one of my saved plans")
    plan_id: str | None = Field(default=None, description="or a built-in plan: daily, deeper")
    first_speaker: str = Field(default="random", description="random, or one partner's id")


class NoteCreate(SQLModel):
    text: NoteText


class NotePublic(SQLModel):
    id: uuid.UUID
    text: str
    created_at: datetime


class SessionRecord(SQLModel):
    """The facilitator's own record: what they saw (shared content, pacing) and their notes."""

    session: SessionBrief
    timeline: list[dict[str, Any]]
    notes: list[NotePublic]


class SharedSummary(SQLModel):
    partner: PartnerBrief
    session_id: uuid.UUID
    plan_title: str
    markdown: str
    content: dict[str, Any] = Field(
        default_factory=dict, description="the same summary as data (never with private reflections), to render"
    )
