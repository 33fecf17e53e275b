"""Account tables: users, consultants' assigned companies, and the append-only audit log."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Role


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=CleanText(50), max_length=50, unique=True, index=True)
    display_name: str = Field(sa_type=CleanText(100), min_length=1, max_length=100)
    role: Role = Field(sa_type=CleanText(20))
    company_id: int | None = Field(default=None, foreign_key="company.id", description="a client user's company")
    email: str = Field(sa_type=CleanText(254), default="", max_length=254, description="where reminders go")
    password_hash: str = Field(sa_type=CleanText(300), default="", max_length=300)
    sso_subject: str | None = Field(sa_type=CleanText(300), default=None, max_length=300, unique=True)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime | None = None


class ConsultantCompany(SQLModel, table=True):
    """A company a consultant is assigned to."""

    __table_args__ = (sa.UniqueConstraint("user_id", "company_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)


class AuditEvent(SQLModel, table=True):
    """Who did what, when; rows are only ever added (the database refuses updates and deletes)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    username: str = Field(sa_type=CleanText(100), max_length=100, index=True)
    action: str = Field(sa_type=CleanText(40), max_length=40, index=True)
    target: str = Field(sa_type=CleanText(200), default="", max_length=200)
    detail: str = Field(sa_type=CleanText(2000), default="", max_length=2000)


class SignInSession(SQLModel, table=True):
    """A browser's sign-in; only the token's SHA-256 is stored, and an idle or ended session is dead."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=CleanText(64), max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    handoff_hash: str | None = Field(default=None, sa_type=CleanText(64), max_length=64, unique=True,
                                     description="a one-time code the browser exchanges for its cookie")
