"""The audit tables: company, site and their history, engagement, team member, clause rating and its history,
special items, the status history, the recommendation and the certification decision, the document review
(read by the start of the on-site evaluation, audits/engagements.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.text import CleanText
from vocabulary import (
    CertificationOutcome,
    ClauseStatus,
    EngagementKind,
    EngagementStatus,
    Limit,
    RecommendationKind,
    ReviewResult,
    SiteKind,
    SpecialKind,
    TeamRole,
)


def utcnow() -> datetime:
    """Aware UTC: SQLModel stores it as UTC on SQLite and PostgreSQL alike and gives it back aware."""
    return datetime.now(UTC)


class CompanyBase(SQLModel):
    name: str = Field(sa_type=CleanText(Limit.NAME), min_length=1, max_length=Limit.NAME)
    credit_code: str = Field(sa_type=CleanText(18), max_length=18, description="统一社会信用代码")
    address: str = Field(sa_type=CleanText(300), default="", max_length=300)
    industry: str = Field(sa_type=CleanText(100), default="", max_length=100)
    scope: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON, description="goods and services in scope")
    contact: str = Field(sa_type=CleanText(Limit.NAME), default="", max_length=Limit.NAME)


class Company(CompanyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    credit_code: str = Field(sa_type=CleanText(18), max_length=18, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()},
                         description="a deactivated company keeps its engagements but gets no new ones")
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, description="counts saved edits")


class SiteBase(SQLModel):
    name: str = Field(sa_type=CleanText(Limit.NAME), min_length=1, max_length=Limit.NAME)
    kind: SiteKind = Field(sa_type=CleanText(20))
    address: str = Field(sa_type=CleanText(300), default="", max_length=300)
    contracted: bool = Field(default=False, description="outlet run by a contracted partner (委托)")


class Site(SiteBase, table=True):
    # an index, not a table constraint: SQLite adds it without rebuilding the table the evidence points at
    __table_args__ = (sa.Index("one_site_name_per_company", "company_id", "name", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()},
                         description="a deactivated site stays on old records but is not offered for new ones")
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"}, description="counts saved edits")


class CompanyChange(SQLModel, table=True):
    """Append-only history of a company and its sites: registration, each edit, deactivation and reactivation,
    with the changed fields' values before and after (`site_id` is empty for the company's own fields)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    site_id: int | None = Field(default=None, foreign_key="site.id")
    before: dict = Field(sa_column=Column(JSON, nullable=False))
    after: dict = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(sa_type=CleanText(100), max_length=100)
    changed_at: datetime = Field(default_factory=utcnow)


class CertificationCycle(SQLModel, table=True):
    """A company's three-year cycle: the initial certification (or recertification) that opened it and the
    engagements that follow it; `Engagement.cycle_id` links them."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    opened_by_engagement_id: int = Field(unique=True, description="the engagement that opened it (no foreign key: "
                                         "the engagement points at its cycle)")
    created_at: datetime = Field(default_factory=utcnow)


class EngagementBase(SQLModel):
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: EngagementKind = Field(sa_type=CleanText(20))
    tree_ref: str = Field(sa_type=CleanText(120), max_length=120, description="indicator tree id@version the clauses belong to")
    title: str = Field(sa_type=CleanText(Limit.NAME), default="", max_length=Limit.NAME)
    start_date: date | None = None
    end_date: date | None = None


class Engagement(EngagementBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    status: EngagementStatus = Field(default=EngagementStatus.PLANNED, sa_type=CleanText(20), index=True)
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"},
                          description="moves in every transaction that changes what the result is computed from")
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    cycle_id: int | None = Field(default=None, foreign_key="certificationcycle.id", index=True,
                                 description="the certification cycle it belongs to (cycle/models.py)")
    previous_id: int | None = Field(default=None, foreign_key="engagement.id",
                                    description="the engagement of the cycle it follows")


class TeamMember(SQLModel, table=True):
    """A member of the engagement's team; `user_id` links an account (a technical expert may have none)."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    name: str = Field(sa_type=CleanText(100), min_length=1, max_length=100)
    role: TeamRole = Field(sa_type=CleanText(30))
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)


