"""The dashboard's 推荐意见与认证决定: the status, the team's recommendation and the decision with their history, and
the forms for whoever may use them (asked of accounts.access.permits, as the services check)."""
from __future__ import annotations

import streamlit as st

from accounts.access import permits
from accounts.policy import Action
from audits.decisions import describe_decision, describe_recommendation, record_decision, reopen_result, result_record
from audits.engagements import get_engagement, set_status
from criteria.model import Tree
from criteria.scheme import STAR_LABELS, STARRED
from dossier.recommendation import record_recommendation
from timefmt import local_today
from ui.certificate_forms import issue_section
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import flash, show_flashes, shown_errors
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time, md
from vocabulary import (
    CERTIFICATION_OUTCOME_LABELS,
    RECOMMENDATION_LABELS,
    STATUS_LABELS,
    CertificationOutcome,
    EngagementKind,
    EngagementStatus,
    Limit,
    RecommendationKind,
)

STARS = [None, *STARRED]


def _star(value) -> str:
    return "（不适用）" if value is None else STAR_LABELS[value]


def decision_panel(page: PageState, engagement_id: int, tree: Tree) -> None:
    with shown_errors(), db_session() as s:
        e = get_engagement(s, engagement_id, by=actor())
        if e.kind == EngagementKind.PRE_AUDIT:  # a gap analysis: no recommendation, no decision
            return
        record = result_record(s, engagement_id, by=actor())
        may = {a: permits(s, actor(), a, engagement=e) for a in (Action.MANAGE_ENGAGEMENT, Action.RECOMMEND,
                                                                 Action.DECIDE)}
        status = EngagementStatus(e.status)
    st.subheader("推荐意见与认证决定")
    show_flashes()
    st.markdown(f"项目状态：**{STATUS_LABELS[status]}**")
    r, d = record.recommendation, record.decision
    st.markdown("评价组推荐意见：" + (f"**{describe_recommendation(r)}**" + (f"，条件：{md(r.conditions)}" if r.conditions
                                                                       else "")
                                   + f"  \n:gray[审查组长 {md(r.recorded_by)} · {local_time(r.recorded_at)}]"
                                   if r else "尚未记录"))
    if d and status in (EngagementStatus.DECIDED, EngagementStatus.CLOSED):
        st.markdown(f"认证决定：**{describe_decision(d)}**，决定日期 {d.decided_on:%Y-%m-%d}，理由：{md(d.reasons)}  \n"
                    f":gray[认证决定人员 {md(d.decided_by)} · {local_time(d.recorded_at)}]")
        if d.outcome == CertificationOutcome.APPROVE:
            issue_section(page, e, d)
    if status == EngagementStatus.PLANNED and may[Action.MANAGE_ENGAGEMENT]:
        _status_button(engagement_id, EngagementStatus.IN_PROGRESS, "开始评价", "status-start")
    if status == EngagementStatus.IN_PROGRESS and may[Action.RECOMMEND]:
        _recommendation_form(page, engagement_id, tree)
    if status == EngagementStatus.REPORTED and may[Action.RECOMMEND]:
        _reopen_form(page, engagement_id)
    if status == EngagementStatus.REPORTED and may[Action.DECIDE]:
        _decision_form(page, engagement_id, tree)
    if status == EngagementStatus.DECIDED and may[Action.MANAGE_ENGAGEMENT]:
        _status_button(engagement_id, EngagementStatus.CLOSED, "关闭项目", "status-close")
    _history(record)


def _status_button(engagement_id: int, status: EngagementStatus, text: str, key: str) -> None:
    if st.button(text, key=key):
        with shown_errors(), db_session() as s:
            set_status(s, engagement_id, status, by=actor())
            flash(f"项目状态已变为“{STATUS_LABELS[status]}”", "success")
            st.rerun()


def _recommendation_form(page: PageState, engagement_id: int, tree: Tree) -> None:
    with st.form("recommendation-form", enter_to_submit=False):
        st.markdown("**记录评价组推荐意见**（记录后评价结果即出具，评分、删减和特别项将锁定）")
        kind = st.radio("推荐意见 *", list(RecommendationKind), format_func=RECOMMENDATION_LABELS.get,
                        horizontal=True, key="rec-kind")
        star = st.selectbox("推荐星级", STARS, format_func=_star, key="rec-star", placeholder=CHOOSE,
                            help="不高于评价规则允许的星级；“不推荐”时不适用")
        conditions = st.text_area("推荐条件", max_chars=Limit.TEXT, key="rec-conditions", height=68,
                                  help="“整改验证后推荐”须写明条件")
        if st.form_submit_button("记录推荐意见", key="rec-submit"):
            with shown_errors(), db_session() as s:
                record_recommendation(s, engagement_id=engagement_id, kind=kind, star=star, conditions=conditions,
                                      tree=tree, by=actor())
                page.show_next({"rec-conditions": ""})
                flash("推荐意见已记录，评价结果已出具", "success")
                st.rerun()


def _reopen_form(page: PageState, engagement_id: int) -> None:
    with st.form("reopen-form", enter_to_submit=False):
        st.markdown("**撤回推荐意见、重新开放评价**")
        reason = st.text_area("理由 *", max_chars=Limit.REASON, key="reopen-reason", height=68)
        if st.form_submit_button("重新开放", key="reopen-submit"):
            with shown_errors(), db_session() as s:
                reopen_result(s, engagement_id=engagement_id, reason=reason, by=actor())
                page.show_next({"reopen-reason": ""})
                flash("已撤回推荐意见并重新开放（记录保留）", "success")
                st.rerun()


def _decision_form(page: PageState, engagement_id: int, tree: Tree) -> None:
    with st.form("decision-form", enter_to_submit=False):
        st.markdown("**记录认证决定**")
        outcome = st.radio("认证决定 *", list(CertificationOutcome), format_func=CERTIFICATION_OUTCOME_LABELS.get,
                           horizontal=True, key="dec-outcome")
        star = st.selectbox("批准星级", STARS, format_func=_star, key="dec-star", placeholder=CHOOSE,
                            help="不高于评价组推荐的星级；“不批准”时不适用")
        decided_on = st.date_input("决定日期 *", value=local_today(), max_value=local_today(), key="dec-date",
                                   format="YYYY-MM-DD")
        reasons = st.text_area("决定理由 *", max_chars=Limit.TEXT, key="dec-reasons", height=68)
        if st.form_submit_button("记录认证决定", key="dec-submit"):
            with shown_errors(), db_session() as s:
                record_decision(s, engagement_id=engagement_id, outcome=outcome, star=star, decided_on=decided_on,
                                reasons=reasons, tree=tree, by=actor())
                page.show_next({"dec-reasons": ""})
                flash("认证决定已记录", "success")
                st.rerun()


def _history(record) -> None:
    if not record.moves and not record.recommendations:
        return
    with st.expander("状态与推荐意见记录"):
        table([{"时间": local_time(m.changed_at), "变更": f"{STATUS_LABELS[m.from_status]} → {STATUS_LABELS[m.to_status]}",
                "办理人": m.changed_by, "理由或条件": m.reason} for m in record.moves], empty="尚无状态变更。")
        for r in record.recommendations:
            if r.withdrawn_at:
                st.caption(f"已撤回的推荐意见：{describe_recommendation(r)}（{r.recorded_by} · {local_time(r.recorded_at)}），"
                           f"{r.withdrawn_by} 于 {local_time(r.withdrawn_at)} 撤回，理由：{r.withdrawn_reason}")
