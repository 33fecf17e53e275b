"""The consultant's preparation tasks: the tables (issue 20).

A task belongs to a company's pre-audit: what to prepare for which clause (and which item of its evidence
checklist, when it is about one), who at the company owns it, by when, and where it stands. Every move is kept
in `TaskMove`, which the database keeps append-only (migration 0015). The files the client prepares are
evidence records of the pre-audit, named by `TaskFile`.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Limit, TaskMove, TaskState


class PreparationTask(SQLModel, table=True):
    """`source`: for a task the plan generated, the gap it came from ("5.1.2.2" for the clause, "5.1.2.2#1" for
    the second item of its checklist); regenerating the plan adds only gaps without a task. None when added by hand."""

    __table_args__ = (sa.UniqueConstraint("engagement_id", "source"),)
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40)
    item: int | None = None
    source: str | None = Field(sa_type=CleanText(60), default=None, max_length=60)
    title: str = Field(sa_type=CleanText(Limit.REASON), max_length=Limit.REASON)
    owner_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    owner_name: str = Field(sa_type=CleanText(100), max_length=100)
    due: date
    state: TaskState = Field(default=TaskState.OPEN, sa_type=CleanText(20))
    comment: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    version: int = 0
    created_by: str = Field(sa_type=CleanText(100), max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class TaskMoveRecord(SQLModel, table=True):
    """Append-only history of a task: each move with who, when and the comment."""

    __tablename__ = "taskmove"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="preparationtask.id", index=True)
    move: TaskMove = Field(sa_type=CleanText(20))
    from_state: TaskState = Field(sa_type=CleanText(20))
    to_state: TaskState = Field(sa_type=CleanText(20))
    comment: str = Field(sa_type=CleanText(Limit.TEXT), default="", max_length=Limit.TEXT)
    evidence_ids: str = Field(sa_type=CleanText(500), default="", max_length=500, description="files handed in, e.g. 3,4")
    moved_by: str = Field(sa_type=CleanText(100), max_length=100)
    moved_at: datetime = Field(default_factory=utcnow)


class TaskFile(SQLModel, table=True):
    """A file handed in for a task: an evidence record of the pre-audit (uploaded through the evidence rules)."""

    __table_args__ = (sa.UniqueConstraint("task_id", "evidence_id"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="preparationtask.id", index=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    added_by: str = Field(sa_type=CleanText(100), max_length=100)
    added_at: datetime = Field(default_factory=utcnow)
