"""AppTest fixtures: the app on its own data folder (fresh SQLite file and demo data), signed in as a demo user."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "audit_app.py")
PASSWORDS = {"admin": "demo-admin-2026", "zhang": "demo-assessor-2026", "li": "demo-assessor-2026",
             "chen": "demo-consultant-2026", "client": "demo-client-2026"}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUDIT_DEMO_DATA", "true")
    from config import settings
    settings.cache_clear()
    yield tmp_path
    settings.cache_clear()


@pytest.fixture
def app(data_dir):
    """The app at its login page."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def sign_in(at, username, password=None):
    at.text_input(key="login-username").set_value(username)
    at.text_input(key="login-password").set_value(password or PASSWORDS[username])
    at.button(key="login-submit").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def signed_in(app):
    return lambda username: sign_in(app, username)


@pytest.fixture
def at(signed_in):
    """Signed in as 陈咨询, the consultant of the demo pre-audit (engagement 1)."""
    return signed_in("chen")


def kept(at, page, key):
    """What a page built and keeps for its download button (ui/page_state.py)."""
    return at.session_state[f"page-{page}"].kept[key]


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def go(at, page, **params):
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def save(at, key, result, **fields):
    """Fill a clause form (`key` is the clause code, or engagement-code in the workspace) and press 保存."""
    at.radio(key=f"result-{key}").set_value(result)
    for name, value in fields.items():
        widget = at.number_input(key=f"{name}-{key}") if name in ("sampled", "nonconforming") \
            else at.text_area(key=f"{name}-{key}") if name == "finding" else at.text_input(key=f"{name}-{key}")
        widget.set_value(value)
    at.button(key=f"save-{key}").click().run()
    assert not at.exception, at.exception
