"""Sample registers, imported logs and service targets: the tables (issue 17).

A register row is versioned: each edit bumps its version and appends a `SampleChange` (append-only in the
database) with the values before and after and why. The times of a sample are the company's wall-clock times,
stored naive. An imported log keeps the original file and the parsed table in the evidence store by SHA-256.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Comparison, Limit, LimitUnit, LogKind, TargetMetric

REFERENCE = 60   # a work order, complaint or staff number
LIMIT_TEXT = 100  # the limit that applied, as the team writes it ("24 小时内到场")


class SampleRow(SQLModel, table=True):
    """One sample of a clause scored on samples; a removed row stays, marked removed."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    reference: str = Field(sa_type=CleanText(REFERENCE), min_length=1, max_length=REFERENCE)
    site_id: int | None = Field(default=None, foreign_key="site.id")
    sampled_on: date | None = None
    reported_at: datetime | None = Field(default=None, sa_column=Column(sa.DateTime(), nullable=True))
    responded_at: datetime | None = Field(default=None, sa_column=Column(sa.DateTime(), nullable=True))
    on_site_at: datetime | None = Field(default=None, sa_column=Column(sa.DateTime(), nullable=True))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(sa.DateTime(), nullable=True))
    limit_text: str = Field(sa_type=CleanText(LIMIT_TEXT), default="", max_length=LIMIT_TEXT)
    conforms: bool = True
    note: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    import_id: int | None = Field(default=None, foreign_key="recordimport.id")
    removed: bool = False
    version: int = 0
    updated_by: str = Field(sa_type=CleanText(100), max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class SampleChange(SQLModel, table=True):
    """Append-only history of a register: each row added, edited or removed, before and after, and why."""

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="samplerow.id", index=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    version: int
    before: dict = Field(sa_column=Column(JSON, nullable=False))
    after: dict = Field(sa_column=Column(JSON, nullable=False))
    reason: str = Field(sa_type=CleanText(Limit.SHORT), max_length=Limit.SHORT)
    changed_by: str = Field(sa_type=CleanText(100), max_length=100)
    changed_at: datetime = Field(default_factory=utcnow)


class RecordImport(SQLModel, table=True):
    """A confirmed import of a company's log: the original file and the parsed table (CSV) by SHA-256 in the
    evidence store, the mapping confirmed, and the seed of the sample drawn from it."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: LogKind = Field(sa_type=CleanText(20), max_length=20)
    file_name: str = Field(sa_type=CleanText(Limit.NAME), max_length=Limit.NAME)
    original_sha256: str = Field(sa_type=CleanText(64), max_length=64)
    table_sha256: str = Field(sa_type=CleanText(64), max_length=64)
    encoding: str = Field(sa_type=CleanText(20), default="", max_length=20)
    mapping: dict = Field(sa_column=Column(JSON, nullable=False))
    rows: int
    seed: int | None = None
    imported_by: str = Field(sa_type=CleanText(100), max_length=100)
    imported_at: datetime = Field(default_factory=utcnow)


class ColumnMapping(SQLModel, table=True):
    """The mapping last confirmed for a company's log of one kind, offered again next time."""

    __table_args__ = (sa.UniqueConstraint("company_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: LogKind = Field(sa_type=CleanText(20), max_length=20)
    mapping: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(sa_type=CleanText(100), max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class ServiceTarget(SQLModel, table=True):
    """A target or commitment the company declared, tied to a clause, with its measured value (from an
    imported log, or entered with evidence). A timeliness target carries its time limit."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    metric: TargetMetric = Field(sa_type=CleanText(20), max_length=20)
    comparison: Comparison = Field(sa_type=CleanText(20), max_length=20)
    target: float = Field(ge=0, le=100, description="percent")
    log_kind: LogKind | None = Field(default=None, sa_type=CleanText(20), max_length=20)
    limit_value: float | None = Field(default=None, gt=0)
    limit_unit: LimitUnit | None = Field(default=None, sa_type=CleanText(20), max_length=20)
    limit_to: str = Field(sa_type=CleanText(20), default="", max_length=20, description="LogField the clock stops at")
    within_km: float | None = Field(default=None, gt=0)
    measured: float | None = Field(default=None, ge=0, le=100)
    measured_import_id: int | None = Field(default=None, foreign_key="recordimport.id")
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    note: str = Field(sa_type=CleanText(Limit.SHORT), default="", max_length=Limit.SHORT)
    version: int = 0
    recorded_by: str = Field(sa_type=CleanText(100), max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow)
