"""Nonconformity tables: the finding with its state, and the append-only events that moved it."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Limit, NcState, Severity


class Nonconformity(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("engagement_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    number: int
    code: str | None = Field(sa_type=CleanText(40), default=None, max_length=40)
    special_item_id: int | None = Field(default=None, foreign_key="specialitem.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    severity: Severity = Field(sa_type=CleanText(20))
    state: NcState = Field(sa_type=CleanText(20), index=True)
    finding: str = Field(sa_type=CleanText(Limit.TEXT), min_length=1, max_length=Limit.TEXT)
    requirement: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    evidence_seen: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    due_date: date | None = None
    raised_by: str = Field(sa_type=CleanText(100), max_length=100)
    raised_at: datetime = Field(default_factory=utcnow)
    # the company representative's acknowledgement (domain brief A5): who signed, on which day, what they added,
    # and the user who recorded it (the client contact, or the team when the client signed on paper)
    acknowledged_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    acknowledged_on: date | None = None
    acknowledgement_note: str | None = Field(sa_type=CleanText(Limit.TEXT), default=None, max_length=Limit.TEXT)
    acknowledgement_entered_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    planned_completion: date | None = None  # the company's own date, no later than the deadline
    version: int = 0


class NcEvent(SQLModel, table=True):
    """One step of a nonconformity's history; rows are only ever added."""

    id: int | None = Field(default=None, primary_key=True)
    nonconformity_id: int = Field(foreign_key="nonconformity.id", index=True)
    event: str = Field(sa_type=CleanText(20), max_length=20)
    from_state: NcState = Field(sa_type=CleanText(20))
    to_state: NcState = Field(sa_type=CleanText(20))
    comment: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    by: str = Field(sa_type=CleanText(100), max_length=100)
    at: datetime = Field(default_factory=utcnow)