class ClauseRating(SQLModel, table=True):
    """One row per clause of the engagement's tree, created with the engagement; `version` counts saves."""

    __table_args__ = (sa.UniqueConstraint("engagement_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    status: ClauseStatus = Field(default=ClauseStatus.UNRATED, sa_type=CleanText(20))
    sampled: int = 0
    nonconforming: int = 0
    exclusion_reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    finding: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    version: int = 0
    updated_by: str = Field(sa_type=CleanText(100), default="", max_length=100)
    updated_at: datetime | None = None


class RatingChange(SQLModel, table=True):
    """Append-only history: every save of a clause rating, with the values before and after."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    version: int
    before: dict = Field(sa_column=Column(JSON, nullable=False))
    after: dict = Field(sa_column=Column(JSON, nullable=False))
    changed_by: str = Field(sa_type=CleanText(100), max_length=100)
    changed_at: datetime = Field(default_factory=utcnow)
    reason: str = Field(sa_type=CleanText(Limit.SHORT), default="", max_length=Limit.SHORT,
                        sa_column_kwargs={"server_default": ""},
                        description="why, when the change came from elsewhere (a sample register)")


class SpecialItem(SQLModel, table=True):
    """A special deduction (−1) or the bonus (+1); withdrawn items stay, marked with who and why."""

    __table_args__ = (
        sa.Index("one_active_bonus", "engagement_id", unique=True,
                 sqlite_where=sa.text("kind = 'bonus' AND withdrawn_at IS NULL"),
                 postgresql_where=sa.text("kind = 'bonus' AND withdrawn_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: SpecialKind = Field(sa_type=CleanText(20))
    category: str = Field(sa_type=CleanText(30), default="", max_length=30)
    code: str | None = Field(sa_type=CleanText(40), default=None, max_length=40)
    reason: str = Field(sa_type=CleanText(Limit.REASON), min_length=1, max_length=Limit.REASON)
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = Field(sa_type=CleanText(Limit.REASON), default=None, max_length=Limit.REASON)


class StatusChange(SQLModel, table=True):
    """Append-only history of an engagement's status: every move of audits/status_workflow.py, with who and why."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    move: str = Field(sa_type=CleanText(20), max_length=20)
    from_status: EngagementStatus = Field(sa_type=CleanText(20))
    to_status: EngagementStatus = Field(sa_type=CleanText(20))
    reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    changed_by: str = Field(sa_type=CleanText(100), max_length=100)
    changed_at: datetime = Field(default_factory=utcnow)


class Recommendation(SQLModel, table=True):
    """The team's recommendation recorded by the lead assessor; reopening withdraws it (kept, with who and why)."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: RecommendationKind = Field(sa_type=CleanText(30))
    star: str | None = Field(sa_type=CleanText(20), default=None, max_length=20)
    conditions: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    allowed_star: str = Field(sa_type=CleanText(20), max_length=20, description="the star the rules allowed")
    score: str = Field(sa_type=CleanText(20), max_length=20, description="the score when it was recorded")
    revision: int = Field(description="the engagement's revision it was recorded on")
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
    withdrawn_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = Field(sa_type=CleanText(Limit.REASON), default=None, max_length=Limit.REASON)


class CertificationDecision(SQLModel, table=True):
    """The certification decision (认证决定) on a recommendation, by a decision maker who was not on the team."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    recommendation_id: int = Field(foreign_key="recommendation.id")
    outcome: CertificationOutcome = Field(sa_type=CleanText(20))
    star: str | None = Field(sa_type=CleanText(20), default=None, max_length=20)
    decided_on: date
    reasons: str = Field(sa_type=CleanText(Limit.TEXT), min_length=1, max_length=Limit.TEXT)
    decided_by: str = Field(sa_type=CleanText(100), max_length=100)
    decided_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class DocumentReview(SQLModel, table=True):
    """One document review (文件审查) of an engagement; the latest counts. `concurrent_reason` is the lead's
    written reason when the document review and the on-site evaluation run together."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    reviewed_on: date
    reviewer: str = Field(sa_type=CleanText(100), min_length=1, max_length=100)
    result: ReviewResult = Field(sa_type=CleanText(20))
    findings: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    concurrent_reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
