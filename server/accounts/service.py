"""Account data functions: small, keyword-only, and free of HTTP.

Password hashing never holds a database connection: every function here ends its transaction
(returning the connection to the pool) before it asks the hashing pool for anything.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts.passwords import PasswordService
from server.errors import ApiError
from server.models import User
from server.models.users import UserCreate, UserUpdate, normalise_email


async def get_user_by_email(db: AsyncSession, *, email: str) -> User | None:
    result = await db.exec(select(User).where(User.email == normalise_email(email), col(User.deleted_at).is_(None)))
    return result.first()


async def release(db: AsyncSession) -> None:
    """End the read transaction so its pooled connection is free while we hash (~0.2 s)."""
    await db.commit()


async def create_user(db: AsyncSession, *, data: UserCreate, passwords: PasswordService) -> User:
    passwords.reserve()
    if await get_user_by_email(db, email=data.email):
        raise _email_taken()
    await release(db)
    password_hash = await passwords.hash(data.password)
    user = User(
        email=data.email,
        display_name=data.display_name,
        password_hash=password_hash,
        is_facilitator=data.is_facilitator,
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:  # two sign-ups with one email at the same moment
        await db.rollback()
        raise _email_taken() from exc
    return user


async def authenticate(db: AsyncSession, *, email: str, password: str, passwords: PasswordService) -> User | None:
    passwords.reserve()
    user = await get_user_by_email(db, email=email)
    await release(db)
    if not await passwords.verify(user.password_hash if user else None, password):
        return None
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash(password)
        db.add(user)
        await db.commit()
    return user


async def check_password(db: AsyncSession, *, user: User, password: str, passwords: PasswordService) -> None:
    """For changes that need the current password: 403 when it does not match."""
    passwords.reserve()
    fresh = await db.get(User, user.id)
    await release(db)
    if fresh is None or not await passwords.verify(fresh.password_hash, password):
        raise ApiError(403, "wrong_password", "That is not your current password.")


async def change_password(db: AsyncSession, *, user: User, current: str, new: str, passwords: PasswordService) -> User:
    await check_password(db, user=user, password=current, passwords=passwords)
    new_hash = await passwords.hash(new)
    fresh = await db.get(User, user.id, with_for_update=True)
    assert fresh is not None
    fresh.password_hash = new_hash
    fresh.sign_in_generation += 1  # every other sign-in ends with the old password
    db.add(fresh)
    await db.commit()
    return fresh


async def update_user(db: AsyncSession, *, user: User, changes: UserUpdate) -> User:
    for name, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, name, value)
    db.add(user)
    await db.commit()
    return user


def _email_taken() -> ApiError:
    return ApiError(409, "email_taken", "An account with this email already exists. Try signing in instead.")
