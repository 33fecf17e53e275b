"""The sampling plan's tables (issue 17): the plan's versions (append-only), the sites visited, per-site findings."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Limit


class SamplingPlanVersion(SQLModel, table=True):
    """One version of an engagement's sampling plan; a change appends the next version with who and why (the
    database refuses to change or delete a version). `sites`: [{"site_id", "how" (SiteSelection), "reason"}], the
    headquarters first. `outlets` is the number of active outlets the size was computed from."""

    __table_args__ = (sa.UniqueConstraint("engagement_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    version: int
    outlets: int
    size: int
    random_count: int
    seed: int
    auditor_days: str = Field(sa_type=CleanText(20), max_length=20, description="exact number, e.g. 2.5")
    sites: list = Field(sa_column=Column(JSON, nullable=False))
    reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class SiteVisit(SQLModel, table=True):
    """A site visited on a day by a member of the team; withdrawn visits stay, marked with who and why."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    site_id: int = Field(foreign_key="site.id")
    visited_on: date
    visited_by: str = Field(sa_type=CleanText(100), max_length=100, description="a team member's name")
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
    withdrawn_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = Field(sa_type=CleanText(Limit.SHORT), default=None, max_length=Limit.SHORT)


class SiteFinding(SQLModel, table=True):
    """What the team found for a clause at one site; withdrawn findings stay, marked with who and why."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    site_id: int = Field(foreign_key="site.id")
    text: str = Field(sa_type=CleanText(Limit.TEXT), min_length=1, max_length=Limit.TEXT)
    against: bool = Field(default=False, description="finds against the company (a nonconforming observation)")
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
    withdrawn_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = Field(sa_type=CleanText(Limit.SHORT), default=None, max_length=Limit.SHORT)
