"""the client's acknowledgement of a nonconformity and its planned completion date (issue 18, domain brief A5)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 07:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('acknowledged_by', 'acknowledged_on', 'acknowledgement_note', 'acknowledgement_entered_by',
           'planned_completion')


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.add_column('nonconformity', sa.Column('acknowledged_by', text(100), nullable=True))
    op.add_column('nonconformity', sa.Column('acknowledged_on', sa.Date(), nullable=True))
    op.add_column('nonconformity', sa.Column('acknowledgement_note', text(5000), nullable=True))
    op.add_column('nonconformity', sa.Column('acknowledgement_entered_by', text(100), nullable=True))
    op.add_column('nonconformity', sa.Column('planned_completion', sa.Date(), nullable=True))


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column('nonconformity', column)  # SQLite 3.35+ drops a column in place (see 0007)
