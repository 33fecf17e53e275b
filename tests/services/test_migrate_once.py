"""Migrations run once: two processes racing `python -m ops migrate` on the same fresh database both succeed and
the schema is right once (SQLite: a file lock; PostgreSQL: an advisory lock); a replica told not to migrate
refuses to serve while the schema is behind, and says why."""
import fcntl
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from db import ADVISORY_KEY, make_engine, migrate, schema_behind

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL")
KINDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=KINDS)
def fresh_url(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"race_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def start_migrate(url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ops", "migrate"], cwd=ROOT, text=True,
                            env={**os.environ, "AUDIT_DATABASE_URL": url}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def test_two_processes_migrating_a_fresh_database_at_once_both_succeed_and_migrate_once(fresh_url):
    racers = [start_migrate(fresh_url) for _ in range(2)]
    results = [finished(p) for p in racers]
    assert all(code == 0 for code, _, _ in results), [err[-1500:] for _, _, err in results]
    assert all("数据库结构已是最新版本" in out for _, out, _ in results)
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(versions) == 1 and schema_behind(engine) is None
        assert {"engagement", "evidence", "user"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_second_migrator_waits_for_the_lock_then_finds_nothing_to_do(fresh_url):
    """While another holder keeps the migration lock, `ops migrate` waits; released, it completes."""
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as holder:
            if engine.dialect.name == "postgresql":
                holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
                holder.commit()
                release = lambda: (holder.execute(text("SELECT pg_advisory_unlock(:key)"),  # noqa: E731
                                                  {"key": ADVISORY_KEY}), holder.commit())
            else:
                lock = open(fresh_url.removeprefix("sqlite:///") + ".migrate-lock", "a+b")  # noqa: SIM115
                fcntl.flock(lock, fcntl.LOCK_EX)
                release = lambda: (fcntl.flock(lock, fcntl.LOCK_UN), lock.close())  # noqa: E731
            waiting = start_migrate(fresh_url)
            time.sleep(3)
            assert waiting.poll() is None, "migrated without the lock"
            assert schema_behind(engine) is not None
            release()
            code, out, err = finished(waiting)
        assert code == 0, err[-1500:]
        assert schema_behind(engine) is None
    finally:
        engine.dispose()


def test_a_replica_that_must_not_migrate_refuses_to_serve_until_the_schema_is_current(tmp_path, monkeypatch):
    from config import settings
    from db import engine_for
    from web import files
    from web.routes import ROUTES
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUDIT_MIGRATE_ON_START", "false")
    settings.cache_clear()
    files._store.cache_clear()
    try:
        engine = engine_for(settings().effective_database_url)
        reason = schema_behind(engine)
        assert reason and "python -m ops migrate" in reason and "空数据库" in reason
        client = TestClient(Starlette(routes=ROUTES))
        answer = client.get("/readyz")
        assert answer.status_code == 503 and reason in answer.json()["problems"]
        assert client.get("/healthz").status_code == 200
        migrate(make_engine(settings().effective_database_url))
        assert schema_behind(engine) is None
        assert client.get("/readyz").status_code == 200
    finally:
        settings.cache_clear()
        files._store.cache_clear()
