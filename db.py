"""Database engine and sessions: SQLite by default (WAL, foreign keys), PostgreSQL by URL; migrations applied once.

Several processes may start at once on one database (replicas, command-line tools): `migrate` holds a lock while
it upgrades, a PostgreSQL advisory lock on the migration's own connection or, on SQLite, an exclusive file lock
beside the database file, so one process migrates and the others then find the schema current. Replicas started
with AUDIT_MIGRATE_ON_START=false never migrate; `python -m ops migrate` does it once, and until then
`schema_behind` says why they refuse to serve.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_KEY = 27922_0019  # the one PostgreSQL advisory lock key migrations take


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@lru_cache
def engine_for(url: str) -> Engine:
    """One engine per URL per process, migrated to the newest schema before first use unless the settings say a
    replica must not migrate (AUDIT_MIGRATE_ON_START=false)."""
    engine = make_engine(url)
    if _migrate_on_start():
        migrate(engine)
    return engine


def _migrate_on_start() -> bool:
    from config import settings
    return settings().migrate_on_start


def _alembic_config():
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration under the migration lock; existing data is kept (migrations only
    add or convert). A second process waits for the first and then finds nothing to do."""
    from alembic import command
    cfg = _alembic_config()
    with engine.connect() as connection, _migration_lock(connection):
        with connection.begin():
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")


@contextmanager
def _migration_lock(connection):
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        connection.commit()  # the lock belongs to the session and outlives this transaction
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
        return
    database = connection.engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@lru_cache
def _newest() -> frozenset[str]:
    from alembic.script import ScriptDirectory
    return frozenset(ScriptDirectory.from_config(_alembic_config()).get_heads())


def schema_behind(engine: Engine) -> str | None:
    """Why this process must not serve yet (the database is not at the newest migration), in Chinese; None if it
    may. A schema newer than this code (a later release migrated it) is refused too."""
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    if current == _newest():
        return None
    shown = "、".join(sorted(current)) or "空数据库"
    return (f"数据库结构版本（{shown}）与本程序（{'、'.join(sorted(_newest()))}）不一致，暂不能使用；"
            "请由管理员运行 python -m ops migrate 完成数据库升级后刷新页面")


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
