"""My progress goes with me in my export, and is erased with my account; my partner's stays theirs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rooms.models import SessionMeasures
from server.models import (
    ProgressFacilitatorShare,
    ProgressPartnerShare,
    RecordedScore,
    SelfCheckRecord,
    SelfCheckSkip,
    SoloPractice,
)
from server.progress.form import selfcheck_form
from tests.helpers import DEFAULT_PASSWORD
from tests.progress.cast import daily_run, make_cast, store

ANSWERS = {item.id: 5 for item in selfcheck_form().items_in_order()}


async def test_my_export_holds_my_progress_and_none_of_my_partners(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await make_cast(new_browser)
    await store(db, c, daily_run())  # never looked at: the export still counts it
    await c.alex.post("/api/progress/self-check", json={"answers": ANSWERS})
    await c.sam.post("/api/progress/self-check", json={"answers": {**ANSWERS, "w1": 1}})
    await c.alex.request("PUT", "/api/progress/sharing/partner", json={"shared": True})
    await c.alex.request("PUT", f"/api/progress/sharing/facilitators/{c.fran_id}", json={"shared": True})
    score = {
        "user_id": c.alex_id,
        "instrument": "ECR-R",
        "subscale": "Avoidance",
        "value": 2.5,
        "scale_min": 1,
        "scale_max": 7,
        "administered_on": date.today().isoformat(),
    }
    assert (await c.fran.post(f"/api/facilitator/couples/{c.couple_id}/scores", json=score)).status_code == 201

    progress = (await c.alex.get("/api/me/export")).json()["progress"]
    assert [s["answers"] for s in progress["self_checks"]] == [ANSWERS]
    assert len(progress["session_measures"]) == 1
    measures = progress["session_measures"][0]
    assert (measures["self_disclosure"], measures["connected_start"], measures["connected_end"]) == (1, 4, 6)
    assert progress["sharing"]["with_partner"][0]["shared"] is True
    assert progress["sharing"]["with_facilitators"] == [
        {"facilitator": "Fran", "shared": True, "updated_at": progress["sharing"]["with_facilitators"][0]["updated_at"]}
    ]
    assert progress["scores_recorded_about_me"][0]["instrument"] == "ECR-R"
    assert progress["scores_recorded_about_me"][0]["recorded_by"] == "Fran"

    sams = (await c.sam.get("/api/me/export")).json()["progress"]
    assert [s["answers"]["w1"] for s in sams["self_checks"]] == [1]  # only Sam's own
    assert sams["scores_recorded_about_me"] == [] and sams["sharing"]["with_partner"] == []


async def test_deleting_my_account_erases_my_progress_and_leaves_my_partners(
    new_browser: Callable[[], Any], db: AsyncSession
) -> None:
    c = await make_cast(new_browser)
    await store(db, c, daily_run())
    assert (await c.alex.get("/api/progress")).status_code == 200  # rollups written for both
    await store(db, c, daily_run())  # a second session nobody has looked at yet
    await c.alex.post("/api/progress/self-check", json={"answers": ANSWERS})
    await c.alex.post("/api/progress/self-check/skip")
    await c.alex.request("PUT", "/api/progress/sharing/partner", json={"shared": True})
    await c.alex.request("PUT", f"/api/progress/sharing/facilitators/{c.fran_id}", json={"shared": True})
    await c.sam.request("PUT", f"/api/progress/sharing/facilitators/{c.fran_id}", json={"shared": True})
    score = {
        "user_id": c.alex_id,
        "instrument": "DERS",
        "subscale": "Total",
        "value": 80,
        "scale_min": 36,
        "scale_max": 180,
        "administered_on": date.today().isoformat(),
    }
    assert (await c.fran.post(f"/api/facilitator/couples/{c.couple_id}/scores", json=score)).status_code == 201

    db.add(SoloPractice(user_id=uuid.UUID(c.alex_id), kind="breathing", started_at=datetime.now(UTC)))
    await db.commit()

    assert (await c.alex.post("/api/me/delete", json={"password": DEFAULT_PASSWORD})).status_code == 204

    sam_progress = (await c.sam.get("/api/progress?weeks=4")).json()  # fills in the second session, for Sam only
    attended = {m["key"]: m for m in sam_progress["measures"]}["sessions_attended"]["values"]
    assert attended[-1] == 2
    alex, sam = uuid.UUID(c.alex_id), uuid.UUID(c.sam_id)
    for table, column in (
        (SelfCheckRecord, SelfCheckRecord.user_id),
        (SelfCheckSkip, SelfCheckSkip.user_id),
        (SessionMeasures, SessionMeasures.user_id),
        (ProgressPartnerShare, ProgressPartnerShare.user_id),
        (ProgressFacilitatorShare, ProgressFacilitatorShare.user_id),
        (RecordedScore, RecordedScore.user_id),
        (SoloPractice, SoloPractice.user_id),
    ):
        rows = (await db.exec(select(table).where(col(column) == alex))).all()  # type: ignore[call-overload]
        assert rows == [], table.__name__
    sams = (await db.exec(select(SessionMeasures).where(SessionMeasures.user_id == sam))).all()
    assert len(sams) == 2
