"""我的账户: who is signed in, and changing one's own password."""
import streamlit as st

from accounts.users import change_password
from ui.current import actor
from ui.feedback import show_flashes, shown_errors
from ui.state import db_session
from vocabulary import ROLE_LABELS

me = actor()
st.title("我的账户")
st.markdown(f"**{me.name}**（{me.username}） · {ROLE_LABELS.get(me.role, me.role)}")
show_flashes()
with st.form("change-password", clear_on_submit=True):
    st.markdown("**修改密码**")
    current = st.text_input("当前密码", type="password", key="pw-current")
    new = st.text_input("新密码（至少 10 个字符）", type="password", key="pw-new")
    again = st.text_input("再次输入新密码", type="password", key="pw-again")
    if st.form_submit_button("修改", key="pw-submit"):
        if new != again:
            st.error("两次输入的新密码不一致")
        else:
            with shown_errors(), db_session() as s:
                change_password(s, user_id=me.user_id, current=current, new=new, by=me)
                st.success("密码已修改")
