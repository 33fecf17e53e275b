"""Special deductions (特别扣分项) and the special bonus (特别加分项) of an engagement: list, add, withdraw."""
from __future__ import annotations

import streamlit as st

from audits.special_items import list_special_items, withdraw_special_item
from criteria.model import Tree
from nonconformities.services import record_special_item, special_item_nonconformities
from ui.chinese import CHOOSE
from ui.current import actor
from ui.feedback import flash, show_flashes, shown_errors
from ui.layout import lazy_expander
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time, md
from vocabulary import DEDUCTION_LABELS, SEVERITY_LABELS, Limit, Severity, SpecialKind


def special_items_panel(page: PageState, engagement_id: int, tree: Tree) -> None:
    with db_session() as s:
        items = list_special_items(s, engagement_id, by=actor())
        raised = special_item_nonconformities(s, engagement_id, by=actor())
    deductions = sum(1 for i in items if i.kind == SpecialKind.DEDUCTION)
    bonus = sum(1 for i in items if i.kind == SpecialKind.BONUS)
    with lazy_expander(f"特别扣分项 {deductions} 项 · 特别加分项 {bonus} 项", key=f"special-{engagement_id}") as is_open:
        if not is_open:
            return
        show_flashes()
        for item in items:
            _item_row(page, item, raised.get(item.id))
        add_deduction, add_bonus = st.columns(2)
        with add_deduction:
            _add_form(page, engagement_id, tree, SpecialKind.DEDUCTION)
        with add_bonus:
            _add_form(page, engagement_id, tree, SpecialKind.BONUS)


def _item_row(page: PageState, item, nc_number: int | None) -> None:
    sign = "−1" if item.kind == SpecialKind.DEDUCTION else "+1"
    label = DEDUCTION_LABELS.get(item.category, "特别加分")
    text, action = st.columns([5, 2], vertical_alignment="bottom")
    text.markdown(f"**{sign}** {label}{' · 条款 ' + md(item.code) if item.code else ''}：{md(item.reason)}  \n"
                  f":gray[{md(item.created_by)} · {local_time(item.created_at)}]"
                  + (f"  \n不符合项 NC-{nc_number:02d}" if nc_number else ""))
    with action.form(f"withdraw-form-{item.id}", border=False, enter_to_submit=False):
        reason = st.text_input("撤销理由", key=f"withdraw-reason-{item.id}", max_chars=Limit.SHORT,
                               help=f"撤销后扣分取消，不符合项 NC-{nc_number:02d} 仍保留" if nc_number else None)
        if st.form_submit_button("撤销", key=f"withdraw-{item.id}"):
            with shown_errors(), db_session() as s:
                withdraw_special_item(s, item_id=item.id, reason=reason, by=actor())
                page.show_next({f"withdraw-reason-{item.id}": ""})
                flash("已撤销（记录保留）" + (f"；不符合项 NC-{nc_number:02d} 仍保留，请在不符合项页面处理"
                                           if nc_number else ""), "success")
                st.rerun()


def _add_form(page: PageState, engagement_id: int, tree: Tree, kind: SpecialKind) -> None:
    deduction = kind == SpecialKind.DEDUCTION
    with st.form(f"add-{kind}", enter_to_submit=False):
        st.markdown("**新增特别扣分项（−1 分）**" if deduction else "**新增特别加分项（+1 分，最多 1 项）**")
        category = st.selectbox("类别", list(DEDUCTION_LABELS), format_func=DEDUCTION_LABELS.get,
                                key=f"{kind}-category", placeholder=CHOOSE) if deduction else ""
        codes = [None] + [leaf.code for leaf in tree.leaves()]
        code = st.selectbox("相关条款", codes, key=f"{kind}-code", placeholder=CHOOSE,
                            format_func=lambda c: "（不指定）" if c is None else f"{c} {tree.node(c).name}")
        reason = st.text_area("事实与理由 *", max_chars=Limit.REASON, key=f"{kind}-reason", height=68)
        severity = st.radio("同时开具的不符合项", [Severity.GENERAL, Severity.SERIOUS], format_func=SEVERITY_LABELS.get,
                            horizontal=True, key=f"{kind}-severity",
                            help="特别扣分项须整改：记录时即开具一项不符合项；撤销扣分项时该不符合项保留") \
            if deduction else Severity.GENERAL
        if st.form_submit_button("添加", key=f"{kind}-submit"):
            with shown_errors(), db_session() as s:
                item = record_special_item(s, engagement_id=engagement_id, kind=kind, reason=reason,
                                           category=category, code=code, severity=severity, tree=tree, by=actor())
                number = special_item_nonconformities(s, engagement_id, by=actor()).get(item.id)
                page.show_next({f"{kind}-reason": ""} | ({f"{kind}-severity": Severity.GENERAL} if deduction else {}))
                # a refusal keeps what was typed
                flash(f"已添加，并开具不符合项 NC-{number:02d}（{SEVERITY_LABELS[severity]}）" if number else "已添加",
                      "success")
                st.rerun()
