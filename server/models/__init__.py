"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from rooms.models import PracticeSession, SessionEvent, SessionSummary
from server.models.between import KitItem, Ritual
from server.models.couples import Couple, CoupleMember, Invite
from server.models.facilitation import FacilitatorLink, FacilitatorNote, SavedPlan, SummaryConsent
from server.models.practice_log import SoloPractice
from server.models.users import User

__all__ = [
    "Couple",
    "CoupleMember",
    "FacilitatorLink",
    "FacilitatorNote",
    "Invite",
    "KitItem",
    "PracticeSession",
    "Ritual",
    "SavedPlan",
    "SessionEvent",
    "SessionSummary",
    "SoloPractice",
    "SummaryConsent",
    "User",
]
