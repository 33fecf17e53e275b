"""Accounts: creating users, logging in, lock-out, passwords never in clear, sessions, the append-only log."""
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, select

import accounts.users as users_module
from accounts.audit_log import Event
from accounts.models import AuditEvent, User
from accounts.sessions import end_session, resume_session, start_session
from accounts.users import (
    LOGIN_FAILED,
    MAX_FAILURES,
    actor_of,
    authenticate,
    change_password,
    create_user,
    set_active,
    sso_login,
)
from errors import InvalidInput, LoginFailed
from records.models import utcnow
from tests.factories import actor

SYSTEM = actor("系统")
PASSWORD = "correct horse 42"


@pytest.fixture
def zhang(db):
    return create_user(db, username="zhang", display_name="张审查", role="assessor", password=PASSWORD, by=SYSTEM)


def events(db, action):
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("fields, message", [
    ({"username": "a"}, "用户名"),
    ({"username": "../etc"}, "用户名"),
    ({"display_name": " "}, "姓名"),
    ({"role": "root"}, "角色无效"),
    ({"role": "client"}, "企业用户必须属于"),
    ({"password": "short"}, "至少 10 个字符"),
    ({"password": "zhangsan01", "username": "zhangsan01"}, "不能与用户名相同"),
    ({"password": "aaaaaaaaaaaa"}, "过于简单"),
])
def test_a_bad_new_user_is_refused(db, fields, message):
    data = {"username": "zhangsan", "display_name": "张三", "role": "assessor", "password": PASSWORD} | fields
    with pytest.raises(InvalidInput, match=message):
        create_user(db, by=SYSTEM, **data)
    assert db.exec(select(User)).all() == []


def test_login_succeeds_with_the_right_password_and_is_logged(db, zhang):
    assert authenticate(db, "zhang", PASSWORD).id == zhang.id
    assert [e.username for e in events(db, Event.LOGIN)] == ["zhang"]


def test_a_wrong_password_and_an_unknown_user_take_the_same_path_and_message(db, zhang, monkeypatch):
    checked = []
    real = users_module.verify_password
    monkeypatch.setattr(users_module, "verify_password", lambda h, p: checked.append(h) or real(h, p))
    messages = []
    for username in ("zhang", "nobody"):
        with pytest.raises(LoginFailed) as failed:
            authenticate(db, username, "wrong password!")
        messages.append(failed.value.message)
    assert messages == [LOGIN_FAILED, LOGIN_FAILED]
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)
    assert [e.username for e in events(db, Event.LOGIN_FAILED)] == ["zhang", "nobody"]


def test_repeated_failures_lock_the_account_for_a_while(db, zhang):
    now = utcnow()
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            authenticate(db, "zhang", "wrong password!", now=now)
    with pytest.raises(LoginFailed) as locked:
        authenticate(db, "zhang", PASSWORD, now=now + timedelta(minutes=1))
    assert locked.value.message == LOGIN_FAILED
    assert authenticate(db, "zhang", PASSWORD, now=now + timedelta(minutes=16)).id == zhang.id


def test_a_disabled_user_cannot_log_in(db, zhang):
    set_active(db, user_id=zhang.id, active=False, by=SYSTEM)
    with pytest.raises(LoginFailed):
        authenticate(db, "zhang", PASSWORD)


def test_passwords_are_never_stored_or_logged_in_clear(db, zhang):
    with pytest.raises(LoginFailed):
        authenticate(db, "zhang", "another secret 99")
    change_password(db, user_id=zhang.id, current=PASSWORD, new="new secret phrase 7", by=actor_of(zhang))
    dump = " ".join(str(row) for table in SQLModel.metadata.sorted_tables
                    for row in db.connection().execute(text(f'SELECT * FROM "{table.name}"')))
    for secret in (PASSWORD, "another secret 99", "new secret phrase 7"):
        assert secret not in dump
    assert db.get(User, zhang.id).password_hash.startswith("$argon2id$")


def test_changing_a_password_needs_the_current_one(db, zhang):
    with pytest.raises(InvalidInput, match="当前密码不正确"):
        change_password(db, user_id=zhang.id, current="guess guess 1", new="new secret phrase 7", by=actor_of(zhang))
    assert authenticate(db, "zhang", PASSWORD)


@pytest.mark.parametrize("statement", ["UPDATE auditevent SET username = 'x'", "DELETE FROM auditevent",
                                       "UPDATE ratingchange SET changed_by = 'x'", "DELETE FROM ratingchange"])
def test_the_logs_are_append_only_in_the_database(db, zhang, statement):
    authenticate(db, "zhang", PASSWORD)
    if "ratingchange" in statement:
        from audits.ratings import RatingEntry, rate_clause
        from tests.factories import default_tree, make_engagement
        e = make_engagement(db)
        rate_clause(db, engagement_id=e.id, code="5.1.1.1", entry=RatingEntry("conform"), expected_version=0,
                    tree=default_tree(), by=SYSTEM)
    with pytest.raises(DBAPIError, match="append-only"):
        db.connection().execute(text(statement))
    db.rollback()


def test_a_session_survives_until_idle_logout_or_disabling(db, zhang):
    token = start_session(db, zhang)
    assert resume_session(db, token, idle=timedelta(minutes=30)).id == zhang.id
    assert resume_session(db, token, idle=timedelta(minutes=30), now=utcnow() + timedelta(minutes=31)) is None
    assert resume_session(db, token, idle=timedelta(minutes=30)) is None  # an expired session stays dead
    second = start_session(db, zhang)
    end_session(db, second)
    assert resume_session(db, second, idle=timedelta(minutes=30)) is None
    third = start_session(db, zhang)
    set_active(db, user_id=zhang.id, active=False, by=SYSTEM)
    assert resume_session(db, third, idle=timedelta(minutes=30)) is None
    assert resume_session(db, "made-up-token", idle=timedelta(minutes=30)) is None


def test_single_sign_on_maps_onto_a_local_account_by_email_then_by_subject(db):
    user = create_user(db, username="wang@example.com", display_name="王", role="assessor", password=PASSWORD,
                       by=SYSTEM)
    assert sso_login(db, subject="oidc|123", email="wang@example.com").id == user.id
    assert sso_login(db, subject="oidc|123", email="changed@example.com").id == user.id
    with pytest.raises(LoginFailed, match="未在本系统开通"):
        sso_login(db, subject="oidc|999", email="stranger@example.com")
