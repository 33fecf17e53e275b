"""sample registers, imported company logs and service targets (issue 17, items 3-6)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence

import sqlmodel

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
