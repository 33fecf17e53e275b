"""Streamlit entry: page setup, who is working, and navigation; every page lives in ui/views."""
import streamlit as st

from ui.current import identity_sidebar
from ui.navigation import pages

st.set_page_config(page_title="GB/T 27922 售后服务评价", page_icon=":material/star:", layout="wide")
identity_sidebar()
st.navigation(pages()).run()
