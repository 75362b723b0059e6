"""Account data functions: small, keyword-only, and free of HTTP."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.accounts.passwords import PasswordService
from server.errors import ApiError
from server.models import User
from server.models.users import UserCreate, UserUpdate, normalise_email


async def get_user_by_email(db: AsyncSession, *, email: str) -> User | None:
    result = await db.exec(select(User).where(User.email == normalise_email(email)))
    return result.first()


async def create_user(db: AsyncSession, *, data: UserCreate, passwords: PasswordService) -> User:
    if await get_user_by_email(db, email=data.email):
        raise _email_taken()
    user = User(
        email=data.email,
        display_name=data.display_name,
        password_hash=await passwords.hash(data.password),
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
    user = await get_user_by_email(db, email=email)
    if not await passwords.verify(user.password_hash if user else None, password):
        return None
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash(password)
        db.add(user)
        await db.commit()
    return user


async def update_user(db: AsyncSession, *, user: User, changes: UserUpdate) -> User:
    for name, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, name, value)
    db.add(user)
    await db.commit()
    return user


def _email_taken() -> ApiError:
    return ApiError(409, "email_taken", "An account with this email already exists. Try signing in instead.")
