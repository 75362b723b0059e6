"""When facilitation ends, progress sharing with that facilitator ends with it (a new link starts "off").

Its own module so server/facilitation can call it without importing the whole progress service.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.models import ProgressFacilitatorShare
from server.models.timestamps import utcnow


async def stop_sharing_progress(db: AsyncSession, *, facilitator_id: uuid.UUID, user_ids: Sequence[uuid.UUID]) -> None:
    """Switch these partners' sharing with this facilitator off. The caller commits."""
    rows = await db.exec(
        select(ProgressFacilitatorShare).where(
            ProgressFacilitatorShare.facilitator_id == facilitator_id,
            col(ProgressFacilitatorShare.user_id).in_(list(user_ids)),
        )
    )
    now = utcnow()
    for row in rows.all():
        row.shared, row.updated_at = False, now
        db.add(row)
