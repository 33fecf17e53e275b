"""上次评价遗留的不符合项（需验证）: on the nonconformities page, for the open engagement of a cycle, the earlier
engagements' open nonconformities, which its team verifies with the ordinary moves (nonconformities.services
.carried_into), and the last engagement's evidence, which may be carried forward.

The forms here are only for what the user does through the open engagement (a move the user may not make on
the nonconformity's own engagement): whoever may act on that one does it in the register below, so one
nonconformity's forms are never drawn twice."""
from __future__ import annotations

import streamlit as st

from accounts.policy import Action
from audits.engagements import get_engagement
from cycle.carry_over import carriable_evidence, carried_nonconformities, carry_evidence
from nonconformities.models import Nonconformity
from nonconformities.services import SIDE_ACTION, last_answer
from nonconformities.workflow import ACTOR_SIDE, TRANSITIONS
from records.models import Engagement
from ui.chinese import CHOOSE, CHOOSE_MANY, table
from ui.current import actor, engagement_id, may
from ui.feedback import flash, shown_errors
from ui.nc_actions import Offer, actions, show_answer
from ui.page_state import page_state
from ui.state import db_session, tree_registry
from ui.text import md
from vocabulary import KIND_LABELS, NC_STATE_LABELS, SEVERITY_LABELS


def carried_panel() -> None:
    opened = engagement_id()
    if opened is None:
        return
    with db_session() as s:
        engagement = s.get(Engagement, opened)
        if engagement is None or engagement.previous_id is None or \
                not may(s, Action.VIEW_ENGAGEMENT, engagement=engagement):
            return
        carried = carried_nonconformities(s, opened, by=actor())
        offers = {c.nonconformity.id: _offer(s, c.nonconformity, engagement) for c in carried}
        files = carriable_evidence(s, opened, by=actor()) \
            if may(s, Action.UPLOAD_EVIDENCE, engagement=engagement) else []
    if not carried and not files:
        return
    st.subheader("上次评价遗留的不符合项（需验证）")
    st.caption(md(f"本项目（{KIND_LABELS[engagement.kind]}《{engagement.title}》，项目编号 {engagement.id}）接续的"
                  "评价中尚未关闭的不符合项：由本项目的评价组验证。"))
    table([{"编号": f"NC-{c.nonconformity.number:02d}", "来自项目": f"{c.engagement.title}（{c.engagement.id}）",
            "条款": c.nonconformity.code or "特别扣分", "严重程度": SEVERITY_LABELS[c.nonconformity.severity],
            "状态": NC_STATE_LABELS[c.nonconformity.state], "整改期限": str(c.nonconformity.due_date or ""),
            "不符合事实": c.nonconformity.finding} for c in carried], empty="没有遗留的不符合项。")
    actionable = {c.nonconformity.id: c for c in carried if offers[c.nonconformity.id].events}
    if actionable:
        _verify(actionable, offers)
    if files:
        _carry_files(engagement, files)


def _offer(session, nc: Nonconformity, engagement: Engagement) -> Offer:
    """The moves the user makes on `nc` through the open engagement (not those they may make on its own)."""
    own = get_engagement(session, nc.engagement_id, by=actor()) if may(
        session, Action.VIEW_ENGAGEMENT, engagement=session.get(Engagement, nc.engagement_id)) else None
    events = frozenset(event for state, event in TRANSITIONS if state == nc.state
                       and may(session, SIDE_ACTION[ACTOR_SIDE[event]], engagement=engagement)
                       and not (own and may(session, SIDE_ACTION[ACTOR_SIDE[event]], engagement=own)))
    return Offer(events, deadline=False)


def _verify(actionable: dict, offers: dict[int, Offer]) -> None:
    page = page_state("ncs-carried")
    chosen = st.selectbox("验证遗留的不符合项", list(actionable), key="carried-nc", placeholder=CHOOSE,
                          format_func=lambda i: f"NC-{actionable[i].nonconformity.number:02d} · "
                                                f"{actionable[i].engagement.title} · "
                                                f"{NC_STATE_LABELS[actionable[i].nonconformity.state]}")
    nc = actionable[chosen].nonconformity
    with shown_errors(), db_session() as s:
        answer = last_answer(s, nc.id, by=actor())
    show_answer(nc, answer)
    actions(page, nc, offers[nc.id], answer)


def _carry_files(engagement: Engagement, files: list) -> None:
    by_id = {f.id: f for f in files}
    with st.expander(f"沿用上次评价的证据（{len(files)} 份可选）"), \
            st.form("carry-form", border=False, enter_to_submit=False):
        chosen = st.multiselect("上次评价的证据（同一文件，不重新上传；条款关联一并沿用）", list(by_id), key="carry-evidence",
                                format_func=lambda i: by_id[i].name, placeholder=CHOOSE_MANY, select_all=False)
        if st.form_submit_button("沿用所选证据", key="carry-submit"):
            with shown_errors(), db_session() as s:
                copies = carry_evidence(s, engagement_id=engagement.id, evidence_ids=chosen, by=actor(),
                                        tree=tree_registry().get(engagement.tree_ref))
                flash(f"已沿用 {len(copies)} 份证据到本项目", "success")
                st.rerun()
