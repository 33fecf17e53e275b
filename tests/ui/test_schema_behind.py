"""A replica told not to migrate (AUDIT_MIGRATE_ON_START=false) shows why it cannot serve, in Chinese, and shows
the sign-in page once `python -m ops migrate` has brought the schema up."""
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP


def test_a_replica_on_a_database_behind_says_so_and_serves_once_migrated(data_dir, monkeypatch):
    from config import settings
    from db import make_engine, migrate
    from ui.state import _schema_problem
    monkeypatch.setenv("AUDIT_MIGRATE_ON_START", "false")
    settings.cache_clear()
    _schema_problem.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert "python -m ops migrate" in at.error[0].value and "暂不能使用" in at.error[0].value
    assert not at.text_input  # nothing else is drawn: no sign-in form
    engine = make_engine(settings().effective_database_url)
    migrate(engine)
    engine.dispose()
    _schema_problem.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert not at.error and at.text_input(key="login-username")
