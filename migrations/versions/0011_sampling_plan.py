"""the sampling plan of an engagement and per-site findings (issue 17, items 1-2)

The sampling plan's versions are append-only (the database refuses to change or delete them).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
APPEND_ONLY = ('samplingplanversion',)
# the same database guard as migration 0009
append_only = import_module('migrations.versions.0009_recommendation_and_decision').append_only


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _withdrawal() -> list:
    return [sa.Column('withdrawn_by', text(100), nullable=True),
            sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
            sa.Column('withdrawn_reason', text(500), nullable=True)]


def upgrade() -> None:
    op.create_table('samplingplanversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('outlets', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('random_count', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('auditor_days', text(20), nullable=False),
    sa.Column('sites', sa.JSON(), nullable=False),
    sa.Column('reason', text(2000), nullable=False),
    sa.Column('created_by', text(100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('engagement_id', 'version')
    )
    op.create_table('sitevisit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visited_by', text(100), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    *_withdrawal(),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sitefinding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('code', text(40), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('text', text(5000), nullable=False),
    sa.Column('against', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    *_withdrawal(),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    for table in ('samplingplanversion', 'sitevisit', 'sitefinding'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_engagement_id'), ['engagement_id'], unique=False)
    for table in APPEND_ONLY:
        append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    for table in ('sitefinding', 'sitevisit', 'samplingplanversion'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_engagement_id'))
        op.drop_table(table)
