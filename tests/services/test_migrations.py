"""Migrations build exactly the schema the models describe, and an upgrade keeps existing data."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from db import make_engine, migrate
from tests.factories import make_engagement


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, SQLModel.metadata) == []


def test_running_the_migrations_again_keeps_the_data(db, engine):
    make_engagement(db)
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM clauserating")).scalar() == 39


def test_a_fresh_sqlite_file_is_created_and_migrated(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/sub/dir/new.db")
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
