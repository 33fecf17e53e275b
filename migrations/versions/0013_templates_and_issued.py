"""document templates of the body and the issued documents (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence

import sqlmodel

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
