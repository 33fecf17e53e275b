"""the sampling plan of an engagement and per-site findings (issue 17, items 1-2)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence

import sqlmodel

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
