"""我的账户 · API 令牌: create a named token (shown once), see each token's last use, revoke; an administrator
also sees and revokes every user's tokens."""
from __future__ import annotations

import streamlit as st

from accounts.access import permits
from accounts.actor import Actor
from accounts.policy import Action
from accounts.token_models import TOKEN_NAME_LENGTH
from accounts.tokens import TokenRow, create_token, list_tokens, revoke_token
from timefmt import local_time
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session
from ui.text import md

JUST_MADE = "token-just-made"  # kept for one draw: the token is never shown again


def token_panel(me: Actor, page: PageState) -> None:
    st.markdown("**API 令牌**")
    st.caption("令牌用于其他系统以您的身份只读调用接口（/api/v1，接口说明见 /api/v1/openapi.json），权限与您的账户相同；"
               "账户停用后令牌随即失效。令牌只在创建时显示一次。")
    made = page.kept.pop(JUST_MADE, None)
    if made:
        st.warning("请立即复制并妥善保存此令牌，关闭或刷新页面后将无法再次查看。")
        st.code(made, language=None)
    with st.form("token-create", enter_to_submit=False):
        name = st.text_input("令牌名称（用途或调用的系统）", max_chars=TOKEN_NAME_LENGTH, key="token-name")
        if st.form_submit_button("创建令牌", key="token-submit"):
            with shown_errors(), db_session() as s:
                _, secret = create_token(s, name=name, by=me)
                page.kept[JUST_MADE] = secret
                page.show_next({"token-name": ""})
                st.rerun()
    with db_session() as s:
        mine = list_tokens(s, by=me)
        everyone = list_tokens(s, by=me, everyone=True) if permits(s, me, Action.MANAGE_USERS) else []
    _token_rows(me, mine, owner=False)
    if everyone:
        with st.expander("所有用户的令牌（管理员）"):
            _token_rows(me, [t for t in everyone if t.user_id != me.user_id], owner=True)


def _token_rows(me: Actor, tokens: list[TokenRow], *, owner: bool) -> None:
    if not tokens:
        st.caption("暂无令牌")
    for token in tokens:
        left, right = st.columns([5, 1])
        used = local_time(token.last_used_at) if token.last_used_at else "从未使用"
        state = f"已于 {local_time(token.revoked_at)} 由 {md(token.revoked_by or '')} 撤销" if token.revoked_at \
            else f"最近使用：{used}"
        who = f"{md(token.username)} · " if owner else ""
        left.markdown(f"{who}**{md(token.name)}** `{token.prefix}…` · 创建于 {local_time(token.created_at)} · {state}")
        if token.revoked_at is None and right.button("撤销", key=f"token-revoke-{token.id}"):
            with shown_errors(), db_session() as s:
                revoke_token(s, token_id=token.id, by=me)
                flash(f"令牌“{token.name}”已撤销", "success")
                st.rerun()
