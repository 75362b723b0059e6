"""Pairing data functions: create, cancel and accept invites; read and leave a couple."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.errors import ApiError
from server.models import Couple, CoupleMember, Invite, User
from server.models.couples import CouplePublic, PartnerPublic
from server.models.timestamps import utcnow
from server.pairing.codes import new_code, normalise_code

MAX_PENDING_INVITES = 5


def invite_status(invite: Invite, now: datetime) -> str:
    if invite.accepted_at is not None:
        return "accepted"
    if invite.cancelled_at is not None:
        return "cancelled"
    if invite.expires_at <= now:
        return "expired"
    return "pending"


async def current_membership(db: AsyncSession, *, user_id: uuid.UUID) -> CoupleMember | None:
    result = await db.exec(
        select(CoupleMember).where(CoupleMember.user_id == user_id, col(CoupleMember.left_at).is_(None))
    )
    return result.first()


async def current_members(db: AsyncSession, *, couple_id: uuid.UUID) -> list[CoupleMember]:
    result = await db.exec(
        select(CoupleMember).where(CoupleMember.couple_id == couple_id, col(CoupleMember.left_at).is_(None))
    )
    return list(result.all())


async def create_invite(db: AsyncSession, *, inviter: User, lifetime: timedelta) -> Invite:
    membership = await current_membership(db, user_id=inviter.id)
    if membership and len(await current_members(db, couple_id=membership.couple_id)) >= 2:
        raise ApiError(
            409, "already_paired", "You are already paired. Leave your current couple to invite someone else."
        )
    now = utcnow()
    pending = [i for i in await list_invites(db, inviter_id=inviter.id) if invite_status(i, now) == "pending"]
    if len(pending) >= MAX_PENDING_INVITES:
        raise ApiError(
            409, "too_many_invites", f"You already have {MAX_PENDING_INVITES} open invites. Cancel one to make another."
        )
    invite = Invite(code=new_code(), inviter_id=inviter.id, created_at=now, expires_at=now + lifetime)
    db.add(invite)
    await db.commit()
    return invite


async def list_invites(db: AsyncSession, *, inviter_id: uuid.UUID) -> list[Invite]:
    result = await db.exec(
        select(Invite).where(Invite.inviter_id == inviter_id).order_by(col(Invite.created_at).desc())
    )
    return list(result.all())


async def find_invite(db: AsyncSession, *, code: str) -> Invite:
    result = await db.exec(select(Invite).where(Invite.code == normalise_code(code)))
    invite = result.first()
    if invite is None:
        raise ApiError(404, "invite_not_found", "We could not find that invite. Please check the code and try again.")
    return invite


async def cancel_invite(db: AsyncSession, *, code: str, user: User) -> Invite:
    invite = await find_invite(db, code=code)
    if invite.inviter_id != user.id:  # someone else's invite is none of your business: same answer as unknown
        raise ApiError(404, "invite_not_found", "We could not find that invite. Please check the code and try again.")
    status = invite_status(invite, utcnow())
    if status == "accepted":
        raise ApiError(409, "invite_used", "This invite has already been accepted, so it can no longer be cancelled.")
    if status == "pending":
        invite.cancelled_at = utcnow()
        db.add(invite)
        await db.commit()
    return invite


async def accept_invite(db: AsyncSession, *, code: str, user: User) -> Couple:
    invite = await find_invite(db, code=code)
    now = utcnow()
    if invite.inviter_id == user.id:
        raise ApiError(403, "own_invite", "This is your own invite. Send the link or code to your partner instead.")
    status = invite_status(invite, now)
    if status == "accepted":
        raise ApiError(409, "invite_used", "This invite has already been used. Ask your partner for a new one.")
    if status == "cancelled":
        raise ApiError(410, "invite_cancelled", "This invite was cancelled. Ask your partner for a new one.")
    if status == "expired":
        raise ApiError(
            410, "invite_expired", "This invite has expired (they last 72 hours). Ask your partner for a new one."
        )
    if await current_membership(db, user_id=user.id):
        raise ApiError(
            409, "already_paired", "You are already paired. Leave your current couple before joining another."
        )

    couple = await _couple_to_join(db, inviter_id=invite.inviter_id, now=now)
    # Claim the invite with a conditional update so two people accepting at once cannot both win.
    claimed = await db.exec(
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.accepted_at).is_(None), col(Invite.cancelled_at).is_(None))
        .values(accepted_at=now, accepted_by_id=user.id)
    )
    if claimed.rowcount != 1:
        await db.rollback()
        raise ApiError(409, "invite_used", "This invite has already been used. Ask your partner for a new one.")
    db.add(CoupleMember(couple_id=couple.id, user_id=user.id, joined_at=now))
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise ApiError(409, "already_paired", "You are already paired. Leave your current couple first.") from exc
    return couple


async def _couple_to_join(db: AsyncSession, *, inviter_id: uuid.UUID, now: datetime) -> Couple:
    membership = await current_membership(db, user_id=inviter_id)
    if membership is None:
        couple = Couple(created_at=now)
        db.add(couple)
        await db.flush()
        db.add(CoupleMember(couple_id=couple.id, user_id=inviter_id, joined_at=now))
        return couple
    if len(await current_members(db, couple_id=membership.couple_id)) >= 2:
        raise ApiError(409, "couple_full", "The person who invited you is already paired with someone else.")
    couple = await db.get(Couple, membership.couple_id)
    assert couple is not None
    return couple


async def couple_view(db: AsyncSession, *, user: User) -> CouplePublic:
    membership = await current_membership(db, user_id=user.id)
    if membership is None:
        raise ApiError(404, "not_paired", "You are not paired yet. Invite your partner to get started.")
    partner = None
    for member in await current_members(db, couple_id=membership.couple_id):
        if member.user_id != user.id:
            other = await db.get(User, member.user_id)
            assert other is not None
            partner = PartnerPublic(
                id=other.id,
                display_name=other.display_name,
                email=other.email if other.share_email_with_partner else None,
            )
    couple = await db.get(Couple, membership.couple_id)
    assert couple is not None
    return CouplePublic(id=couple.id, since=couple.created_at, partner=partner)


async def leave_couple(db: AsyncSession, *, user: User) -> None:
    """Ends the couple for both partners; each keeps their own history."""
    membership = await current_membership(db, user_id=user.id)
    if membership is None:
        raise ApiError(404, "not_paired", "You are not part of a couple right now.")
    now = utcnow()
    for member in await current_members(db, couple_id=membership.couple_id):
        member.left_at = now
        db.add(member)
    couple = await db.get(Couple, membership.couple_id)
    assert couple is not None
    couple.ended_at = now
    db.add(couple)
    await db.commit()
