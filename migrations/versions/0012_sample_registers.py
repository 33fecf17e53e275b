"""sample registers, imported company logs and service targets (issue 17, items 3-6); why a rating changed

Sample changes are append-only (the database refuses to change or delete them).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
# the same database guard as migration 0009
append_only = import_module('migrations.versions.0009_recommendation_and_decision').append_only


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('recordimport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(20), nullable=False),
    sa.Column('file_name', text(200), nullable=False),
    sa.Column('original_sha256', text(64), nullable=False),
    sa.Column('table_sha256', text(64), nullable=False),
    sa.Column('encoding', text(20), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=True),
    sa.Column('imported_by', text(100), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_recordimport_engagement_id'), 'recordimport', ['engagement_id'], unique=False)

    op.create_table('columnmapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(20), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_by', text(100), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'kind')
    )
    op.create_index(op.f('ix_columnmapping_company_id'), 'columnmapping', ['company_id'], unique=False)

    op.create_table('samplerow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('code', text(40), nullable=False),
    sa.Column('reference', text(60), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('sampled_on', sa.Date(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('on_site_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('limit_text', text(100), nullable=False),
    sa.Column('conforms', sa.Boolean(), nullable=False),
    sa.Column('note', text(5000), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', text(100), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['import_id'], ['recordimport.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_samplerow_engagement_id'), 'samplerow', ['engagement_id'], unique=False)

    op.create_table('samplechange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('code', text(40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('reason', text(500), nullable=False),
    sa.Column('changed_by', text(100), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['samplerow.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_samplechange_engagement_id'), 'samplechange', ['engagement_id'], unique=False)
    op.create_index(op.f('ix_samplechange_sample_id'), 'samplechange', ['sample_id'], unique=False)
    append_only('samplechange')

    op.create_table('servicetarget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('code', text(40), nullable=False),
    sa.Column('metric', text(20), nullable=False),
    sa.Column('comparison', text(20), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('log_kind', text(20), nullable=True),
    sa.Column('limit_value', sa.Float(), nullable=True),
    sa.Column('limit_unit', text(20), nullable=True),
    sa.Column('limit_to', text(20), nullable=False),
    sa.Column('within_km', sa.Float(), nullable=True),
    sa.Column('measured', sa.Float(), nullable=True),
    sa.Column('measured_import_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('note', text(500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], ),
    sa.ForeignKeyConstraint(['measured_import_id'], ['recordimport.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_servicetarget_engagement_id'), 'servicetarget', ['engagement_id'], unique=False)

    # Plain ALTER TABLE (see 0007): the append-only history gains why a change came from elsewhere.
    op.add_column('ratingchange', sa.Column('reason', text(500), nullable=False, server_default=''))


def downgrade() -> None:
    op.drop_column('ratingchange', 'reason')  # SQLite 3.35+ drops a column in place (see 0007)
    drop_append_only('samplechange')
    for table in ('servicetarget', 'samplechange', 'samplerow', 'columnmapping', 'recordimport'):
        op.drop_table(table)
