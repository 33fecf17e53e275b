"""Raise a nonconformity from the workspace: from a clause's finding, or from a special deduction."""
from __future__ import annotations

import streamlit as st

from criteria.model import Tree
from nonconformities.services import RegisterRow, raise_nonconformity
from records.models import Site
from ui.chinese import CHOOSE
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.layout import lazy_expander
from ui.page_state import PageState
from ui.state import db_session
from vocabulary import NC_STATE_LABELS, SEVERITY_LABELS, Limit, Severity

SHOWN = 10  # the clause's most recent nonconformities listed in the workspace; the register has them all


def clause_nonconformities(page: PageState, engagement_id: int, tree: Tree, code: str, finding: str,
                           mine: list[RegisterRow], sites: list[Site]) -> None:
    """`mine`: the clause's nonconformities in the register, newest first; `sites`: the company's (only the active
    ones are offered)."""
    sites = {x.id: x.name for x in sites if x.active}
    label = f"不符合项（{len(mine)}）" if mine else "开具不符合项或观察项"
    with lazy_expander(label, key=f"ncs-{engagement_id}-{code}") as is_open:
        if not is_open:
            return
        if len(mine) > SHOWN:
            st.caption(f"共 {len(mine)} 项，以下为最近的 {SHOWN} 项。")
        for nc in mine[:SHOWN]:
            st.markdown(f"NC-{nc.number:02d} · {SEVERITY_LABELS[nc.severity]} · {NC_STATE_LABELS[nc.state]}"
                        f" · 期限 {nc.due_date or '无'}")
        if mine:
            st.page_link("ui/views/nonconformities.py", label="到不符合项页面处理", icon=":material/report:")
        with st.form(f"raise-{engagement_id}-{code}", enter_to_submit=False):
            severity = st.radio("严重程度", list(SEVERITY_LABELS), format_func=SEVERITY_LABELS.get, horizontal=True,
                                index=1, key=f"raise-severity-{code}")
            fact = st.text_area("不符合事实 *", value=finding, max_chars=Limit.TEXT, key=f"raise-finding-{code}",
                                height=80)
            seen = st.text_area("所见证据", max_chars=Limit.TEXT, key=f"raise-seen-{code}", height=68)
            site_id = st.selectbox("来源场所", [None, *sites], key=f"raise-site-{code}", placeholder=CHOOSE,
                                   format_func=lambda i: "（不注明）" if i is None else sites[i])
            if st.form_submit_button("开具", key=f"raise-submit-{code}"):
                with shown_errors(), db_session() as s:
                    nc = raise_nonconformity(s, engagement_id=engagement_id, severity=severity, code=code,
                                             finding=fact, evidence_seen=seen, site_id=site_id, tree=tree,
                                             by=actor())
                    page.show_next({f"raise-severity-{code}": Severity.GENERAL, f"raise-finding-{code}": finding,
                                    f"raise-seen-{code}": ""})  # a refusal above keeps what was typed
                    flash(f"已开具 NC-{nc.number:02d}（{SEVERITY_LABELS[severity]}），整改期限 {nc.due_date or '无'}",
                          "success")
                    st.rerun()

