"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from rooms.models import PracticeSession, SessionEvent, SessionMeasures, SessionSummary
from server.models.couples import Couple, CoupleMember, Invite
from server.models.facilitation import FacilitatorLink, FacilitatorNote, SavedPlan, SummaryConsent
from server.models.practice_log import SoloPractice
from server.models.progress import (
    ProgressFacilitatorShare,
    ProgressPartnerShare,
    RecordedScore,
    SelfCheckRecord,
    SelfCheckSkip,
)
from server.models.users import User

__all__ = [
    "Couple",
    "CoupleMember",
    "FacilitatorLink",
    "FacilitatorNote",
    "Invite",
    "PracticeSession",
    "ProgressFacilitatorShare",
    "ProgressPartnerShare",
    "RecordedScore",
    "SavedPlan",
    "SelfCheckRecord",
    "SelfCheckSkip",
    "SessionEvent",
    "SessionMeasures",
    "SessionSummary",
    "SoloPractice",
    "SummaryConsent",
    "User",
]
