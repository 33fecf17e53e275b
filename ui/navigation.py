"""The app's pages, in the order the sidebar shows them."""
import streamlit as st

VIEWS = "ui/views"


def pages() -> list:
    return [
        st.Page(f"{VIEWS}/engagements.py", title="评价项目", icon=":material/folder_open:", url_path="engagements",
                default=True),
        st.Page(f"{VIEWS}/workspace.py", title="评分工作台", icon=":material/edit_note:", url_path="workspace"),
        st.Page(f"{VIEWS}/dashboard.py", title="仪表板", icon=":material/monitoring:", url_path="dashboard"),
        st.Page(f"{VIEWS}/criteria_browser.py", title="指标树", icon=":material/account_tree:", url_path="criteria"),
        st.Page(f"{VIEWS}/quick_score.py", title="快速试评", icon=":material/calculate:", url_path="quick"),
    ]
