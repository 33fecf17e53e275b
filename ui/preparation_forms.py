"""文件审查 and 项目信息修改 on the preparation page: the reviews with the form to record one, and the engagement's
title, dates and team with the form to change them (reason required) and their history."""
from __future__ import annotations

import streamlit as st

from accounts.models import User
from audits.reviews import record_document_review
from criteria.model import Tree
from cycle.preparation import FIELD_LABELS, describe_edit, edit_engagement
from records.models import DocumentReview, Engagement, TeamMember
from timefmt import local_today
from ui.chinese import CHOOSE, CHOOSE_MANY, table
from ui.current import actor
from ui.engagement_forms import team_of
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time
from vocabulary import REVIEW_RESULT_LABELS, EngagementKind, Limit, ReviewResult, TeamRole


def review_section(page: PageState, engagement_id: int, reviews: list[DocumentReview], *, manage: bool) -> None:
    st.subheader("文件审查")
    latest = reviews[0] if reviews else None
    if latest is None:
        st.caption("尚未记录文件审查。初次认证和再认证须在文件审查通过（或写明同时进行的理由）后才能开始现场评价。")
    table([{"审查日期": f"{r.reviewed_on:%Y-%m-%d}", "审查人": r.reviewer, "结果": REVIEW_RESULT_LABELS[r.result],
            "审查发现": r.findings, "与现场评价同时进行的理由": r.concurrent_reason, "记录人": r.recorded_by,
            "记录时间": local_time(r.recorded_at)} for r in reviews], empty="")
    if not manage:
        return
    eid = engagement_id
    st.session_state.setdefault(f"review-reviewer-{eid}", actor().name)
    with st.form(f"review-form-{eid}", enter_to_submit=False):
        st.markdown("**记录文件审查**（以最近一次记录为准）")
        left, right = st.columns(2)
        reviewed_on = left.date_input("审查日期 *", value=local_today(), max_value=local_today(), format="YYYY-MM-DD",
                                      key=f"review-date-{eid}")
        reviewer = right.text_input("审查人 *", max_chars=100, key=f"review-reviewer-{eid}")
        result = st.radio("审查结果 *", list(ReviewResult), format_func=REVIEW_RESULT_LABELS.get, horizontal=True,
                          key=f"review-result-{eid}")
        findings = st.text_area("审查发现（结果不是“通过”时必填）", max_chars=Limit.TEXT, height=68,
                                key=f"review-findings-{eid}")
        reason = st.text_area("文件审查与现场评价同时进行的理由（如适用）", max_chars=Limit.REASON, height=68,
                              key=f"review-concurrent-{eid}")
        if st.form_submit_button("记录文件审查", key=f"review-submit-{eid}", type="primary"):
            with shown_errors(), db_session() as s:
                record_document_review(s, engagement_id=eid, reviewed_on=reviewed_on, reviewer=reviewer,
                                       result=result, findings=findings, concurrent_reason=reason, by=actor())
                page.show_next({f"review-findings-{eid}": "", f"review-concurrent-{eid}": ""})
                flash("文件审查已记录", "success")
                st.rerun()


def edit_section(page: PageState, engagement: Engagement, team: list[TeamMember], staff: list[User], edits: list,
                 tree: Tree, *, manage: bool) -> None:
    """`staff`: the accounts that may lead or join the team (consultants for a pre-audit, assessors otherwise)."""
    st.subheader("项目信息修改")
    table([{"时间": local_time(x.changed_at), "修改人": x.changed_by, "修改内容": describe_edit(x.before, x.after),
            "理由": x.reason} for x in edits], empty="创建后未修改过日期和评价组。")
    if not manage:
        return
    eid, form = engagement.id, f"edit-{engagement.id}"
    pre_audit = engagement.kind == EngagementKind.PRE_AUDIT
    lead_role = TeamRole.CONSULTANT if pre_audit else TeamRole.LEAD_ASSESSOR
    by_id = {u.id: u for u in staff}
    if form not in page.seen:  # the stored values, when first drawn and after each own success
        st.session_state.update({
            f"edit-title-{eid}": engagement.title, f"edit-start-{eid}": engagement.start_date,
            f"edit-end-{eid}": engagement.end_date,
            f"edit-lead-{eid}": next((m.user_id for m in team if m.role == lead_role and m.user_id in by_id), None),
            f"edit-members-{eid}": [m.user_id for m in team if m.role == TeamRole.ASSESSOR and m.user_id in by_id],
            f"edit-experts-{eid}": "，".join(m.name for m in team if m.user_id is None)})
        page.saw(form, len(edits))
    with st.form(f"edit-form-{eid}", enter_to_submit=False):
        st.markdown(f"**修改{'、'.join(FIELD_LABELS.values())}**")
        title = st.text_input("项目名称", max_chars=Limit.NAME, key=f"edit-title-{eid}")
        left, right = st.columns(2)
        start = left.date_input("开始日期", key=f"edit-start-{eid}", format="YYYY-MM-DD")
        end = right.date_input("结束日期", key=f"edit-end-{eid}", format="YYYY-MM-DD")
        lead = st.selectbox("咨询师 *" if pre_audit else "审查组长 *", list(by_id), key=f"edit-lead-{eid}",
                            format_func=lambda i: by_id[i].display_name, placeholder=CHOOSE)
        members = [] if pre_audit else st.multiselect("审查员", list(by_id), key=f"edit-members-{eid}",
                                                      format_func=lambda i: by_id[i].display_name,
                                                      placeholder=CHOOSE_MANY)
        experts = st.text_input("技术专家（姓名，逗号分隔）", max_chars=Limit.SHORT, key=f"edit-experts-{eid}")
        reason = st.text_area("修改理由 *", max_chars=Limit.REASON, height=68, key=f"edit-reason-{eid}")
        if st.form_submit_button("保存修改", key=f"edit-submit-{eid}", type="primary"):
            with shown_errors(), db_session() as s:
                members_now = team_of(pre_audit, by_id.get(lead), [by_id[i] for i in members], experts)
                edit_engagement(s, engagement_id=eid, title=title, start_date=start, end_date=end,
                                team=members_now, reason=reason, expected_edits=page.seen[form], tree=tree,
                                by=actor())
                page.forget(form)
                page.show_next({f"edit-reason-{eid}": ""})
                flash("项目信息已修改", "success")
                st.rerun()
