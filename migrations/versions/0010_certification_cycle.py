"""the certification cycle: document review, plan versions, engagement edits, meetings, cycles, certificates
and their history, reported changes, reminders sent; an engagement's cycle and predecessor; a user's e-mail

Engagement edits and certificate events are append-only (the database refuses to change or delete them).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 03:40:00
"""
from collections.abc import Sequence
from importlib import import_module

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
APPEND_ONLY = ('engagementedit', 'certificateevent')
# the same database guard as migration 0009
append_only = import_module('migrations.versions.0009_recommendation_and_decision').append_only


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('certificationcycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_engagement_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('opened_by_engagement_id')
    )
    with op.batch_alter_table('certificationcycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificationcycle_company_id'), ['company_id'], unique=False)

    op.create_table('remindersent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('address', text(300), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('error', text(500), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remindersent_user_id'), ['user_id'], unique=False)
        batch_op.create_index('one_digest_per_day', ['user_id', 'day'], unique=True, sqlite_where=sa.text('sent_at IS NOT NULL'), postgresql_where=sa.text('sent_at IS NOT NULL'))

    op.create_table('documentreview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('reviewer', text(100), nullable=False),
    sa.Column('result', text(20), nullable=False),
    sa.Column('findings', text(5000), nullable=False),
    sa.Column('concurrent_reason', text(2000), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documentreview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documentreview_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('engagementedit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('reason', text(2000), nullable=False),
    sa.Column('changed_by', text(100), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engagementedit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagementedit_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('evaluationplan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('number', text(60), nullable=False),
    sa.Column('created_by', text(100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('engagement_id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(20), nullable=False),
    sa.Column('held_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('team_attendees', sa.JSON(), nullable=False),
    sa.Column('company_attendees', sa.JSON(), nullable=False),
    sa.Column('findings_presented', sa.Boolean(), nullable=False),
    sa.Column('acknowledged', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_by', text(100), nullable=False),
    sa.Column('notes', text(5000), nullable=False),
    sa.Column('evidence_ids', sa.JSON(), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('engagement_id', 'kind')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('reportedchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(20), nullable=False),
    sa.Column('description', text(5000), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', text(100), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('response', text(30), nullable=False),
    sa.Column('response_note', text(2000), nullable=False),
    sa.Column('special_engagement_id', sa.Integer(), nullable=True),
    sa.Column('responded_by', text(100), nullable=True),
    sa.Column('responded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['special_engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reportedchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reportedchange_company_id'), ['company_id'], unique=False)

    op.create_table('planversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('objectives', text(5000), nullable=False),
    sa.Column('scope', text(5000), nullable=False),
    sa.Column('criteria', text(2000), nullable=False),
    sa.Column('visit_start', sa.Date(), nullable=True),
    sa.Column('visit_end', sa.Date(), nullable=True),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('assignments', sa.JSON(), nullable=False),
    sa.Column('site_ids', sa.JSON(), nullable=False),
    sa.Column('revision_reason', text(2000), nullable=False),
    sa.Column('created_by', text(100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_by', text(100), nullable=True),
    sa.Column('response', text(20), nullable=False),
    sa.Column('response_reason', text(5000), nullable=False),
    sa.Column('responded_by', text(100), nullable=True),
    sa.Column('responded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['evaluationplan.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'version')
    )
    with op.batch_alter_table('planversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planversion_plan_id'), ['plan_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', text(60), nullable=False),
    sa.Column('check_code', text(20), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('company_name', text(200), nullable=False),
    sa.Column('address', text(300), nullable=False),
    sa.Column('credit_code', text(18), nullable=False),
    sa.Column('services', text(2000), nullable=False),
    sa.Column('product_types', text(2000), nullable=False),
    sa.Column('standard', text(120), nullable=False),
    sa.Column('scheme', text(200), nullable=False),
    sa.Column('star', text(20), nullable=False),
    sa.Column('sites', sa.JSON(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('state', text(20), nullable=False),
    sa.Column('state_reason', text(2000), nullable=False),
    sa.Column('state_since', sa.Date(), nullable=False),
    sa.Column('issued_by', text(100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.ForeignKeyConstraint(['cycle_id'], ['certificationcycle.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['certificationdecision.id'], ),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('decision_id')
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_number'), ['number'], unique=True)
        batch_op.create_index(batch_op.f('ix_certificate_state'), ['state'], unique=False)

    op.create_table('certificateevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('event', text(20), nullable=False),
    sa.Column('from_state', text(20), nullable=False),
    sa.Column('to_state', text(20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('reason', text(2000), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('by', text(100), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('certificateevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificateevent_certificate_id'), ['certificate_id'], unique=False)

    # Plain ALTER TABLE (see 0007): SQLite adds a column in place, with its reference, when it defaults to NULL.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE engagement ADD COLUMN cycle_id INTEGER REFERENCES certificationcycle (id)')
        op.execute('ALTER TABLE engagement ADD COLUMN previous_id INTEGER REFERENCES engagement (id)')
    else:
        op.add_column('engagement', sa.Column('cycle_id', sa.Integer(), nullable=True))
        op.add_column('engagement', sa.Column('previous_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_engagement_cycle_id', 'engagement', 'certificationcycle', ['cycle_id'], ['id'])
        op.create_foreign_key('fk_engagement_previous_id', 'engagement', 'engagement', ['previous_id'], ['id'])
    op.create_index(op.f('ix_engagement_cycle_id'), 'engagement', ['cycle_id'], unique=False)
    op.add_column('user', sa.Column('email', text(254), nullable=False, server_default=''))
    for table in APPEND_ONLY:
        append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    op.drop_column('user', 'email')  # SQLite 3.35+ drops a column in place (see 0007)
    op.drop_index(op.f('ix_engagement_cycle_id'), table_name='engagement')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_engagement_previous_id', 'engagement', type_='foreignkey')
        op.drop_constraint('fk_engagement_cycle_id', 'engagement', type_='foreignkey')
    op.drop_column('engagement', 'previous_id')
    op.drop_column('engagement', 'cycle_id')
    with op.batch_alter_table('certificateevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificateevent_certificate_id'))

    op.drop_table('certificateevent')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_state'))
        batch_op.drop_index(batch_op.f('ix_certificate_number'))
        batch_op.drop_index(batch_op.f('ix_certificate_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_company_id'))

    op.drop_table('certificate')
    with op.batch_alter_table('planversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planversion_plan_id'))

    op.drop_table('planversion')
    with op.batch_alter_table('reportedchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reportedchange_company_id'))

    op.drop_table('reportedchange')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_engagement_id'))

    op.drop_table('meeting')
    op.drop_table('evaluationplan')
    with op.batch_alter_table('engagementedit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagementedit_engagement_id'))

    op.drop_table('engagementedit')
    with op.batch_alter_table('documentreview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documentreview_engagement_id'))

    op.drop_table('documentreview')
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.drop_index('one_digest_per_day', sqlite_where=sa.text('sent_at IS NOT NULL'), postgresql_where=sa.text('sent_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_remindersent_user_id'))

    op.drop_table('remindersent')
    with op.batch_alter_table('certificationcycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificationcycle_company_id'))

    op.drop_table('certificationcycle')
