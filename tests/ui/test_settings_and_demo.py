"""The app checks its settings at start, and creates the demo accounts only in demo mode, saying so while they
keep their published passwords."""
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, ROOT, sign_in

NOTICE = "仍在使用 README 中公开的密码"


def start(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from config import settings
    settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def test_a_bad_setting_stops_the_app_with_the_settings_name_and_the_problem(data_dir, monkeypatch):
    at = start(monkeypatch, AUDIT_TIMEZONE="Mars/Base", AUDIT_MAX_UPLOAD_MB="0")
    assert not at.exception
    message = at.error[0].value
    assert "AUDIT_TIMEZONE" in message and "Mars/Base" in message and "AUDIT_MAX_UPLOAD_MB" in message
    assert not at.text_input  # no login form: nothing ran past the check


def test_the_settings_check_exits_2_with_the_list_of_bad_settings(tmp_path):
    env = {"AUDIT_TIMEZONE": "Nowhere/City", "AUDIT_DATA_DIR": str(tmp_path), "PATH": ""}
    out = subprocess.run([sys.executable, "-m", "config"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 2 and "AUDIT_TIMEZONE" in out.stderr and "Nowhere/City" in out.stderr


def test_without_demo_mode_no_demo_account_exists(data_dir, monkeypatch):
    at = start(monkeypatch, AUDIT_DEMO_DATA="false")
    assert not any(NOTICE in w.value for w in at.sidebar.warning)
    sign_in(at, "admin")
    assert at.error and not at.sidebar.button  # refused: the account does not exist


def test_in_demo_mode_a_notice_says_the_demo_passwords_are_public(app):
    assert any(NOTICE in w.value and "admin" in w.value for w in app.sidebar.warning)
