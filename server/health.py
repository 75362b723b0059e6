"""Liveness that means something: the answer is 200 only when the database answers too."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy import text

from server.openapi import ErrorBody


@get(
    "/healthz",
    opt={"exclude_from_auth": True},
    tags=["operations"],
    summary="Health check (database included)",
    responses={503: ResponseSpec(data_container=ErrorBody, description="The database did not answer.")},
)
async def healthz(state: State) -> dict[str, str]:
    try:
        async with state.db_sessions() as db:
            await db.exec(text("SELECT 1"))
    except Exception as exc:
        raise HTTPException(status_code=503, detail="The database is not answering.") from exc
    return {"status": "ok", "database": "ok"}
