"""The list of what needs the signed-in user's attention, at the top of the engagement list."""
import streamlit as st

from nonconformities.attention import attention
from ui.current import actor
from ui.state import db_session
from ui.text import md


def attention_list() -> None:
    with db_session() as s:
        items = attention(s, by=actor())
    if not items:
        return
    with st.container(border=True):
        st.markdown(f"**需要您处理的事项（{len(items)}）**")
        for item in items[:10]:
            nc = item.row
            st.markdown(f":material/notifications: NC-{nc.number:02d} · {md(item.row.company)} · "
                        f"{md(nc.code or '特别扣分')}：{md(item.reason)}")
        st.page_link("ui/views/nonconformities.py", label="前往不符合项", icon=":material/report:")
