"""document templates of the body and the issued documents (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 04:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table('documenttemplate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', text(30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', text(200), nullable=False),
    sa.Column('sha256', text(64), nullable=False),
    sa.Column('uploaded_by', text(100), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'version')
    )
    with op.batch_alter_table('documenttemplate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documenttemplate_kind'), ['kind'], unique=False)

    op.create_table('issueddocument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('kind', text(30), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=True),
    sa.Column('docx_sha256', text(64), nullable=False),
    sa.Column('pdf_sha256', text(64), nullable=False),
    sa.Column('manifest', sa.JSON(), nullable=False),
    sa.Column('issued_by', text(100), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['documenttemplate.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('issueddocument', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issueddocument_engagement_id'), ['engagement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issueddocument', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issueddocument_engagement_id'))
    op.drop_table('issueddocument')
    with op.batch_alter_table('documenttemplate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documenttemplate_kind'))
    op.drop_table('documenttemplate')
