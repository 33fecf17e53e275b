"""Who is working and on which engagement: the acting person, and the engagement id kept in the URL."""
from __future__ import annotations

import streamlit as st

from accounts.actor import Actor

ENGAGEMENT_PARAM = "engagement"


def actor() -> Actor:
    """The person whose name goes into the history (until accounts arrive, typed in the sidebar)."""
    name = st.session_state.get("actor-name", "").strip() or "评价员"
    return Actor(name=name[:100])


def identity_sidebar() -> None:
    st.sidebar.text_input("当前评价人", key="actor-name", max_chars=100, placeholder="评价员",
                          help="保存评分时记录在修改历史中的姓名")


def engagement_id() -> int | None:
    raw = st.query_params.get(ENGAGEMENT_PARAM) or st.session_state.get("engagement-id")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    st.session_state["engagement-id"] = value
    return value


def open_engagement(engagement: int, page: str) -> None:
    st.session_state["engagement-id"] = engagement
    st.switch_page(page, query_params={ENGAGEMENT_PARAM: str(engagement)})


def require_engagement() -> int:
    """The current engagement id, or stop the page with a pointer to the engagement list."""
    found = engagement_id()
    if found is None:
        st.info("请先在“评价项目”页面打开一个项目。")
        st.page_link("ui/views/engagements.py", label="前往评价项目", icon=":material/folder_open:")
        st.stop()
    st.query_params[ENGAGEMENT_PARAM] = str(found)
    return found
