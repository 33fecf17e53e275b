"""评分工作台: rate the clauses of the open engagement, one at a time, and watch the score move."""
import streamlit as st

from audits.assessment import engagement_result
from audits.engagements import engagement_overview
from audits.ratings import list_ratings
from audits.vocabulary import KIND_LABELS
from ui.checklist_panel import checklist_panel
from ui.clause_editor import clause_editor
from ui.clause_nav import navigator
from ui.current import actor, require_engagement
from ui.feedback import shown_errors
from ui.score_summary import provenance_note, score_metrics
from ui.special_panel import special_items_panel
from ui.state import db_session, tree_registry
from ui.text import md

engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    overview = engagement_overview(s, engagement_id, by=actor())
    tree = tree_registry().get(overview.engagement.tree_ref)
    rows = {r.code: r for r in list_ratings(s, engagement_id, by=actor())}
    result = engagement_result(s, engagement_id, tree, by=actor())

e = overview.engagement
st.title("评分工作台")
st.caption(md(f"{overview.company.name} · {KIND_LABELS.get(e.kind, e.kind)} · {e.title} · 项目编号 {e.id}"))
score_metrics(result)
nav, editor = st.columns([2, 3])
with nav:
    code = navigator(tree, rows, result, key=f"clause-{engagement_id}")
with editor:
    if code:
        clause_editor(engagement_id, tree, tree.node(code), rows[code])
special_items_panel(engagement_id, tree)
checklist_panel(engagement_id, tree)
provenance_note(tree)
