"""评分工作台: rate the clauses of the open engagement, one at a time, and watch the score move."""
import streamlit as st

from audits.engagements import engagement_heading, engagement_sites
from audits.ratings import list_ratings
from criteria.model import Tree
from nonconformities.services import register
from ui.checklist_panel import checklist_panel
from ui.clause_editor import clause_editor
from ui.clause_nav import navigator, unraised
from ui.current import actor, current_assessment, fragment, require_engagement
from ui.feedback import shown_errors
from ui.page_state import PageState, page_state
from ui.score_summary import provenance_note, score_metrics
from ui.site_work_panels import site_filter
from ui.special_panel import special_items_panel
from ui.state import db_session, tree_registry
from ui.text import md
from vocabulary import KIND_LABELS


@fragment
def scoring(page: PageState, engagement_id: int, tree: Tree) -> None:
    """What a save or a move to another clause changes: the score, the clause list and the open clause. It reruns
    on its own, so rating a clause does not redraw the special items and the checklist below."""
    page.put_drafts()  # a rerun of this fragment alone does not pass the page's top
    with shown_errors(stop=True), db_session() as s:
        rows = {r.code: r for r in list_ratings(s, engagement_id, by=actor())}
        result = current_assessment(s, engagement_id, tree)[1]
        ncs = register(s, by=actor(), engagement_id=engagement_id)
        sites = engagement_sites(s, engagement_id, by=actor())
    missing = unraised(tree, rows, ncs)
    score_metrics(result)
    if missing:
        st.warning(f"{len(missing)} 个条款有不符合（评为不符合或抽样中有不符合），但尚未开具不符合项："
                   f"{'、'.join(missing)}",
                   icon=":material/report:")
    nav, editor = st.columns([2, 3])
    with nav:
        at_site = site_filter(engagement_id, sites, key=f"clause-{engagement_id}")
        code = navigator(page, tree, rows, result, key=f"clause-{engagement_id}", at_site=at_site)
    with editor:
        if code:
            clause_editor(page, engagement_id, tree, tree.node(code), rows[code], unraised=code in missing,
                          ncs=[nc for nc in ncs if nc.code == code], sites=sites)


page = page_state("workspace")
engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    e, company = engagement_heading(s, engagement_id, by=actor())
tree = tree_registry().get(e.tree_ref)

st.title("评分工作台")
st.caption(md(f"{company.name} · {KIND_LABELS.get(e.kind, e.kind)} · {e.title} · 项目编号 {e.id}"))
scoring(page, engagement_id, tree)
special_items_panel(page, engagement_id, tree)
checklist_panel(page, engagement_id, tree)
provenance_note(tree)
