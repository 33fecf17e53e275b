"""评价准备: before and around the visit of the open engagement: the document review, the evaluation plan, changes
to its dates and team, and the opening and closing meetings. A client sees the plan and answers it, nothing else."""
import streamlit as st

from accounts.access import permits
from accounts.policy import Action
from accounts.users import list_users
from audits.companies import list_sites
from audits.engagements import engagement_overview
from audits.reviews import document_reviews
from cycle.meetings import meetings
from cycle.plans import plan_record
from cycle.preparation import engagement_edits
from ui.current import actor, require_engagement
from ui.feedback import show_flashes, shown_errors
from ui.meeting_forms import meeting_section
from ui.page_state import page_state
from ui.plan_forms import PlanView, plan_section
from ui.preparation_forms import edit_section, review_section
from ui.sampling_forms import sampling_section, sampling_view
from ui.state import db_session, tree_registry
from ui.text import md
from vocabulary import KIND_LABELS, SETTLED, STATUS_LABELS, EngagementKind, Role

page = page_state("preparation")
engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    overview = engagement_overview(s, engagement_id, by=actor())
    e = overview.engagement
    tree = tree_registry().get(e.tree_ref)
    manage = permits(s, actor(), Action.MANAGE_ENGAGEMENT, engagement=e)
    answer = permits(s, actor(), Action.ANSWER_PLAN, engagement=e)
    photos = permits(s, actor(), Action.UPLOAD_EVIDENCE, engagement=e)
    view = PlanView(engagement_id, tree, plan_record(s, engagement_id, tree=tree, by=actor()), overview.team,
                    list_sites(s, e.company_id, by=actor(), active_only=True), manage, answer, e.status in SETTLED)
    sampling = sampling_view(s, e, tree, overview.team, manage=manage and e.status not in SETTLED)
    staff_side = not answer  # the company sees its plan only
    if staff_side:
        reviews = document_reviews(s, engagement_id, by=actor())
        edits = engagement_edits(s, engagement_id, by=actor())
        recorded = meetings(s, engagement_id, by=actor())
        pre_audit = e.kind == EngagementKind.PRE_AUDIT
        staff = list_users(s, by=actor(), role=Role.CONSULTANT if pre_audit else Role.ASSESSOR) if manage else []

st.title("评价准备")
st.caption(md(f"{overview.company.name} · {KIND_LABELS.get(e.kind, e.kind)} · {e.title} · 项目编号 {e.id} · "
              f"{STATUS_LABELS[e.status]}"))
show_flashes()
if staff_side and not pre_audit:
    review_section(page, engagement_id, reviews, manage=manage and not view.settled)
    st.divider()
plan_section(page, view)
st.divider()
sampling_section(page, sampling)
if staff_side:
    st.divider()
    edit_section(page, e, overview.team, staff, edits, tree, manage=manage and not view.settled)
    st.divider()
    meeting_section(page, engagement_id, recorded, overview.team, manage=manage and not view.settled, photos=photos)
