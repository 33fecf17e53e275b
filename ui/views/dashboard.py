"""仪表板: the open engagement's score, star level and decision, charts, the path to the next star, changes."""
import json

import streamlit as st

from accounts.access import permits
from accounts.policy import Action
from audits.engagements import engagement_heading
from audits.ratings import clause_history, describe
from audits.scope import engagement_revision
from audits.score_history import score_history
from criteria.model import points_text
from ui.chinese import table
from ui.current import actor, current_assessment, require_engagement
from ui.decision_panel import decision_panel
from ui.feedback import shown_errors
from ui.nc_dashboard import nonconformity_section
from ui.page_state import page_state
from ui.report_download import report_download
from ui.score_summary import indicator_charts, next_star_panel, provenance_note, score_history_chart, score_metrics
from ui.site_work_panels import site_summary_panel
from ui.state import db_session, remembered, tree_registry
from ui.text import local_time, md
from vocabulary import KIND_LABELS

page = page_state("dashboard")
engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    e, company = engagement_heading(s, engagement_id, by=actor())
    tree = tree_registry().get(e.tree_ref)
    revision = engagement_revision(s, engagement_id, by=actor())  # read once: it keys the score and its history
    document, result = current_assessment(s, engagement_id, tree, revision)
    may_back_up = permits(s, actor(), Action.MANAGE_ENGAGEMENT, engagement=e)
    changes = remembered(f"changes-{engagement_id}", revision,  # every rating change moves the revision
                         lambda: clause_history(s, engagement_id, by=actor(), limit=50))
    timeline = remembered(f"score-history-{engagement_id}", revision,
                          lambda: score_history(s, engagement_id, tree, by=actor()))

st.title("仪表板")
st.caption(md(f"{company.name} · {KIND_LABELS.get(e.kind, e.kind)} · {e.title} · 项目编号 {e.id}"))
score_metrics(result, kind=e.kind)
st.caption(f"实际得分 {float(result.earned_points):.2f} / 涉及项分值 {points_text(result.applicable_points)}，"
           f"特别扣分 {result.special_deductions} 项，特别加分 {result.special_bonus} 项")
st.download_button("下载评价数据（JSON）", json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
                   file_name=f"assessment-{e.id}.json", mime="application/json", key="download-assessment",
                   icon=":material/download:", help="可用 python -m scoring 复核得分")
report_download(page, engagement_id, tree, e.id, backup=may_back_up, kind=e.kind)
decision_panel(page, engagement_id, tree)
charts, path = st.columns([3, 2])
with charts:
    indicator_charts(result)
with path:
    next_star_panel(tree, result)
    st.subheader("最近修改")
    table([{"时间": local_time(c.changed_at), "条款": c.code, "修改人": c.changed_by, "修改后": describe(c.after)}
           for c in changes], empty="尚无修改。")
if timeline:
    score_history_chart(timeline, result.scheme)
nonconformity_section(engagement_id, tree)
site_summary_panel(engagement_id)
provenance_note(tree)
