"""The app's pages, in the order the sidebar shows them."""
import streamlit as st

VIEWS = "ui/views"


def pages() -> list:
    return [
        st.Page(f"{VIEWS}/quick_score.py", title="快速评分", icon=":material/edit_note:", url_path="quick", default=True),
        st.Page(f"{VIEWS}/criteria_browser.py", title="指标树", icon=":material/account_tree:", url_path="criteria"),
    ]
