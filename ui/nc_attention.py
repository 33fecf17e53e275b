"""The list of what needs the signed-in user's attention, at the top of the engagement list; each item opens
its nonconformity on the nonconformity page."""
import streamlit as st

from nonconformities.attention import attention
from ui.current import actor
from ui.state import db_session
from ui.text import md

NC_PAGE, NC_PARAM = "ui/views/nonconformities.py", "nc"
SHOWN = 10


def attention_list() -> None:
    with db_session() as s:
        items = attention(s, by=actor())
    if not items:
        return
    with st.container(border=True, gap="small"):
        st.markdown(f"**需要您处理的事项（{len(items)}）**")
        for item in items[:SHOWN]:
            nc = item.row
            label = (f"NC-{nc.number:02d} · {md(nc.company)} · {md(nc.engagement_title)} · "  # labels are markdown
                     f"{md(nc.code) if nc.code else '特别扣分'}：{md(item.reason)}")
            if st.button(label, key=f"attention-{nc.id}", type="tertiary", icon=":material/notifications:"):
                st.switch_page(NC_PAGE, query_params={NC_PARAM: str(nc.id)})
        if len(items) > SHOWN:
            st.caption(f"另有 {len(items) - SHOWN} 项，请在不符合项页面查看。")
        st.page_link(NC_PAGE, label="前往不符合项", icon=":material/report:")
