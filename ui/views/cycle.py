"""认证周期: a company's cycles (engagements, decisions, certificates) on a timeline, its score per first-level
indicator over its engagements, and its reported changes (变更) with the body's answers."""
import streamlit as st

from accounts.policy import Action
from audits.companies import list_companies
from cycle.changes import reported_changes
from cycle.cycles import cycles_of_company
from cycle.history import company_timeline, indicator_history
from ui.chinese import CHOOSE
from ui.current import actor, may
from ui.cycle_parts import answer_forms, changes_table, charts, engagement_table, report_form
from ui.feedback import show_flashes, shown_errors
from ui.page_state import page_state
from ui.state import db_session, tree_registry

page = page_state("cycle")
st.title("认证周期")
show_flashes()
with shown_errors(stop=True), db_session() as s:
    companies = {c.id: c for c in list_companies(s, by=actor())}
if not companies:
    st.info("没有您可查看的企业。")
    st.stop()
chosen = st.selectbox("企业", list(companies), index=0 if len(companies) == 1 else None, key="cy-company",
                      format_func=lambda i: companies[i].name, placeholder=CHOOSE)
if chosen is None:
    st.stop()
with shown_errors(stop=True), db_session() as s:
    seen = cycles_of_company(s, chosen, by=actor())
    spans = company_timeline(s, seen, by=actor(), trees=tree_registry())
    scored = indicator_history(s, seen, by=actor(), trees=tree_registry())
    changes = reported_changes(s, chosen, by=actor())
    may_report = may(s, Action.REPORT_CHANGE, company_id=chosen)
    may_answer = may(s, Action.MANAGE_CERTIFICATES, company_id=chosen) or may(s, Action.MANAGE_COMPANIES,
                                                                             company_id=chosen)

engagement_table(seen)
charts(spans, scored)
st.subheader("企业变更")
st.caption("企业名称、统一社会信用代码、地址，管理层、组织机构、设施或流程的重大变化，以及认证的服务范围的变化，"
           "在此登记并由认证机构处理；持有证书的企业修改名称、信用代码或地址须经此处，证书随之更新。")
changes_table(changes)
if may_answer:
    answer_forms(page, changes, seen)
if may_report:
    report_form(page, companies[chosen])
