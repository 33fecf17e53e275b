"""Evidence records: a file (by content hash) given to an engagement, and its links to clauses."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from records.models import utcnow
from records.text import CleanText

GENERAL = -1  # a link to the clause as a whole, not to one item of its evidence checklist


class Evidence(SQLModel, table=True):
    """Removing evidence marks the record (who, when, why); the record and the file stay."""

    __table_args__ = (
        sa.Index("one_active_copy_per_uploader", "engagement_id", "sha256", "uploaded_by", unique=True,
                 sqlite_where=sa.text("removed_at IS NULL"), postgresql_where=sa.text("removed_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    sha256: str = Field(sa_type=CleanText(64), max_length=64, index=True)
    size: int
    kind: str = Field(sa_type=CleanText(10), max_length=10)
    name: str = Field(sa_type=CleanText(200), max_length=200)
    note: str = Field(sa_type=CleanText(1000), default="", max_length=1000)
    site_id: int | None = Field(default=None, foreign_key="site.id")
    uploaded_by: str = Field(sa_type=CleanText(100), max_length=100)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploader_id: int | None = Field(default=None, foreign_key="user.id", description="the account that uploaded it")
    from_client: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()},
                              description="uploaded by the client company (its record), not by the team")
    submitted_at: datetime | None = Field(default=None, description="when a submitted rectification first named it")
    removed_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    removed_at: datetime | None = None
    removed_reason: str | None = Field(sa_type=CleanText(1000), default=None, max_length=1000)


class EvidenceLink(SQLModel, table=True):
    """Evidence linked to a clause, optionally to one item of the clause's checklist; unlinking keeps the row."""

    __table_args__ = (
        sa.Index("one_active_link", "evidence_id", "code", "item", unique=True,
                 sqlite_where=sa.text("unlinked_at IS NULL"), postgresql_where=sa.text("unlinked_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    code: str = Field(sa_type=CleanText(40), max_length=40, index=True)
    item: int = GENERAL
    linked_by: str = Field(sa_type=CleanText(100), max_length=100)
    linked_at: datetime = Field(default_factory=utcnow)
    unlinked_by: str | None = Field(sa_type=CleanText(100), default=None, max_length=100)
    unlinked_at: datetime | None = None
