"""AppTest: 我的账户 · API 令牌: a token is created and shown once, its use shows, its owner revokes it; an
administrator sees every user's tokens."""
from sqlmodel import select

from accounts.models import User
from accounts.token_models import ApiToken
from accounts.tokens import create_token, token_actor
from accounts.users import actor_of
from config import settings
from db import engine_for, session
from tests.ui.conftest import go


def stored(secret=None):
    with session(engine_for(settings().effective_database_url)) as s:
        if secret:
            token_actor(s, secret)
        return list(s.exec(ApiToken.__table__.select()))


def test_a_token_is_shown_once_then_used_and_revoked(signed_in):
    at = go(signed_in("zhang"), "ui/views/account.py")
    at.button(key="token-submit").click().run()
    assert any("令牌名称" in e.value for e in at.error) and not stored()
    at.text_input(key="token-name").set_value("数据看板")
    at.button(key="token-submit").click().run()
    assert not at.exception
    secret = at.code[0].value
    assert secret.startswith("gbt_") and any("无法再次查看" in w.value for w in at.warning)
    assert at.text_input(key="token-name").value == ""
    [row] = stored(secret)
    at.run()
    assert not at.code and any("数据看板" in m.value and "最近使用" in m.value for m in at.markdown)
    at.button(key=f"token-revoke-{row.id}").click().run()
    assert stored()[0].revoked_at is not None
    assert any("已撤销" in m.value for m in [*at.markdown, *at.success])


def test_an_administrator_sees_every_users_tokens(signed_in):
    admin = go(signed_in("admin"), "ui/views/account.py")
    with session(engine_for(settings().effective_database_url)) as s:
        zhang = s.exec(select(User).where(User.username == "zhang")).one()
        create_token(s, name="审查员的令牌", by=actor_of(zhang))
    [row] = stored()
    admin.run()
    assert any("审查员的令牌" in m.value for m in admin.expander[0].markdown)
    admin.button(key=f"token-revoke-{row.id}").click().run()
    assert stored()[0].revoked_by == "admin"
