"""抽样方案 on the preparation page: the rule's size and the sites to visit with why each is there, the plan's
history, the lead's form (seed, the outlets chosen with a reason each), then the sites visited and the form to
record a visit. Offers only what accounts.access.permits allows; the services decide."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from criteria.model import Tree
from errors import InvalidInput
from records.models import Engagement, TeamMember
from sampling.models import SamplingPlanVersion
from sampling.plans import (
    PlannedSite,
    Proposal,
    current_version,
    days_of,
    plan_versions,
    planned_sites,
    propose,
    save_sampling_plan,
)
from sampling.rules import auditor_days, days_text
from sampling.visits import VisitLine, record_visit, visits, withdraw_visit
from timefmt import local_today
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time
from vocabulary import KIND_LABELS, SITE_LABELS, SITE_SELECTION_LABELS, EngagementKind, Limit, SiteKind, SiteSelection

PICK, REASON, HINT = "选定", "选定理由", "建议"


@dataclass(frozen=True)
class SamplingView:
    """What the section draws from, read once by the page (sampling.plans, sampling.visits)."""

    engagement: Engagement
    tree: Tree
    proposal: Proposal
    versions: list[SamplingPlanVersion]
    planned: list[PlannedSite]         # the latest version's sites
    visits: list[VisitLine]
    team: list[TeamMember]
    manage: bool                       # MANAGE_ENGAGEMENT and not settled


def sampling_view(session, engagement: Engagement, tree: Tree, team: list[TeamMember], *,
                  manage: bool) -> SamplingView:
    """Everything the section shows, read in the page's session."""
    history = plan_versions(session, engagement.id, by=actor())
    return SamplingView(engagement, tree, propose(session, engagement.id, tree=tree, by=actor()), history,
                        planned_sites(session, history[-1]) if history else [],
                        visits(session, engagement.id, by=actor()), team, manage)


def sampling_section(page: PageState, view: SamplingView) -> None:
    st.subheader("抽样方案")
    p, e = view.proposal, view.engagement
    st.caption(f"在用服务网点 {len(p.outlets)} 个；{KIND_LABELS[EngagementKind(e.kind)]}按方案规则抽取 {p.size} 个"
               f"（其中至少随机抽取 {p.random_count} 个，其余由审查组长选定并写明理由），另加总部；"
               f"审核人日至少 {days_text(auditor_days(view.tree.scheme, p.size))}。")
    latest = view.versions[-1] if view.versions else None
    if latest is None:
        st.caption("尚未保存抽样方案。")
    else:
        st.markdown(f"**拟访问场所**（第 {latest.version} 版；随机种子 {latest.seed}；"
                    f"审核人日 {days_text(days_of(latest))}）")
        table([{"场所": x.site.name, "类型": SITE_LABELS[SiteKind(x.site.kind)], "抽取方式": SITE_SELECTION_LABELS[x.how],
                "理由": x.reason} for x in view.planned], empty="")
        with st.expander(f"抽样方案历史（{len(view.versions)} 版）"):
            table([{"版本": f"第 {v.version} 版", "保存时间": local_time(v.created_at), "保存人": v.created_by,
                    "网点数": v.outlets, "样本量": v.size, "随机种子": v.seed, "访问场所数": len(v.sites),
                    "修改理由": v.reason} for v in reversed(view.versions)], empty="")
    if view.manage:
        _plan_form(page, view)
    st.markdown("**已访问场所**")
    table([{"场所": x.site.name, "访问日期": f"{x.visited_on:%Y-%m-%d}", "访问人": x.visited_by} for x in view.visits],
          empty="尚未记录场所访问。")
    if view.manage and view.planned:
        _visit_form(view)
    if view.manage and view.visits:
        _withdraw_visit_form(view)


