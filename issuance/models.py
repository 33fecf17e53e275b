"""Document templates and issued documents: the tables (issue 18).

A template is stored in the evidence content store under its SHA-256; each upload for a kind is a new version,
the latest accepted one active. An issued document keeps the exact .docx and PDF (by hash) and a manifest of what
it was made from; both tables only ever grow (a template is replaced by a newer version, never edited).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from records.models import utcnow
from records.text import CleanText
from vocabulary import Limit


class DocumentTemplate(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("kind", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=CleanText(30), max_length=30, index=True)
    version: int
    name: str = Field(sa_type=CleanText(Limit.NAME), max_length=Limit.NAME)
    sha256: str = Field(sa_type=CleanText(64), max_length=64)
    uploaded_by: str = Field(sa_type=CleanText(100), max_length=100)
    uploaded_at: datetime = Field(default_factory=utcnow)
    active: bool = True


class IssuedDocument(SQLModel, table=True):
    """`template_id` None: the built-in layout made it. `manifest`: {"files": [{"path", "sha256"}], "evidence":
    [{"name", "sha256"}], ...}."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: str = Field(sa_type=CleanText(30), max_length=30)
    template_id: int | None = Field(default=None, foreign_key="documenttemplate.id")
    template_version: int | None = None
    docx_sha256: str = Field(sa_type=CleanText(64), max_length=64)
    pdf_sha256: str = Field(sa_type=CleanText(64), default="", max_length=64)
    manifest: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    issued_by: str = Field(sa_type=CleanText(100), max_length=100)
    issued_at: datetime = Field(default_factory=utcnow)
