"""Streamlit entry: page setup, the login gate, and the pages the signed-in role may use (ui/views)."""
import streamlit as st

from ui.auth import logout_sidebar, sign_in_gate
from ui.chinese import chinese_frame
from ui.current import run_reads
from ui.navigation import pages
from ui.notices import demo_accounts_notice, schema_or_stop, settings_or_stop

st.set_page_config(page_title="GB/T 27922 售后服务评价", page_icon=":material/star:", layout="wide")
chinese_frame()
with run_reads():  # who acts, and their team roles, are read once in this run, not once per panel
    settings_or_stop()
    schema_or_stop()
    demo_accounts_notice()
    actor = sign_in_gate()
    logout_sidebar(actor)
    st.navigation(pages(actor.role), expanded=True).run()  # every page listed: no "View N more"
