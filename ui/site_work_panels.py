"""Per-site work in the pages: the workspace's site filter, the clause editor's 分场所记录 (findings at one site,
added and withdrawn) and the dashboard's 分场所汇总 (a table and a chart of what was found where)."""
from __future__ import annotations

import streamlit as st

from accounts.access import permits
from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from errors import InvalidInput
from records.models import Site
from sampling.site_work import (
    clauses_at_site,
    record_site_finding,
    site_findings,
    site_summary,
    withdraw_site_finding,
)
from ui.charts import bar, figure
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.layout import lazy_expander
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time
from vocabulary import Limit

ALL_SITES = "全部场所"


def site_filter(engagement_id: int, sites: list[Site], *, key: str) -> dict[str, set[str]] | None:
    """The workspace's 按场所筛选 among the company's `sites` (engagement_sites): None for every clause, or clause
    code -> what is held for it at the chosen site (findings, nonconformities, evidence)."""
    sites = {x.id: x.name for x in sites}
    chosen = st.selectbox("按场所筛选", [None, *sites], key=f"{key}-site", placeholder=CHOOSE,
                          format_func=lambda i: ALL_SITES if i is None else sites[i])
    if chosen is None:
        return None
    with db_session() as s:
        return clauses_at_site(s, engagement_id, chosen, by=actor())


def site_findings_section(page: PageState, engagement_id: int, tree: Tree, code: str, sites: list[Site]) -> None:
    """分场所记录 of one clause: the findings at each of the company's `sites` (engagement_sites), and (for who may
    rate) the form to add or withdraw one, offering the active sites."""
    active = [x.id for x in sites if x.active]
    sites = {x.id: x.name for x in sites}
    with db_session() as s:
        rows = site_findings(s, engagement_id, by=actor(), code=code)
        rate = permits(s, actor(), Action.RATE, engagement=get_engagement(s, engagement_id, by=actor()))
    label = f"分场所记录（{len(rows)}）" if rows else "分场所记录"
    with lazy_expander(label, key=f"site-findings-{engagement_id}-{code}") as is_open:
        if not is_open:
            return
        table([{"场所": sites.get(f.site_id, ""), "发现": f.text, "不符合": "是" if f.against else "否",
                "记录人": f.recorded_by, "时间": local_time(f.recorded_at)} for f in rows], empty="尚无分场所记录。")
        if rate:
            _add_form(page, engagement_id, tree, code, {i: sites[i] for i in active})
            _withdraw_form(engagement_id, code, {f.id: f"{sites.get(f.site_id, '')}：{f.text[:30]}" for f in rows})


def _add_form(page: PageState, engagement_id: int, tree: Tree, code: str, sites: dict[int, str]) -> None:
    with st.form(f"site-finding-{engagement_id}-{code}", enter_to_submit=False):
        site_id = st.selectbox("场所 *", list(sites), format_func=sites.get, index=None, placeholder=CHOOSE,
                               key=f"site-finding-site-{code}")
        text = st.text_area("在该场所的发现 *", max_chars=Limit.TEXT, height=68, key=f"site-finding-text-{code}")
        against = st.checkbox("不符合", key=f"site-finding-against-{code}")
        if st.form_submit_button("添加分场所记录", key=f"site-finding-submit-{code}"):
            with shown_errors(), db_session() as s:
                if site_id is None:
                    raise InvalidInput("请选择场所")
                record_site_finding(s, engagement_id=engagement_id, code=code, site_id=site_id, text=text,
                                    against=against, tree=tree, by=actor())
                page.show_next({f"site-finding-text-{code}": "", f"site-finding-against-{code}": False})
                flash("分场所记录已添加", "success")
                st.rerun()


def _withdraw_form(engagement_id: int, code: str, findings: dict[int, str]) -> None:
    if not findings:
        return
    with st.form(f"site-finding-withdraw-{engagement_id}-{code}", enter_to_submit=False):
        finding_id = st.selectbox("撤销记录", list(findings), format_func=findings.get, index=None, placeholder=CHOOSE,
                                  key=f"site-finding-withdraw-pick-{code}")
        reason = st.text_input("撤销理由 *", max_chars=Limit.SHORT, key=f"site-finding-withdraw-reason-{code}")
        if st.form_submit_button("撤销", key=f"site-finding-withdraw-{code}"):
            with shown_errors(), db_session() as s:
                if finding_id is None:
                    raise InvalidInput("请选择要撤销的记录")
                withdraw_site_finding(s, finding_id=finding_id, reason=reason, by=actor())
                flash("分场所记录已撤销", "success")
                st.rerun()


def site_summary_panel(engagement_id: int) -> None:
    """分场所汇总: per site, the visits, findings, nonconformities and evidence files, as a table and a chart."""
    with db_session() as s:
        rows = site_summary(s, engagement_id, by=actor())
    st.subheader("分场所汇总")
    if not rows:
        st.caption("尚无场所访问记录，也没有注明场所的发现、不符合项或证据。")
        return
    table([{"场所": r.site, "类型": r.kind, "访问": r.visited or "未记录", "分场所发现": r.findings,
            "其中不符合": r.against, "不符合项": r.nonconformities, "证据文件": r.evidence} for r in rows], empty="")
    names = [r.site for r in rows]
    st.plotly_chart(figure([bar(name="分场所发现", x=names, y=[r.findings for r in rows]),
                            bar(name="不符合项", x=names, y=[r.nonconformities for r in rows]),
                            bar(name="证据文件", x=names, y=[r.evidence for r in rows])],
                           "各场所的发现、不符合项和证据", 320, barmode="group"), key=f"site-summary-{engagement_id}")
