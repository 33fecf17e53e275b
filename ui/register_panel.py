"""A clause's sample register in the workspace: the samples, adding one, marking one conform or not, removing one."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from audits.companies import list_sites
from audits.engagements import get_engagement
from criteria.model import Tree
from errors import AuditError, InvalidInput
from samples.logs import parse_times
from samples.registers import SampleEntry, add_samples, edit_sample, register_of, remove_sample
from samples.targets import target_notes
from ui.chinese import CHOOSE
from ui.current import actor
from ui.feedback import flash
from ui.layout import lazy_expander
from ui.state import db_session

REGISTER_CHANGED = "register-changed"  # the clause form reloads the counts the register saved
TIMES = {"reported_at": "受理时间", "responded_at": "响应时间", "on_site_at": "到场时间", "resolved_at": "完成时间"}


def register_rows(engagement_id: int, code: str) -> list:
    with db_session() as s:
        return register_of(s, engagement_id, code, by=actor())


def missed_targets(engagement_id: int, code: str) -> None:
    """The clause's service targets that the company's records show as missed: findings to consider."""
    with db_session() as s:
        notes = target_notes(s, engagement_id, by=actor()).get(code, [])
    for note in notes:
        st.warning(f"{note}。请考虑是否作为审核发现。", icon=":material/flag:")


def register_panel(engagement_id: int, tree: Tree, code: str, rows: list, *, may_edit: bool = True) -> None:
    key = f"{engagement_id}-{code}"
    title = f"样本登记（{len(rows)} 个样本，{sum(not r.conforms for r in rows)} 个不符合）" if rows else "样本登记"
    with lazy_expander(title, key=f"register-{key}") as is_open:
        if not is_open:
            return
        if rows:
            st.dataframe([{"样本编号": r.reference, "日期": r.sampled_on or "", "受理": _when(r.reported_at),
                           "到场": _when(r.on_site_at), "完成": _when(r.resolved_at), "适用时限": r.limit_text,
                           "结论": "符合" if r.conforms else "不符合", "备注": r.note} for r in rows],
                         hide_index=True, width="stretch", key=f"register-table-{key}")
        else:
            st.caption("尚无样本。登记样本后，本条款的抽样数和不符合数由样本登记得出。")
        if may_edit:
            _add_form(engagement_id, tree, code, key)
            if rows:
                _change_form(tree, rows, key)


def _add_form(engagement_id: int, tree: Tree, code: str, key: str) -> None:
    with db_session() as s:
        company_id = get_engagement(s, engagement_id, by=actor()).company_id
        sites = {site.id: site.name for site in list_sites(s, company_id, by=actor(), active_only=True)}
    with st.form(f"sample-add-{key}", clear_on_submit=False, enter_to_submit=False):
        st.markdown("**登记一个样本**")
        left, right = st.columns(2)
        left.text_input("样本编号（工单号、投诉单号或员工编号）", key=f"sample-ref-{key}", max_chars=60)
        right.selectbox("服务网点", [None, *sites], key=f"sample-site-{key}", placeholder=CHOOSE,
                        format_func=lambda i: "（不指定）" if i is None else sites[i])
        cols = st.columns(4)
        for col, (name, word) in zip(cols, TIMES.items(), strict=True):
            col.text_input(word, key=f"sample-{name}-{key}", placeholder="2026-01-05 08:00")
        left, right = st.columns([3, 1])
        left.text_input("适用时限", key=f"sample-limit-{key}", max_chars=100, placeholder="24 小时内到场")
        right.radio("结论", ["符合", "不符合"], key=f"sample-conforms-{key}", horizontal=True)
        st.text_input("备注", key=f"sample-note-{key}", max_chars=5000)
        st.form_submit_button("登记样本", key=f"sample-save-{key}",
                              on_click=lambda: _add(engagement_id, tree, code, key))


def _add(engagement_id: int, tree: Tree, code: str, key: str) -> None:
    state = st.session_state
    try:
        entry = SampleEntry(reference=state[f"sample-ref-{key}"], site_id=state[f"sample-site-{key}"],
                            conforms=state[f"sample-conforms-{key}"] == "符合", limit_text=state[f"sample-limit-{key}"],
                            note=state[f"sample-note-{key}"],
                            **{name: _parsed(state[f"sample-{name}-{key}"], word) for name, word in TIMES.items()})
        entry = SampleEntry(**{**entry.__dict__, "sampled_on": entry.reported_at.date() if entry.reported_at else None})
        with db_session() as s:
            add_samples(s, engagement_id=engagement_id, code=code, entries=[entry], tree=tree, by=actor())
    except AuditError as exc:  # the form keeps what the user typed
        flash(f"未登记：{exc.message}")
        return
    state[f"sample-ref-{key}"] = ""
    state[REGISTER_CHANGED] = key
    flash(f"{code} 已登记样本 {entry.reference}", "toast")


def _change_form(tree: Tree, rows: list, key: str) -> None:
    by_id = {r.id: r for r in rows}
    with st.form(f"sample-change-{key}", enter_to_submit=False):
        st.markdown("**修改或删除样本**")
        st.selectbox("样本", list(by_id), key=f"sample-pick-{key}", placeholder=CHOOSE, format_func=lambda i: by_id[i].reference)
        st.radio("结论", ["符合", "不符合"], key=f"sample-new-conforms-{key}", horizontal=True)
        st.text_input("备注或删除理由", key=f"sample-why-{key}", max_chars=400)
        left, right = st.columns(2)
        left.form_submit_button("保存结论", key=f"sample-edit-{key}", on_click=lambda: _change(tree, by_id, key, False))
        right.form_submit_button("删除样本", key=f"sample-remove-{key}", on_click=lambda: _change(tree, by_id, key, True))


def _change(tree: Tree, by_id: dict, key: str, remove: bool) -> None:
    state = st.session_state
    row = by_id[state[f"sample-pick-{key}"]]
    why = state[f"sample-why-{key}"]
    try:
        with db_session() as s:
            if remove:
                remove_sample(s, sample_id=row.id, expected_version=row.version, reason=why, tree=tree, by=actor())
            else:
                entry = SampleEntry(**{k: getattr(row, k) for k in SampleEntry.__dataclass_fields__})
                entry = SampleEntry(**{**entry.__dict__, "conforms": state[f"sample-new-conforms-{key}"] == "符合",
                                       "note": why or row.note})
                edit_sample(s, sample_id=row.id, entry=entry, expected_version=row.version, tree=tree, by=actor())
    except AuditError as exc:
        flash(f"未保存：{exc.message}")
        return
    state[REGISTER_CHANGED] = key
    flash(f"样本 {row.reference} 已{'删除' if remove else '修改'}", "toast")


def _parsed(text: str, word: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    value = parse_times(pd.Series([text], dtype=object))[0]
    if pd.isna(value):
        raise InvalidInput(f"{word}“{text}”无法识别，请写成 2026-01-05 08:00")
    return value.to_pydatetime()


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""

