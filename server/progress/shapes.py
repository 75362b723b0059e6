"""API shapes of progress (see docs/progress.md for what each field means)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from sqlmodel import Field, SQLModel

from exercises.weekly import WEEK_CHOICES
from server.models.users import plain_characters

WeekChoices = Annotated[
    list[int],
    Field(default_factory=lambda: list(WEEK_CHOICES), description="The numbers of weeks one may ask for."),
]


class PersonBrief(SQLModel):
    id: uuid.UUID
    display_name: str


class MeasureSeries(SQLModel):
    key: str
    label: str
    group: str = Field(description="self_check, practice or attendance")
    kind: str = Field(description="scale (mean), count (per week), share (0-1) or change (end - start)")
    min: int | float
    max: int | float
    values: list[int | float | None] = Field(description="Aligned with `weeks`; null means nothing that week.")
    summary: str
    about: str


class ScorePoint(SQLModel):
    date: date
    value: float


class ScoreSeries(SQLModel):
    instrument: str
    subscale: str
    min: float
    max: float
    recorded_by: str
    points: list[ScorePoint]


class SelfCheckStatus(SQLModel):
    due: bool
    last_taken_on: date | None
    next_due_on: date | None


class Progress(SQLModel):
    person: PersonBrief
    weeks: list[str] = Field(description='ISO week keys like "2026-W48", oldest first; the last is this week.')
    week_starts: list[date] = Field(description="The Monday of each week.")
    week_choices: WeekChoices
    measures: list[MeasureSeries]
    recorded_scores: list[ScoreSeries]
    self_check: SelfCheckStatus


class PartnerProgress(SQLModel):
    person: PersonBrief
    shared: bool = Field(description="Whether they share their progress with me; if not, only our shared attendance.")
    weeks: list[str]
    week_starts: list[date]
    week_choices: WeekChoices
    measures: list[MeasureSeries]
    recorded_scores: list[ScoreSeries]


class ScaleBounds(SQLModel):
    min: int
    max: int
    low_label: str
    high_label: str


class SelfCheckItem(SQLModel):
    id: str
    text: str


class SelfCheckForm(SQLModel):
    intro: str
    scale: ScaleBounds
    items: list[SelfCheckItem]
    due: bool
    last_taken_on: date | None
    next_due_on: date | None
    skipped_until: date | None


class SelfCheckAnswers(SQLModel):
    answers: dict[str, object] = Field(description="Every item id mapped to a whole number on the scale.")


class SelfCheckTaken(SQLModel):
    taken_on: date
    scores: dict[str, float]
    replaced: bool


class SelfCheckSkipped(SQLModel):
    skipped_until: date


class PartnerSharing(SQLModel):
    display_name: str
    shared: bool


class FacilitatorSharing(SQLModel):
    facilitator_id: uuid.UUID
    display_name: str
    shared: bool


class Sharing(SQLModel):
    partner: PartnerSharing | None
    facilitators: list[FacilitatorSharing]


def _real_boolean(value: object) -> object:
    # Consent is a real JSON true or false: "yes", 1 or "false" are refused rather than guessed at. (A check
    # before validation, because Litestar validates request bodies in lax mode, which overrides Strict().)
    if not isinstance(value, bool):
        raise ValueError("Please answer with true or false.")
    return value


class ShareChoice(SQLModel):
    shared: Annotated[bool, BeforeValidator(_real_boolean)]


class AttendanceWithMe(SQLModel):
    weeks: list[str]
    attended: list[int]
    completed: list[int]
    min: int = Field(description="Axis bounds for a chart of these counts, as for count measures.")
    max: int


class PartnerProgressForFacilitator(SQLModel):
    user_id: uuid.UUID
    display_name: str
    shared: bool
    measures: list[MeasureSeries]
    recorded_scores: list[ScoreSeries]
    attendance_with_me: AttendanceWithMe


class CoupleProgress(SQLModel):
    couple_id: uuid.UUID
    weeks: list[str]
    week_starts: list[date]
    week_choices: WeekChoices
    partners: list[PartnerProgressForFacilitator]


Label = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(plain_characters)]


class ScoreCreate(SQLModel):
    user_id: uuid.UUID
    instrument: Label
    subscale: Label
    value: float
    scale_min: float
    scale_max: float
    administered_on: date


class RecordedScorePublic(SQLModel):
    id: uuid.UUID
    user_id: uuid.UUID
    instrument: str
    subscale: str
    value: float
    scale_min: float
    scale_max: float
    administered_on: date
