"""The certification cycle's tables (domain brief A6, A7): the document review, the evaluation plan and its
versions, changes to an engagement's dates and team, the meetings, the certificate and its history, a company's
reported changes (变更), and the reminders sent.

Histories are append-only (the database refuses to change or delete their rows, migration 0010): a plan's
versions stay as they were sent, certificate events and engagement edits are only ever added.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.models import CertificationCycle as CertificationCycle  # in records: Engagement points at it
from records.models import DocumentReview as DocumentReview  # lives in records: audits' start rule reads it
from records.models import utcnow
from records.text import CleanText
from vocabulary import (
    CertificateState,
    ChangeKind,
    ChangeResponse,
    Limit,
    MeetingKind,
    PlanResponse,
)


class EvaluationPlan(SQLModel, table=True):
    """An engagement's evaluation plan (评价计划): its number; the content lives in its versions."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", unique=True)
    number: str = Field(sa_type=CleanText(60), max_length=60, unique=True)
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class PlanVersion(SQLModel, table=True):
    """One version of a plan. A draft may be edited; once sent its content never changes, and the company's
    answer is recorded on it. A revision is a new version with the reason; earlier versions stay.

    `agenda`: [{"time": "2026-12-03 09:00", "item": "首次会议", "who": "张三"}];
    `assignments`: [{"member": "张三", "indicators": ["5.1", "5.2.1"], "sites": [3, 5]}]; `site_ids`: sites to visit."""

    __table_args__ = (sa.UniqueConstraint("plan_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="evaluationplan.id", index=True)
    version: int
    objectives: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    scope: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    criteria: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    visit_start: date | None = None
    visit_end: date | None = None
    agenda: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    assignments: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    site_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    revision_reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    sent_on: date | None = None
    sent_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    response: PlanResponse = Field(default=PlanResponse.PENDING, sa_type=CleanText(20))
    response_reason: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    responded_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    responded_at: datetime | None = None


class EngagementEdit(SQLModel, table=True):
    """Append-only history of changes to an engagement's dates, title and team after creation."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    before: dict = Field(sa_column=Column(JSON, nullable=False))
    after: dict = Field(sa_column=Column(JSON, nullable=False))
    reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    changed_by: str = Field(sa_type=CleanText(100), max_length=100)
    changed_at: datetime = Field(default_factory=utcnow)


class Meeting(SQLModel, table=True):
    """The opening or closing meeting (首次/末次会议); photos are evidence rows named in `evidence_ids`."""

    __table_args__ = (sa.UniqueConstraint("engagement_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: MeetingKind = Field(sa_type=CleanText(20))
    held_at: datetime
    team_attendees: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    company_attendees: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    findings_presented: bool = False
    acknowledged: bool = False
    acknowledged_by: str = Field(sa_type=CleanText(100), default="", max_length=100)
    notes: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    evidence_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
    version: int = 0


class Certificate(SQLModel, table=True):
    """A certificate issued on an approving decision (one per decision); its printed fields are copied at issue
    and changed only through a recorded update. `check_code` is the short random code the public verification
    page asks for beside the number."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=CleanText(60), max_length=60, unique=True, index=True)
    check_code: str = Field(sa_type=CleanText(20), max_length=20)
    decision_id: int = Field(foreign_key="certificationdecision.id", unique=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    cycle_id: int | None = Field(default=None, foreign_key="certificationcycle.id", index=True)
    company_name: str = Field(sa_type=CleanText(Limit.NAME), max_length=Limit.NAME)
    address: str = Field(sa_type=CleanText(300), default="", max_length=300)
    credit_code: str = Field(sa_type=CleanText(18), max_length=18)
    services: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    product_types: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    standard: str = Field(sa_type=CleanText(120), max_length=120)
    scheme: str = Field(sa_type=CleanText(200), max_length=200)
    star: str = Field(sa_type=CleanText(20), max_length=20)
    sites: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    issued_on: date
    expires_on: date
    state: CertificateState = Field(default=CertificateState.VALID, sa_type=CleanText(20), index=True)
    state_reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    state_since: date
    issued_by: str = Field(sa_type=CleanText(100), max_length=100)
    version: int = 0


class CertificateEvent(SQLModel, table=True):
    """Append-only history of a certificate: issue, suspension, restoration, withdrawal, expiry, updates."""

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id", index=True)
    event: str = Field(sa_type=CleanText(20), max_length=20)
    from_state: str = Field(sa_type=CleanText(20), default="", max_length=20)
    to_state: str = Field(sa_type=CleanText(20), max_length=20)
    effective_on: date
    reason: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    by: str = Field(sa_type=CleanText(100), max_length=100)
    at: datetime = Field(default_factory=utcnow)


class ReportedChange(SQLModel, table=True):
    """A change a company reported (变更) with the body's response; company data edits go through one, so the
    certificate's history shows what changed when. `before`/`after` hold the company fields it changed."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: ChangeKind = Field(sa_type=CleanText(20))
    description: str = Field(sa_type=CleanText(Limit.TEXT), min_length=1, max_length=Limit.TEXT)
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reported_on: date
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
    response: ChangeResponse = Field(default=ChangeResponse.PENDING, sa_type=CleanText(30))
    response_note: str = Field(sa_type=CleanText(Limit.REASON), default="", max_length=Limit.REASON)
    special_engagement_id: int | None = Field(default=None, foreign_key="engagement.id")
    responded_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    responded_at: datetime | None = None


class ReminderSent(SQLModel, table=True):
    """One digest of due items for one person on one day: sent, or failed (tried again on the next run).
    A sent digest's (user, day) is unique, so two runs the same day never send twice."""

    __table_args__ = (
        sa.Index("one_digest_per_day", "user_id", "day", unique=True,
                 sqlite_where=sa.text("sent_at IS NOT NULL"), postgresql_where=sa.text("sent_at IS NOT NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    day: date
    address: str = Field(sa_type=CleanText(300), max_length=300)
    items: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sent_at: datetime | None = None
    failed_at: datetime | None = None
    error: str = Field(sa_type=CleanText(Limit.SHORT), default="", max_length=Limit.SHORT)
