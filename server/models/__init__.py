"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from rooms.models import PracticeSession, SessionEvent, SessionMeasures, SessionRollupFailure, SessionSummary
from server.models.between import KitItem, Ritual
from server.models.couples import Couple, CoupleMember, Invite
from server.models.facilitation import FacilitatorLink, FacilitatorNote, SavedPlan, SummaryConsent
from server.models.journal import JournalEntry, JournalShare, Noticing
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
    "JournalEntry",
    "JournalShare",
    "KitItem",
    "Noticing",
    "PracticeSession",
    "ProgressFacilitatorShare",
    "ProgressPartnerShare",
    "RecordedScore",
    "Ritual",
    "SavedPlan",
    "SelfCheckRecord",
    "SelfCheckSkip",
    "SessionEvent",
    "SessionMeasures",
    "SessionRollupFailure",
    "SessionSummary",
    "SoloPractice",
    "SummaryConsent",
    "User",
]
