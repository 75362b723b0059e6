"""Accounts, layered as base → create / public → table."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, EmailStr
from sqlalchemy import false
from sqlmodel import Field, SQLModel
from zxcvbn import zxcvbn

from server.models.timestamps import UTCDateTime, utcnow

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 254
DISPLAY_NAME_MAX_LENGTH = 60


def normalise_email(value: str) -> str:
    """NFKC-normalised, trimmed and case-folded: "Sam@Example.org ", "sam@example.org" and the same address
    typed with full-width letters are one account, so a look-alike cannot pass for someone else."""
    if not isinstance(value, str):
        return value  # the type check that follows names the problem
    return unicodedata.normalize("NFKC", value).strip().casefold()


# Characters that reorder or hide text: a name must read on screen exactly as it is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def plain_characters(value: str) -> str:
    """Refuse control and direction characters (NUL among them, which PostgreSQL cannot store in text)."""
    if any(unicodedata.category(ch) == "Cc" for ch in value) or any(ch in _BIDI_CONTROLS for ch in value):
        raise ValueError("Please use letters, numbers and ordinary punctuation (no control or direction characters).")
    return value


def _display_name(value: str) -> str:
    value = plain_characters(" ".join(unicodedata.normalize("NFC", value).split()))
    visible = [ch for ch in value if unicodedata.category(ch) not in ("Cf", "Zs", "Mn", "Me")]
    if not visible:
        raise ValueError("Please tell us what to call you.")
    return value


def _password(value: str) -> str:
    if not PASSWORD_MIN_LENGTH <= len(value) <= PASSWORD_MAX_LENGTH:
        raise ValueError(
            f"Passwords need at least {PASSWORD_MIN_LENGTH} characters (and at most {PASSWORD_MAX_LENGTH:,}); "
            f"this one has {len(value):,}. A short sentence is easy to remember and hard to guess."
        )
    weakness = password_weakness(value)
    if weakness:
        raise ValueError(weakness)
    return value


def password_weakness(value: str) -> str | None:
    """A kind sentence when the password is among the first few thousand anyone would try, else None.

    zxcvbn (Dropbox's estimator) knows common passwords, words, keyboard walks, repeats and dates;
    a score under 2 means it would fall to an online guesser quickly. No composition rules."""
    result = zxcvbn(value[:72])
    if result["score"] >= 2:
        return None
    warning = result["feedback"]["warning"] or "This password would be easy to guess."
    return f"{warning} Try a short sentence of a few unrelated words: it is easy to remember and hard to guess."


DisplayName = Annotated[str, Field(min_length=1, max_length=DISPLAY_NAME_MAX_LENGTH), AfterValidator(_display_name)]
Email = Annotated[
    EmailStr, Field(max_length=EMAIL_MAX_LENGTH), BeforeValidator(normalise_email), AfterValidator(normalise_email)
]
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


class PasswordChange(SQLModel):
    current_password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]
    new_password: Password


class PasswordConfirmation(SQLModel):
    password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]


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
    # Raised by "sign out everywhere" and a password change: every sign-in made under an older number ends.
    sign_in_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Set when the person deleted their account: the row stays only so that their partner's history
    # still points somewhere; everything personal in it is gone.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
