"""企业与场所 (administrators): the client companies and their sites, edited and deactivated with their history."""
import streamlit as st

from audits.companies import company_history, holds_certificate, list_companies, list_sites
from ui.chinese import CHOOSE
from ui.company_forms import (
    active_button,
    choose_site,
    company_form,
    company_table,
    history_table,
    new_site_form,
    site_form,
    site_table,
)
from ui.current import actor
from ui.feedback import show_flashes, shown_errors
from ui.page_state import page_state
from ui.state import db_session

page = page_state("companies")
st.title("企业与场所")
show_flashes()
with shown_errors(stop=True), db_session() as s:
    companies = {c.id: c for c in list_companies(s, by=actor())}
company_table(list(companies.values()))
st.caption("停用的企业保留原有评价项目，但不能新建项目；停用的场所保留在原有记录中，但不再供新证据选择。"
           "新企业在“评价项目”页面登记。")
chosen = st.selectbox("企业", list(companies), index=None, key="cm-company", placeholder=CHOOSE,
                      format_func=lambda i: companies[i].name + ("" if companies[i].active else "（已停用）"))
if chosen is None:
    st.stop()
company = companies[chosen]
with shown_errors(stop=True), db_session() as s:
    sites = list_sites(s, company.id, by=actor())
    history = company_history(s, company.id, by=actor())
    certified = holds_certificate(s, company.id)

details, places, changes = st.tabs(["企业信息", "场所", "修改记录"])
with details:
    company_form(page, company, certified=certified)
    active_button(company, what="企业")
with places:
    site_table(sites)
    site = choose_site(sites, company)
    if site is not None:
        site_form(page, site)
        active_button(site, what="场所")
    new_site_form(page, company)
with changes:
    history_table(history)
