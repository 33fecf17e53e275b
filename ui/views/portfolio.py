"""客户总览: the consultant's clients on one page: readiness, the predicted score, open and overdue tasks, the next
audit; and, for a client the certification body has decided on, the prediction beside its result."""
import streamlit as st

from readiness.portfolio import portfolio, predicted_against_actual
from timefmt import local_today
from ui.chinese import PLOTLY_CONFIG, table
from ui.current import actor
from ui.feedback import shown_errors
from ui.readiness_charts import predicted_against_actual as comparison_chart
from ui.state import db_session, tree_registry

st.title("客户总览")
with shown_errors(stop=True), db_session() as s:
    rows = portfolio(s, tree_registry(), by=actor(), today=local_today())
table([{"企业": r.company, "预评价": f"项目 {r.pre_audit_id}" if r.pre_audit_id else "—",
        "条款就绪率": "" if r.ready_share is None else f"{r.ready_share:.0f}%", "预计得分": r.predicted,
        "未完成任务": r.open_tasks, "逾期任务": r.overdue,
        "下次评价": f"{r.next_audit.isoformat()}（{r.next_audit_what}）" if r.next_audit else "—"} for r in rows],
      empty="尚未分配客户企业。", key="pf-table")
if rows:
    st.page_link("ui/views/readiness.py", label="打开整改准备", icon=":material/checklist:")
    names = {r.company_id: r.company for r in rows}
    company = st.selectbox("预计与实际对比", list(names), format_func=names.get, key="pf-company")
    with shown_errors(), db_session() as s:
        found = predicted_against_actual(s, company, tree_registry(), by=actor())
        if found is None:
            st.info("该企业尚无预评价，或认证机构尚未作出认证决定：作出决定后可在此对比各指标的预计与实际得分率。")
        else:
            st.caption(f"预评价（项目 {found.pre_audit_id}）预计 {found.predicted}；{found.engagement}，"
                       f"{found.decided_on.isoformat()} 作出认证决定，实际 {found.actual}。")
            with st.container(key="pf-comparison"):
                st.plotly_chart(comparison_chart(found.rows), key="pf-chart", config=PLOTLY_CONFIG)
                table([{"指标": f"{code} {name}", "预计得分率": "" if p is None else f"{p}%",
                        "实际得分率": "" if a is None else f"{a}%",
                        "差距": "" if p is None or a is None else f"{a - p:+}"} for code, name, p, a in found.rows],
                      empty="", key="pf-rows")
