"""The login gate: local accounts (argon2) or optional single sign-on, sessions that survive a reload, logout.

The browser holds a random session token in a cookie; the server keeps its hash and ends the session after
the idle timeout, on logout, or when the user is disabled, checking on every run. Served through serve.py, the
cookie is set by the server's answer to /auth/session (web/routes.py), which the page sends the browser to with
a one-time code right after signing in; run without those routes, the page writes the cookie itself.
"""
from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from accounts.actor import Actor
from accounts.audit_log import Event, record
from accounts.models import User
from accounts.passwords import MAX_LENGTH
from accounts.sessions import end_session, resume_session, start_handoff, start_session
from accounts.users import actor_of, authenticate, sso_login
from config import settings
from errors import LoginFailed
from ui.state import db_session
from ui.text import longest, md
from web import routes
from web.routes import COOKIE

TOKEN, USER, SET_COOKIE, HANDOFF = "session-token", "signed-in", "set-cookie", "handoff-code"


def signed_in() -> Actor | None:
    return st.session_state.get(USER)


def sign_in_gate() -> Actor:
    """The signed-in actor; otherwise draw the login page and stop the script."""
    token = st.session_state.get(TOKEN) or _cookie()
    user = _resume(token) if token else None
    if user is None and st.session_state.get(TOKEN):
        _forget(st.session_state.get(USER), Event.IDLE_LOGOUT)
        st.session_state["login-notice"] = "登录已过期（长时间未操作或账户已停用），请重新登录。"
    if user is None:
        user = _sso_user()
    if user is None:
        _login_page()
        st.stop()
    st.session_state[USER] = actor_of(user)
    if code := st.session_state.pop(HANDOFF, None):
        _go(f"/auth/session?code={code}&next={quote(_here(), safe='')}")
        st.info("正在登录…")
        st.markdown(f"若页面未自动跳转，请[点此继续](/auth/session?code={code}&next={quote(_here(), safe='')})。")
        st.stop()  # nothing signed in is drawn until the browser comes back holding its cookie
    if st.session_state.pop(SET_COOKIE, False):
        _write_cookie(st.session_state[TOKEN])
    return st.session_state[USER]


def _cookie() -> str | None:
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and 20 <= len(value) <= 100 else None


def _resume(token: str) -> User | None:
    with db_session() as s:
        user = resume_session(s, token, idle=timedelta(minutes=settings().idle_minutes))
    if user is not None:
        st.session_state[TOKEN] = token
    return user


def _login_page() -> None:
    st.title("GB/T 27922 售后服务评价")
    if notice := st.session_state.pop("login-notice", None):
        st.info(notice)
    if st.session_state.pop("clear-cookie", False):
        if routes.ACTIVE:
            _go("/auth/logout")
        else:
            _write_cookie("", max_age=0)
    with st.form("login"):
        username = st.text_input("用户名", max_chars=longest(User, "username"), key="login-username")
        password = st.text_input("密码", type="password", max_chars=MAX_LENGTH, key="login-password")
        if st.form_submit_button("登录", type="primary", key="login-submit"):
            try:
                with db_session() as s:
                    _start(s, authenticate(s, username, password))
                st.rerun()
            except LoginFailed as exc:
                st.error(exc.message)
    if _sso_configured():
        st.button("使用单点登录", on_click=st.login, key="sso-login")


def _start(session, user: User) -> None:
    if routes.ACTIVE:
        st.session_state[TOKEN], st.session_state[HANDOFF] = start_handoff(session, user)
    else:
        st.session_state[TOKEN] = start_session(session, user)
        st.session_state[SET_COOKIE] = True


def _here() -> str:
    """The page the user signed in on (path and query), to come back to."""
    query = urlencode(st.query_params.to_dict())
    return urlsplit(st.context.url or "/").path + (f"?{query}" if query else "")


def _go(path: str) -> None:
    """Send the browser to one of the server's own routes (a navigation; the cookie is the server's to set)."""
    st.html(f"<script>window.location.replace({json.dumps(path)});</script>", unsafe_allow_javascript=True)


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _sso_user() -> User | None:
    if not _sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    try:
        with db_session() as s:
            user = sso_login(s, subject=str(st.user.get("sub", "")), email=str(st.user.get("email", "")))
            _start(s, user)
            return user
    except LoginFailed as exc:
        st.error(exc.message)
        st.button("退出单点登录", on_click=st.logout)
        st.stop()


def _write_cookie(token: str, max_age: int | None = None) -> None:
    age = f"; max-age={max_age}" if max_age is not None else ""
    st.html(f"<script>document.cookie = '{COOKIE}={token}; path=/; SameSite=Strict{age}';</script>",
            unsafe_allow_javascript=True)


def _forget(actor: Actor | None, event: str) -> None:
    token = st.session_state.get(TOKEN)
    with db_session() as s:
        if token:
            end_session(s, token)
        if actor is not None:
            record(s, username=actor.username or actor.name, action=event)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["clear-cookie"] = True


def logout_sidebar(actor: Actor) -> None:
    st.sidebar.caption(f"当前用户：{md(actor.name)}")
    if st.sidebar.button("退出登录", key="logout", icon=":material/logout:"):
        _forget(actor, Event.LOGOUT)
        if _sso_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.session_state["login-notice"] = "您已退出登录。"
        st.rerun()
