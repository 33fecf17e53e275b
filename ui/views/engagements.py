"""评价项目: list and filter engagements, open one, register companies and sites, create engagements."""
import streamlit as st

from accounts.policy import Action
from audits.companies import list_companies
from audits.engagements import get_engagement, list_engagements
from ui.attention import my_due_items
from ui.chinese import CHOOSE
from ui.current import actor, may, open_engagement
from ui.engagement_forms import creation_tabs
from ui.feedback import show_flashes
from ui.nc_attention import attention_list
from ui.page_state import page_state
from ui.state import db_session
from ui.text import md
from vocabulary import KIND_LABELS, STATUS_LABELS, Limit

WORKSPACE, DASHBOARD = "ui/views/workspace.py", "ui/views/dashboard.py"
PAGE_SIZE = 30

page = page_state("engagements")
st.title("评价项目")
show_flashes()
my_due_items()
attention_list()
with db_session() as s:
    companies = list_companies(s, by=actor())
    by_id = {c.id: c.name + ("" if c.active else "（已停用）") for c in companies}
    left, middle, right, search = st.columns([2, 1, 1, 2])
    company = left.selectbox("企业", [None, *by_id], format_func=lambda i: "全部企业" if i is None else by_id[i],
                             key="filter-company", placeholder=CHOOSE)
    kind = middle.selectbox("类型", [None, *KIND_LABELS], format_func=lambda k: KIND_LABELS.get(k, "全部类型"),
                            key="filter-kind", placeholder=CHOOSE)
    status = right.selectbox("状态", [None, *STATUS_LABELS], format_func=lambda k: STATUS_LABELS.get(k, "全部状态"),
                             key="filter-status", placeholder=CHOOSE)
    text = search.text_input("搜索企业或项目名称", max_chars=Limit.NAME, key="filter-text")
    rows = list_engagements(s, by=actor(), company_id=company, kind=kind, status=status, text=text)
    rates = {r.engagement.id for r in rows[:PAGE_SIZE] if may(s, Action.RATE, engagement=r.engagement)}

if not rows:
    st.info("没有符合条件的评价项目。")
for row in rows[:PAGE_SIZE]:
    e = row.engagement
    with st.container(border=True):
        info, progress, buttons = st.columns([4, 2, 2], vertical_alignment="center")
        info.markdown(f"**{md(row.company_name)}** · {KIND_LABELS.get(e.kind, e.kind)} · {md(e.title)}  \n"
                      f":gray[{STATUS_LABELS.get(e.status, e.status)} · {e.start_date or '未定'} 至 {e.end_date or '未定'}"
                      f" · 项目编号 {e.id}]")
        progress.progress(row.rated / row.applicable_clauses if row.applicable_clauses else 0,
                          text=f"已评 {row.rated}/{row.applicable_clauses}")
        if e.id in rates and buttons.button("评分", key=f"open-{e.id}", icon=":material/edit_note:"):
            open_engagement(e.id, WORKSPACE)
        if buttons.button("仪表板", key=f"dash-{e.id}", icon=":material/monitoring:"):
            open_engagement(e.id, DASHBOARD)
if len(rows) > PAGE_SIZE:
    st.caption(f"仅显示最新的 {PAGE_SIZE} 个项目（共 {len(rows)} 个），请用筛选缩小范围。")

created = creation_tabs(page)
if created:
    with db_session() as s:  # whoever may rate it starts in the workspace, the others on its dashboard
        rates_it = may(s, Action.RATE, engagement=get_engagement(s, created, by=actor()))
    open_engagement(created, WORKSPACE if rates_it else DASHBOARD)
