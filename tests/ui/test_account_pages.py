"""AppTest: the login gate, the administrator's user and audit-log pages, and changing one's password."""
from accounts.users import authenticate
from tests.ui.conftest import go, sign_in


def page_titles(at):
    return [t.value for t in at.title]


def test_the_app_shows_only_the_login_page_until_someone_signs_in(app):
    assert page_titles(app) == ["GB/T 27922 售后服务评价"]
    assert not app.metric and not [b for b in app.button if b.key and b.key.startswith("open-")]


def test_a_wrong_password_gets_the_same_message_as_an_unknown_user(app):
    sign_in(app, "zhang", "wrong password 1")
    wrong = [e.value for e in app.error]
    sign_in(app, "nobody-here", "wrong password 1")
    assert wrong == [e.value for e in app.error] and "用户名或密码错误" in wrong[0]


def test_an_administrator_creates_a_user_who_can_then_log_in(signed_in):
    at = go(signed_in("admin"), "ui/views/users.py")
    at.text_input(key="nu-username").set_value("zhou")
    at.text_input(key="nu-name").set_value("周审查")
    at.selectbox(key="nu-role").set_value("assessor")
    at.text_input(key="nu-password").set_value("zhou-initial-pass")
    at.button(key="nu-submit").click().run()
    assert any("已创建用户 zhou" in s.value for s in at.success)
    from config import settings
    from db import engine_for, session
    with session(engine_for(settings().effective_database_url)) as s:
        assert authenticate(s, "zhou", "zhou-initial-pass").display_name == "周审查"


def test_a_refused_new_user_keeps_what_was_typed_and_a_created_one_clears_the_form(signed_in):
    at = go(signed_in("admin"), "ui/views/users.py")
    at.text_input(key="nu-username").set_value("wu")
    at.text_input(key="nu-name").set_value("吴审查")
    at.selectbox(key="nu-role").set_value("assessor")
    at.text_input(key="nu-password").set_value("short")
    at.button(key="nu-submit").click().run()
    assert any("密码至少" in e.value for e in at.error) and "wu" not in stored_users()
    at.text_input(key="nu-password").set_value("wu-initial-pass")  # only the refused field is typed again
    at.button(key="nu-submit").click().run()
    assert any("已创建用户 wu" in s.value for s in at.success)
    created = stored_users()["wu"]
    assert (created.display_name, created.role) == ("吴审查", "assessor")
    assert [at.text_input(key=k).value for k in ("nu-username", "nu-name", "nu-password")] == ["", "", ""]


def stored_users():
    from accounts.users import list_users
    from config import settings
    from db import engine_for, session
    from tests.factories import actor
    with session(engine_for(settings().effective_database_url)) as s:
        return {u.username: u for u in list_users(s, by=actor())}


def test_editing_a_user_shows_their_own_role_and_company_and_stays_on_them(signed_in):
    at = go(signed_in("admin"), "ui/views/users.py")
    users = stored_users()
    client, li = users["client"], users["li"]
    at.selectbox(key="eu-user").set_value(client.id).run()
    assert at.selectbox(key=f"eu-role-{client.id}").value == "client"
    assert at.selectbox(key=f"eu-company-{client.id}").value == client.company_id is not None
    at.selectbox(key="eu-user").set_value(li.id).run()
    assert at.selectbox(key=f"eu-role-{li.id}").value == "assessor"
    assert at.selectbox(key=f"eu-company-{li.id}").value is None
    at.button(key=f"eu-active-{li.id}").click().run()  # disabling li must not move the page to someone else
    assert any("已停用" in m.value for m in at.success)
    assert at.selectbox(key="eu-user").value == li.id and not stored_users()["li"].active
    assert at.button(key=f"eu-active-{li.id}").label == "启用账户"


def test_the_audit_log_shows_logins_and_refusals(signed_in):
    at = signed_in("client")
    go(at, "ui/views/dashboard.py", engagement=3)  # another company's engagement: refused and logged
    at.button(key="logout").click().run()
    sign_in(at, "admin")
    go(at, "ui/views/audit_log.py")
    log = at.dataframe[0].value
    assert {"登录", "拒绝访问", "退出"} <= set(log["事件"])
    assert "client" in set(log[log["事件"] == "拒绝访问"]["用户"])


def test_a_user_changes_their_password(signed_in):
    at = go(signed_in("zhang"), "ui/views/account.py")
    at.text_input(key="pw-current").set_value("demo-assessor-2026")
    at.text_input(key="pw-new").set_value("a-brand-new-secret")
    at.text_input(key="pw-again").set_value("a-brand-new-secret")
    at.button(key="pw-submit").click().run()
    assert any("密码已修改" in s.value for s in at.success)


def test_a_client_is_not_offered_the_scoring_workspace(signed_in):
    at = signed_in("client")
    assert not [b for b in at.button if b.key and b.key.startswith("open-")]
    assert {b.key for b in at.button if b.key and b.key.startswith("dash-")} == {"dash-1", "dash-2"}
