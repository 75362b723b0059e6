"""Solo practices (breathing alone, grounding): started and completed through the server, then logged.

The server hands out a start token (signed with the app's secret, bound to the person, the practice and
the start time) and logs a completion only once enough of the practice's length has passed, so a tap
cannot log a practice that was not done. Each start is logged at most once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime

import msgspec
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from exercises.between_sessions import SOLO_KINDS, START_VALID_SECONDS, SoloKind, shortest_completion, solo_duration
from server.between.access import author_id
from server.between.definitions import breathing, grounding
from server.between.shapes import SoloPracticeInfo, SoloPracticePublic, SoloStart
from server.errors import ApiError
from server.models import SoloPractice, User
from server.models.timestamps import utcnow

RECENT = 20
_MILLIS = re.compile(r"[0-9]{1,15}")  # ASCII only: str.isdigit() also accepts '²'


def clock() -> datetime:
    """Now, in UTC (tests move it forward instead of waiting minutes)."""
    return utcnow()


def _duration(kind: SoloKind) -> int:
    return solo_duration(kind, breathing=breathing(), grounding=grounding())


def practice_info(kind: str) -> SoloPracticeInfo:
    if kind == "breathing":
        guide = breathing()
        return SoloPracticeInfo(
            kind="breathing",
            title="Breathe slowly",
            description=f"{guide.cycles} slow breaths: in for {guide.inhale_seconds} seconds, out for "
            f"{guide.exhale_seconds}. The same guide you follow together, here just for you.",
            duration_seconds=guide.duration,
            definition=msgspec.to_builtins(guide),
        )
    if kind == "grounding":
        g = grounding()
        return SoloPracticeInfo(
            kind="grounding",
            title=g.title,
            description=g.description,
            duration_seconds=g.duration,
            definition={"steps": msgspec.to_builtins(g.steps)},
        )
    raise ApiError(404, "unknown_practice", f"There is no solo practice called {kind!r}. Try: {', '.join(SOLO_KINDS)}.")


def _signature(secret: str, user: User, kind: str, started_ms: int) -> str:
    message = f"{author_id(user)}|{kind}|{started_ms}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def start(*, user: User, kind: str, secret: str) -> SoloStart:
    info = practice_info(kind)
    now = clock()
    started_ms = int(now.timestamp() * 1000)
    token = f"{kind}.{started_ms}.{_signature(secret, user, kind, started_ms)}"
    return SoloStart(**info.model_dump(), started_at=now, token=token)


def _read_token(token: str, *, user: User, secret: str) -> tuple[SoloKind, datetime]:
    bad = ApiError(400, "bad_token", "That practice wasn't started here. Start it again when you're ready.")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] not in SOLO_KINDS or not _MILLIS.fullmatch(parts[1]):
        raise bad
    kind, started_ms = parts[0], int(parts[1])
    if not hmac.compare_digest(parts[2], _signature(secret, user, kind, started_ms)):
        raise bad
    return kind, datetime.fromtimestamp(started_ms / 1000, UTC)  # type: ignore[return-value]


async def complete(db: AsyncSession, *, user: User, token: str, secret: str) -> SoloPracticePublic:
    kind, started_at = _read_token(token, user=user, secret=secret)
    now = clock()
    elapsed = (now - started_at).total_seconds()
    duration = _duration(kind)
    if elapsed < shortest_completion(duration):
        minutes = max(1, round(duration / 60))
        length = f"about {minutes} minute{'s' if minutes != 1 else ''}"
        raise ApiError(
            409,
            "not_yet",
            f"The timing didn't quite add up (this practice takes {length}), "
            "so it wasn't noted this time. Nothing is wrong: the practice is yours either way.",
        )
    if elapsed > START_VALID_SECONDS:
        raise ApiError(409, "start_expired", "That was started a long time ago. Start it again whenever you like.")
    already = ApiError(409, "already_logged", "This practice is already noted.")
    seen = await db.exec(
        select(SoloPractice).where(
            SoloPractice.user_id == author_id(user),
            SoloPractice.kind == kind,
            SoloPractice.started_at == started_at,
        )
    )
    if seen.first() is not None:
        raise already
    # One person does one practice at a time: a stretch already noted is not noted again through
    # another start (five starts and one wait would otherwise count five).
    overlapping = await db.exec(
        select(SoloPractice.id).where(
            SoloPractice.user_id == author_id(user),
            col(SoloPractice.started_at) < now,
            col(SoloPractice.completed_at) > started_at,
        )
    )
    if overlapping.first() is not None:
        raise ApiError(
            409,
            "overlaps_logged",
            "A practice during this same time is already noted, so this one isn't counted again. "
            "That's fine: the time you spent is yours either way.",
        )
    row = SoloPractice(user_id=author_id(user), kind=kind, started_at=started_at, completed_at=now)
    db.add(row)
    try:
        await db.commit()
    except IntegrityError as exc:  # the same start completed twice at once: the other one was noted
        await db.rollback()
        raise already from exc
    return _public(row)


def _public(row: SoloPractice) -> SoloPracticePublic:
    return SoloPracticePublic(id=row.id, kind=row.kind, started_at=row.started_at, completed_at=row.completed_at)


async def my_recent(db: AsyncSession, *, user: User) -> list[SoloPracticePublic]:
    rows = await db.exec(
        select(SoloPractice)
        .where(SoloPractice.user_id == author_id(user))
        .order_by(col(SoloPractice.completed_at).desc())
        .limit(RECENT)
    )
    return [_public(r) for r in rows.all()]


def all_practices() -> list[SoloPracticeInfo]:
    return [practice_info(kind) for kind in SOLO_KINDS]
