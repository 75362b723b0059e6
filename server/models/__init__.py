"""Table and API models. Importing this package registers every table on SQLModel.metadata."""

from rooms.models import PracticeSession, SessionEvent, SessionSummary
from server.models.couples import Couple, CoupleMember, Invite
from server.models.users import User

__all__ = ["Couple", "CoupleMember", "Invite", "PracticeSession", "SessionEvent", "SessionSummary", "User"]
