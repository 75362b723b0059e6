"""Accounts, layered as base → create / public → table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr
from sqlalchemy import false
from sqlmodel import Field, SQLModel

from server.models.timestamps import UTCDateTime, utcnow

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 254
DISPLAY_NAME_MAX_LENGTH = 60


def normalise_email(value: str) -> str:
    """Trimmed and case-folded, so "Sam@Example.org " and "sam@example.org" are one account."""
    return value.strip().casefold()


def _display_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("Please tell us what to call you.")
    return value


def _password(value: str) -> str:
    if not PASSWORD_MIN_LENGTH <= len(value) <= PASSWORD_MAX_LENGTH:
        raise ValueError(
            f"Passwords need at least {PASSWORD_MIN_LENGTH} characters (and at most {PASSWORD_MAX_LENGTH:,}); "
            f"this one has {len(value):,}. A short sentence is easy to remember and hard to guess."
        )
    return value


DisplayName = Annotated[str, Field(min_length=1, max_length=DISPLAY_NAME_MAX_LENGTH), AfterValidator(_display_name)]
Email = Annotated[EmailStr, Field(max_length=EMAIL_MAX_LENGTH), AfterValidator(normalise_email)]
Password = Annotated[str, AfterValidator(_password)]


class UserBase(SQLModel):
    display_name: str = Field(max_length=DISPLAY_NAME_MAX_LENGTH)


class UserCreate(SQLModel):
    email: Email
    display_name: DisplayName
    password: Password
    is_facilitator: bool = False


class UserUpdate(SQLModel):
    display_name: DisplayName | None = None
    share_email_with_partner: bool | None = None
    is_facilitator: bool | None = None


class UserPublic(UserBase):
    id: uuid.UUID
    email: str
    share_email_with_partner: bool
    is_facilitator: bool
    created_at: datetime


class SignIn(SQLModel):
    email: Annotated[str, Field(min_length=1, max_length=EMAIL_MAX_LENGTH)]
    password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]


class User(UserBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=EMAIL_MAX_LENGTH, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    share_email_with_partner: bool = Field(default=False)
    is_facilitator: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
