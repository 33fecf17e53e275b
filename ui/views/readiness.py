"""整改准备: a pre-audit's preparation plan, shared by the consultant and the client: readiness per indicator, the
tasks with filters, the client's hand-in and the consultant's accept or return, the report and the skeletons."""
import streamlit as st

from accounts.access import permits
from accounts.policy import Action
from audits.engagements import engagement_overview, list_engagements
from readiness.documents import readiness_of
from readiness.tasks import list_tasks, task_history, task_owners
from timefmt import local_today
from ui.chinese import table
from ui.current import actor, engagement_id
from ui.feedback import show_flashes, shown_errors
from ui.page_state import page_state
from ui.readiness_downloads import report_section, skeleton_section
from ui.readiness_panels import filtered, plan_forms, summary, task_forms, task_label, task_table
from ui.state import db_session, tree_registry
from ui.text import local_time, md
from vocabulary import TASK_MOVE_LABELS, TASK_STATE_LABELS, EngagementKind

page = page_state("readiness")
st.title("整改准备")
show_flashes()
with shown_errors(stop=True), db_session() as s:
    pre_audits = {r.engagement.id: f"{r.company_name} · {r.engagement.title or '预评价'}（项目 {r.engagement.id}）"
                  for r in list_engagements(s, by=actor(), kind=EngagementKind.PRE_AUDIT)}
if not pre_audits:
    st.info("没有可查看的预评价项目。整改准备计划由咨询师根据预评价生成。")
    st.stop()
current = engagement_id()
chosen = st.selectbox("预评价项目", list(pre_audits), format_func=pre_audits.get, key="rd-engagement",
                      index=list(pre_audits).index(current) if current in pre_audits else 0)
st.session_state["engagement-id"] = chosen
today = local_today()
with shown_errors(stop=True), db_session() as s:
    overview = engagement_overview(s, chosen, by=actor())
    tree = tree_registry().get(overview.engagement.tree_ref)
    manage = permits(s, actor(), Action.MANAGE_ENGAGEMENT, engagement=overview.engagement)
    upload = permits(s, actor(), Action.UPLOAD_EVIDENCE, engagement=overview.engagement)
    found = readiness_of(s, chosen, tree, by=actor())
    rows = list_tasks(s, chosen, by=actor(), tree=tree)
    owners = task_owners(s, chosen, by=actor()) if manage else []

st.caption(md(f"{overview.company.name} · {overview.engagement.title} · 项目编号 {chosen}"))
summary(found)
if manage:
    plan_forms(chosen, tree, owners)
st.subheader("任务清单")
shown = filtered(rows, today)
task_table(shown, today)
by_id = {r.task.id: r for r in shown}
task_id = st.selectbox("处理任务", list(by_id), format_func=lambda i: task_label(by_id[i], today), index=None,
                       key="rd-task", placeholder="选择一项任务查看、提交或确认")
row = by_id.get(task_id)
if row is not None:
    t = row.task
    st.markdown(f"**{md(f'{t.code} {tree.node(t.code).name}')}**：{md(t.title)}")
    st.caption(md(f"负责人 {t.owner_name} · 完成期限 {t.due.isoformat()} · {TASK_STATE_LABELS[t.state]}"
                  + (f" · 咨询师意见：{t.comment}" if t.comment else "")))
    if row.files:
        st.caption(md("已提交的文件：" + "、".join(f.name for f in row.files) + "（可在“证据”页面查看）"))
    task_forms(page, row, tree, hand_in_allowed=upload, judge_allowed=manage)
    with shown_errors(), db_session() as s:
        history = task_history(s, t.id, by=actor())
    table([{"时间": local_time(m.moved_at), "操作": TASK_MOVE_LABELS[m.move], "操作人": m.moved_by,
            "意见": m.comment} for m in history], empty="尚无处理记录。")
st.divider()
report_section(page, chosen, tree)
skeleton_section(page, chosen, row.task.code if row else None)
