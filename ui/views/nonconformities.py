"""不符合项: the register across engagements (overdue highlighted), one nonconformity's detail, the client's
answer, history, actions."""
import streamlit as st

from audits.companies import list_companies
from nonconformities.services import get_nonconformity, last_answer, nc_history, register
from nonconformities.workflow import Event
from ui.carried_panel import carried_panel
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import show_flashes, shown_errors
from ui.nc_acknowledge import acknowledgement_caption
from ui.nc_actions import actions, history_rows, offer, show_answer
from ui.nc_attention import NC_PARAM
from ui.page_state import page_state
from ui.state import db_session
from ui.text import local_time, md
from vocabulary import NC_STATE_LABELS, SEVERITY_LABELS, NcState

FILTERS = {"nc-state": None, "nc-severity": None, "nc-company": None, "nc-overdue": False}


def row_label(r) -> str:
    return (f"NC-{r.number:02d} · {r.company} · {r.engagement_title} · {r.code or '特别扣分'} · "
            f"{NC_STATE_LABELS[r.state]}" + (" · 逾期" if r.overdue else ""))


page = page_state("ncs")
st.title("不符合项")
show_flashes()
carried_panel()  # the open engagement's carried-over nonconformities, before the register (which may be empty)
wanted = st.query_params.pop(NC_PARAM, None)  # opened from a link (the attention list): show that one, unfiltered
if wanted:
    page.show_next(FILTERS)
    page.put_drafts()
with db_session() as s:
    companies = {c.id: c.name for c in list_companies(s, by=actor())}
left, middle, right, last = st.columns(4)
state = left.selectbox("状态", list(NC_STATE_LABELS), format_func=NC_STATE_LABELS.get, index=None,
                       placeholder="全部状态", key="nc-state")
severity = middle.selectbox("严重程度", list(SEVERITY_LABELS), format_func=SEVERITY_LABELS.get, index=None,
                            placeholder="全部", key="nc-severity")
company = right.selectbox("企业", list(companies), format_func=companies.get, index=None, placeholder="全部企业",
                          key="nc-company")
overdue_only = last.toggle("只看逾期", key="nc-overdue")
with db_session() as s:
    rows = register(s, by=actor(), state=state, severity=severity, company_id=company, overdue_only=overdue_only)
if not rows:
    st.info("没有符合条件的不符合项。")
    st.stop()

listing = [{"编号": f"NC-{r.number:02d}", "企业": r.company, "项目": r.engagement_title, "条款": r.code or "特别扣分",
          "严重程度": SEVERITY_LABELS[r.severity], "状态": NC_STATE_LABELS[r.state],
          "整改期限": str(r.due_date or ""), "逾期": "逾期" if r.overdue else ""} for r in rows]
st.dataframe(listing, hide_index=True, width="stretch",
             column_config={"逾期": st.column_config.TextColumn("逾期", help="待企业整改且已过期限")})
overdue = sum(1 for r in rows if r.overdue)
if overdue:
    st.error(f"{overdue} 项不符合已逾期未整改。", icon=":material/schedule:")

# The choice is kept by id, and put back on every run: the browser holds the label it last received, and a
# label names the state, which an action (here or elsewhere) changes; putting the id back sends the fresh label.
by_id = {r.id: r for r in rows}
if wanted and wanted.isdigit() and int(wanted) in by_id:
    page.show_next({"nc-chosen": int(wanted)})
elif wanted:
    st.warning("链接中的不符合项不存在或您无权查看，下面显示的是其他不符合项。")
elif st.session_state.get("nc-chosen") in by_id:
    page.show_next({"nc-chosen": st.session_state["nc-chosen"]})
page.put_drafts()
chosen = by_id[st.selectbox("查看", list(by_id), key="nc-chosen", format_func=lambda i: row_label(by_id[i]),
                            placeholder=CHOOSE)]
with shown_errors(stop=True), db_session() as s:
    nc = get_nonconformity(s, chosen.id, by=actor())
    history = nc_history(s, nc.id, by=actor())
    answer = last_answer(s, nc.id, by=actor())
    offered = offer(s, nc)
st.subheader(f"NC-{nc.number:02d} {SEVERITY_LABELS[nc.severity]} · {NC_STATE_LABELS[nc.state]}")
st.markdown(f"**不符合事实：** {md(nc.finding)}")
if nc.requirement:
    st.markdown(f"**要求：** {md(nc.requirement)}")
if nc.evidence_seen:
    st.markdown(f"**所见证据：** {md(nc.evidence_seen)}")
st.caption(f"{md(nc.raised_by)} 于 {local_time(nc.raised_at)} 开具 · 整改期限 {nc.due_date or '无'}"
           + (" · **已逾期**" if chosen.overdue else ""))
returned = [e for e in history if e.event == Event.RETURN]
if returned and nc.state == NcState.RETURNED:
    st.warning(f"审核意见（{md(returned[-1].by)} 退回）：{md(returned[-1].comment)}")
acknowledgement_caption(nc)
show_answer(nc, answer)
actions(page, nc, offered, answer)
st.markdown("**处理记录**")
table(history_rows(history), empty="尚无处理记录。")
