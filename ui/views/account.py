"""我的账户: who is signed in, and changing one's own password."""
import streamlit as st

from accounts.passwords import MAX_LENGTH, MIN_LENGTH
from accounts.users import change_password
from ui.api_tokens import token_panel
from ui.current import actor
from ui.feedback import flash, show_flashes, shown_errors
from ui.page_state import page_state
from ui.state import db_session
from ui.text import md
from vocabulary import ROLE_LABELS

page = page_state("account")
me = actor()
st.title("我的账户")
st.markdown(f"**{md(me.name)}**（{md(me.username)}） · {ROLE_LABELS.get(me.role, me.role)}")
show_flashes()
with st.form("change-password", enter_to_submit=False):  # not cleared on submit: a refused one keeps what was typed
    st.markdown("**修改密码**")
    current = st.text_input("当前密码", type="password", max_chars=MAX_LENGTH, key="pw-current")
    new = st.text_input(f"新密码（至少 {MIN_LENGTH} 个字符）", type="password", max_chars=MAX_LENGTH, key="pw-new")
    again = st.text_input("再次输入新密码", type="password", max_chars=MAX_LENGTH, key="pw-again")
    if st.form_submit_button("修改", key="pw-submit"):
        if new != again:
            st.error("两次输入的新密码不一致")
        else:
            with shown_errors(), db_session() as s:
                change_password(s, user_id=me.user_id, current=current, new=new, by=me)
                page.show_next({"pw-current": "", "pw-new": "", "pw-again": ""})
                flash("密码已修改", "success")
                st.rerun()
st.divider()
token_panel(me, page)
