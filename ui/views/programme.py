"""到期事项 (administrators as programme managers, decision makers): what is due and overdue across companies,
filtered, charted per month and downloaded as Excel; below it, the regulator's monthly sheets."""
import streamlit as st

from cycle.due import filtered, programme_items
from timefmt import local_today
from ui.chinese import CHOOSE_MANY, PLOTLY_CONFIG, table
from ui.current import actor
from ui.due_parts import per_month_chart, table_rows, workbook
from ui.feedback import show_flashes, shown_errors
from ui.page_state import page_state
from ui.regulator_panel import regulator_panel
from ui.state import db_session, tree_registry
from vocabulary import DUE_KIND_LABELS, DUE_STATE_LABELS, DueState

HORIZON_DAYS = 60

page = page_state("programme")
st.title("到期事项")
show_flashes()
today = local_today()
with shown_errors(stop=True), db_session() as s:
    items = programme_items(s, by=actor(), today=today, horizon_days=HORIZON_DAYS, trees=tree_registry())
companies = dict(sorted({(i.company_id, i.company) for i in items}, key=lambda c: c[1]))

kind_column, company_column, state_column = st.columns(3)
kinds = kind_column.multiselect("类型", list(DUE_KIND_LABELS), format_func=DUE_KIND_LABELS.get, key="due-kinds",
                                placeholder=CHOOSE_MANY)
chosen = company_column.multiselect("企业", list(companies), format_func=companies.get, key="due-companies",
                                    placeholder=CHOOSE_MANY)
states = state_column.multiselect("状态", list(DUE_STATE_LABELS), format_func=DUE_STATE_LABELS.get,
                                  key="due-states", placeholder=CHOOSE_MANY)
since_column, until_column, _ = st.columns(3)
since = since_column.date_input("到期日从", value=None, key="due-since", format="YYYY-MM-DD")
until = until_column.date_input("到期日至", value=None, key="due-until", format="YYYY-MM-DD")
shown = filtered(items, kinds=kinds, company_ids=chosen, states=states, since=since, until=until)

overdue = sum(1 for i in shown if i.state == DueState.OVERDUE)
st.caption(f"今天 {today}：列出已逾期、应办理和 {HORIZON_DAYS} 天内到期的事项（监督评价从其时间窗口开启前 "
           f"{HORIZON_DAYS} 天起列出）。当前显示 {len(shown)} 项，其中已逾期 {overdue} 项。")
table(table_rows(shown), empty="没有符合条件的到期事项。", key="due-table",
      column_config={"到期日": st.column_config.DateColumn(format="YYYY-MM-DD")})
if shown:
    st.plotly_chart(per_month_chart(shown), key="due-chart", config=PLOTLY_CONFIG)
    st.download_button("下载 Excel（当前筛选结果）", lambda: workbook(shown), file_name=f"到期事项-{today}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="due-download", icon=":material/download:")  # the workbook is built on the click

regulator_panel(page, today)
