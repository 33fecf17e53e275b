"""companies and sites can be deactivated and edited, each change kept in an append-only history; a site's name
is unique within its company

Existing duplicate site names (a double click used to add a site twice) are renamed 名称（编号） before the
unique index is made, and each rename is written to the history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 02:00:00
"""
from collections.abc import Sequence
from importlib import import_module
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
drop_append_only = import_module('migrations.versions.0002_accounts_and_audit_log').drop_append_only
NAME_LENGTH = 200
UPGRADE = "系统（数据库升级）"


def upgrade() -> None:
    # Plain ALTER TABLE, no batch copy: SQLite adds a column in place, and rebuilding a table that evidence,
    # engagements and nonconformities point at fails on its foreign keys.
    for table in ('company', 'site'):
        op.add_column(table, sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
    history = op.create_table(
        'companychange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id']),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_companychange_company_id'), 'companychange', ['company_id'], unique=False)
    append_only('companychange')
    rename_duplicate_sites(history)
    op.create_index('one_site_name_per_company', 'site', ['company_id', 'name'], unique=True)


def rename_duplicate_sites(history: sa.Table) -> None:
    """Every site but the first of a name within its company becomes 名称（编号）, recorded in the history."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, company_id, name FROM site ORDER BY company_id, id")).all()
    taken = {(company, name) for _, company, name in rows}
    seen: set[tuple[int, str]] = set()
    changes = []
    for site_id, company, name in rows:
        if (company, name) not in seen:
            seen.add((company, name))
            continue
        suffix = f"（{site_id}）"
        renamed = name[:NAME_LENGTH - len(suffix)] + suffix
        while (company, renamed) in taken:
            renamed = renamed[:NAME_LENGTH - 1 - len(suffix)] + "_" + suffix
        taken.add((company, renamed))
        bind.execute(sa.text("UPDATE site SET name = :name WHERE id = :id"), {"name": renamed, "id": site_id})
        changes.append({"company_id": company, "site_id": site_id, "before": {"name": name},
                        "after": {"name": renamed}, "changed_by": UPGRADE, "changed_at": datetime.now(UTC)})
    if changes:
        op.bulk_insert(history, changes)


def append_only(table: str) -> None:
    """The database itself refuses to change or delete the history's rows (same guard as migration 0002)."""
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
    op.drop_index('one_site_name_per_company', table_name='site')
    drop_append_only('companychange')
    op.drop_index(op.f('ix_companychange_company_id'), table_name='companychange')
    op.drop_table('companychange')
    for table in ('site', 'company'):  # SQLite 3.35+ drops a column in place, as add_column added it
        for column in ('version', 'active'):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
