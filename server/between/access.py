"""Who may read and change what, between sessions: one function per role, used by every endpoint.

- The author: a kit and a log of solo practices belong to one person; every query is scoped to them, so
  someone else's item is simply not found (404), never "forbidden" (which would confirm it exists).
- The couple: a ritual belongs to the couple a person is in now; both partners read and change it,
  nobody else (a facilitator, a former partner, a stranger) ever sees it.
"""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from server.errors import ApiError
from server.models import CoupleMember, User
from server.pairing.service import current_membership


def author_id(user: User) -> uuid.UUID:
    """The only person whose kit and practice log a request may touch: the one who is signed in."""
    return user.id


async def my_couple(db: AsyncSession, user: User) -> CoupleMember:
    """The signed-in person's current couple membership, or a plain 409 when they are not paired."""
    membership = await current_membership(db, user_id=user.id)
    if membership is None:
        raise ApiError(409, "not_paired", "A ritual is for a couple: pair with your partner first.")
    return membership
