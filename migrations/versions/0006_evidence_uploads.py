"""each upload of evidence is its own record, with the account that made it and its side

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 01:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
ACTIVE = sa.text("removed_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('evidence') as batch:
        batch.add_column(sa.Column('uploader_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('from_client', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_foreign_key('fk_evidence_uploader_id_user', 'user', ['uploader_id'], ['id'])
        batch.drop_index('one_active_copy_per_engagement')
        batch.create_index('one_active_copy_per_uploader', ['engagement_id', 'sha256', 'uploaded_by'], unique=True,
                           sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def downgrade() -> None:
    with op.batch_alter_table('evidence') as batch:
        batch.drop_index('one_active_copy_per_uploader')
        batch.create_index('one_active_copy_per_engagement', ['engagement_id', 'sha256'], unique=True,
                           sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch.drop_constraint('fk_evidence_uploader_id_user', type_='foreignkey')
        batch.drop_column('submitted_at')
        batch.drop_column('from_client')
        batch.drop_column('uploader_id')
