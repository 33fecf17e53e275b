"""the consultant's preparation tasks (issue 20): the tasks of a pre-audit, their moves (append-only) and the
files handed in for them

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
# the same database guard as migration 0009
append_only = import_module('migrations.versions.0009_recommendation_and_decision').append_only


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('preparationtask',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('code', text(40), nullable=False),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('source', text(60), nullable=True),
    sa.Column('title', text(2000), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('owner_name', text(100), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('state', text(20), nullable=False),
    sa.Column('comment', text(5000), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', text(100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['owner_user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('engagement_id', 'source')
    )
    with op.batch_alter_table('preparationtask', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preparationtask_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preparationtask_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preparationtask_owner_user_id'), ['owner_user_id'], unique=False)

    op.create_table('taskmove',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('move', text(20), nullable=False),
    sa.Column('from_state', text(20), nullable=False),
    sa.Column('to_state', text(20), nullable=False),
    sa.Column('comment', text(5000), nullable=False),
    sa.Column('evidence_ids', text(500), nullable=False),
    sa.Column('moved_by', text(100), nullable=False),
    sa.Column('moved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['preparationtask.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taskmove', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskmove_task_id'), ['task_id'], unique=False)

    op.create_table('taskfile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('added_by', text(100), nullable=False),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['preparationtask.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task_id', 'evidence_id')
    )
    with op.batch_alter_table('taskfile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskfile_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taskfile_task_id'), ['task_id'], unique=False)
    append_only('taskmove')


def downgrade() -> None:
    drop_append_only('taskmove')
    for table, indexes in (('taskfile', ('evidence_id', 'task_id')), ('taskmove', ('task_id',)),
                           ('preparationtask', ('company_id', 'engagement_id', 'owner_user_id'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
