"""a sign-in session's one-time code, exchanged by the browser for a cookie the server sets

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 01:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('signinsession') as batch:
        batch.add_column(sa.Column('handoff_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.create_unique_constraint('uq_signinsession_handoff_hash', ['handoff_hash'])


def downgrade() -> None:
    with op.batch_alter_table('signinsession') as batch:
        batch.drop_constraint('uq_signinsession_handoff_hash', type_='unique')
        batch.drop_column('handoff_hash')