def _plan_form(page: PageState, view: SamplingView) -> None:
    eid, p = view.engagement.id, view.proposal
    latest = view.versions[-1] if view.versions else None
    form = f"sampling-{eid}"
    shown = page.version_shown(form, current_version(view.versions))
    st.session_state.setdefault(f"sampling-seed-{eid}", latest.seed if latest else local_today().year)
    seed = int(st.number_input("随机种子 *（同一种子对同一批网点总是抽中相同网点）", min_value=0, max_value=2 ** 31 - 1,
                               step=1, key=f"sampling-seed-{eid}"))
    drawn = set(p.drawn(seed))
    names = {s.id: s.name for s in p.outlets}
    st.caption("随机抽中：" + ("、".join(names[i] for i in sorted(drawn)) or "（无服务网点）"))
    hints = {s.site_id: s.reason for s in p.suggestions}
    kept = {r["site_id"]: r.get("reason", "") for r in (latest.sites if latest else []) if r["how"] == SiteSelection.CHOSEN}
    rows = [s for s in p.outlets if s.id not in drawn]
    frame = pd.DataFrame({PICK: [s.id in kept for s in rows], REASON: [kept.get(s.id, "") for s in rows],
                          HINT: [hints.get(s.id, "") for s in rows]}, index=[s.name for s in rows])
    edited = st.data_editor(frame, key=f"sampling-choice-{eid}", disabled=[HINT], width="stretch",
                            column_config={REASON: st.column_config.TextColumn(max_chars=Limit.REASON)}) \
        if rows else frame
    reason = st.text_area("修改理由（修改已保存的方案时必填）", max_chars=Limit.REASON, height=68,
                          key=f"sampling-reason-{eid}") if latest else ""
    if st.button("保存抽样方案", key=f"sampling-save-{eid}", type="primary"):
        ids = {s.name: s.id for s in rows}
        chosen = {ids[name]: str(row[REASON] or "") for name, row in edited.iterrows() if bool(row[PICK])}
        with shown_errors(), db_session() as s:
            saved = save_sampling_plan(s, engagement_id=eid, seed=seed, chosen=chosen, reason=reason,
                                       expected_version=shown, tree=view.tree, by=actor())
            page.forget(form)
            page.show_next({f"sampling-reason-{eid}": ""})
            flash(f"抽样方案第 {saved.version} 版已保存", "success")
            st.rerun()


def _visit_form(view: SamplingView) -> None:
    eid = view.engagement.id
    sites = {x.site.id: x.site.name for x in view.planned}
    with st.form(f"visit-form-{eid}", enter_to_submit=False):
        st.markdown("**记录场所访问**")
        left, middle, right = st.columns(3)
        site_id = left.selectbox("场所 *", list(sites), format_func=sites.get, key=f"visit-site-{eid}",
                                 placeholder=CHOOSE, index=None)
        visited_on = middle.date_input("访问日期 *", value=local_today(), format="YYYY-MM-DD", key=f"visit-date-{eid}")
        who = right.selectbox("访问人 *", [m.name for m in view.team], key=f"visit-who-{eid}", placeholder=CHOOSE,
                              index=None)
        if st.form_submit_button("记录访问", key=f"visit-submit-{eid}"):
            with shown_errors(), db_session() as s:
                if site_id is None:
                    raise InvalidInput("请选择访问的场所")
                record_visit(s, engagement_id=eid, site_id=site_id, visited_on=visited_on, visited_by=who or "",
                             by=actor())
                flash("场所访问已记录", "success")
                st.rerun()


def _withdraw_visit_form(view: SamplingView) -> None:
    eid = view.engagement.id
    recorded = {x.visit_id: f"{x.site.name} {x.visited_on:%Y-%m-%d} {x.visited_by}" for x in view.visits}
    with st.form(f"visit-withdraw-form-{eid}", enter_to_submit=False):
        st.markdown("**撤销记错的访问记录**（记录保留，注明撤销人和理由）")
        left, right = st.columns(2)
        visit_id = left.selectbox("访问记录 *", list(recorded), format_func=recorded.get, index=None,
                                  placeholder=CHOOSE, key=f"visit-withdraw-pick-{eid}")
        reason = right.text_input("撤销理由 *", max_chars=Limit.SHORT, key=f"visit-withdraw-reason-{eid}")
        if st.form_submit_button("撤销访问记录", key=f"visit-withdraw-{eid}"):
            with shown_errors(), db_session() as s:
                if visit_id is None:
                    raise InvalidInput("请选择要撤销的访问记录")
                withdraw_visit(s, visit_id=visit_id, reason=reason, by=actor())
                flash("访问记录已撤销", "success")
                st.rerun()
