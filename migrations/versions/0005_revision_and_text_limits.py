"""engagement revision counter; nonconformity texts as long as the service accepts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('engagement') as batch:
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('nonconformity') as batch:
        for column in ('requirement', 'evidence_seen'):
            batch.alter_column(column, type_=sqlmodel.sql.sqltypes.AutoString(length=5000),
                               existing_type=sqlmodel.sql.sqltypes.AutoString(length=4000), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('nonconformity') as batch:
        for column in ('requirement', 'evidence_seen'):
            batch.alter_column(column, type_=sqlmodel.sql.sqltypes.AutoString(length=4000),
                               existing_type=sqlmodel.sql.sqltypes.AutoString(length=5000), existing_nullable=False)
    with op.batch_alter_table('engagement') as batch:
        batch.drop_column('revision')
