"""Personal API tokens: the table (issue 19). Only the token's SHA-256 is stored; the token is shown once."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from records.models import utcnow
from records.text import CleanText

TOKEN_NAME_LENGTH = 100


class ApiToken(SQLModel, table=True):
    """A user's token for the read-only HTTP API; it acts with its user's rights as they are at each request."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(sa_type=CleanText(TOKEN_NAME_LENGTH), max_length=TOKEN_NAME_LENGTH)
    token_hash: str = Field(sa_type=CleanText(64), max_length=64, unique=True, index=True)
    prefix: str = Field(sa_type=CleanText(12), max_length=12, description="the token's first characters, to tell it")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, sa_type=CleanText(100), max_length=100)
