"""Migration 0007 on a database that already holds the duplicate sites a double click used to create: each later
duplicate is renamed and the rename recorded, records pointing at the sites keep them, and the rule holds after."""
import os

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db import MIGRATIONS, make_engine

SCHEMA = "migration_0007_test"


@pytest.fixture(params=["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else []))
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/old.db")
        yield engine
        engine.dispose()
        return
    admin = make_engine(os.environ["TEST_DATABASE_URL"])
    with admin.begin() as conn:  # a schema of its own: the shared test schema is not touched
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
    engine = make_engine(os.environ["TEST_DATABASE_URL"], connect_args={"options": f"-csearch_path={SCHEMA}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def upgrade(engine, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def test_duplicate_sites_are_renamed_recorded_and_kept_by_their_records(engine):
    upgrade(engine, "0006")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO company (id, name, credit_code, address, industry, scope, contact, created_at) "
                          "VALUES (1, '杭州公司', '91330106MA2DEMX01W', '', '', '', '', CURRENT_TIMESTAMP)"))
        for site_id, name in [(1, "城西网点"), (2, "总部"), (3, "城西网点"), (4, "城西网点")]:
            conn.execute(text("INSERT INTO site (id, name, kind, address, contracted, company_id) "
                              "VALUES (:id, :name, 'outlet', '', false, 1)"), {"id": site_id, "name": name})
        conn.execute(text("INSERT INTO engagement (id, company_id, kind, tree_ref, title, status, created_by, "
                          "created_at) VALUES (1, 1, 'initial', 'gbt27922-2011@2011-default.1', '', 'planned', "
                          "'x', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO evidence (id, engagement_id, sha256, size, kind, name, note, site_id, "
                          "uploaded_by, uploaded_at) VALUES (1, 1, 'ab', 1, 'pdf', 'a.pdf', '', 3, 'x', "
                          "CURRENT_TIMESTAMP)"))
    upgrade(engine, "head")
    with engine.begin() as conn:
        sites = conn.execute(text("SELECT id, name, active, version FROM site ORDER BY id")).all()
        assert [(i, n, bool(a), v) for i, n, a, v in sites] == [
            (1, "城西网点", True, 0), (2, "总部", True, 0), (3, "城西网点（3）", True, 0), (4, "城西网点（4）", True, 0)]
        history = conn.execute(text("SELECT site_id, changed_by FROM companychange ORDER BY id")).all()
        assert [tuple(h) for h in history] == [(3, "系统（数据库升级）"), (4, "系统（数据库升级）")]
        assert conn.execute(text("SELECT site_id FROM evidence")).scalar() == 3
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO site (name, kind, address, contracted, company_id) "
                          "VALUES ('总部', 'headquarters', '', false, 1)"))


def test_the_migration_goes_down_and_up_again(engine):
    upgrade(engine, "head")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0006")
    upgrade(engine, "head")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM companychange")).scalar() == 0
