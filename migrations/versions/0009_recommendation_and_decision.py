"""the engagement's status history, the team's recommendation and the certification decision

The status history and the decisions are append-only (the database refuses to change or delete their rows); a
recommendation is withdrawn by marking it, so it stays in the record with who withdrew it and why.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 02:40:00
"""
from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
APPEND_ONLY = ('statuschange', 'certificationdecision')


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        'statuschange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('move', text(20), nullable=False),
        sa.Column('from_status', text(20), nullable=False),
        sa.Column('to_status', text(20), nullable=False),
        sa.Column('reason', text(2000), nullable=False),
        sa.Column('changed_by', text(100), nullable=False),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_statuschange_engagement_id'), 'statuschange', ['engagement_id'], unique=False)
    op.create_table(
        'recommendation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('kind', text(30), nullable=False),
        sa.Column('star', text(20), nullable=True),
        sa.Column('conditions', text(5000), nullable=False),
        sa.Column('allowed_star', text(20), nullable=False),
        sa.Column('score', text(20), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('recorded_by', text(100), nullable=False),
        sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('withdrawn_by', text(100), nullable=True),
        sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('withdrawn_reason', text(2000), nullable=True),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_recommendation_engagement_id'), 'recommendation', ['engagement_id'], unique=False)
    op.create_table(
        'certificationdecision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('engagement_id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('outcome', text(20), nullable=False),
        sa.Column('star', text(20), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('reasons', text(5000), nullable=False),
        sa.Column('decided_by', text(100), nullable=False),
        sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id']),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id']),
        sa.ForeignKeyConstraint(['decided_by_user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_certificationdecision_engagement_id'), 'certificationdecision', ['engagement_id'],
                    unique=False)
    for table in APPEND_ONLY:
        append_only(table)


def append_only(table: str) -> None:
    """The database itself refuses to change or delete these rows (same guard as migrations 0002 and 0007)."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        return
    op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$")
    op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    for table in ('certificationdecision', 'recommendation', 'statuschange'):
        op.drop_index(op.f(f'ix_{table}_engagement_id'), table_name=table)
        op.drop_table(table)
