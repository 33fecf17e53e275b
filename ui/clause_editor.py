"""Edit one clause of an engagement: the form, the version the user saw, stale-edit refusals, the history."""
from __future__ import annotations

import streamlit as st

from audits.ratings import RatingEntry, clause_history, describe, entry_of, rate_clause, rating_values
from criteria.model import Node, Tree
from errors import AuditError, StaleEdit
from nonconformities.services import RegisterRow
from records.models import ClauseRating, Site
from scoring.assessment import entry_warnings
from ui.clause_form import clause_form, load_form
from ui.current import actor, callback_reads
from ui.feedback import flash, show_flashes
from ui.layout import lazy_expander
from ui.nc_raise import clause_nonconformities
from ui.page_state import PageState
from ui.previous_scores import previous_note
from ui.register_panel import REGISTER_CHANGED, missed_targets, register_panel, register_rows
from ui.site_work_panels import site_findings_section
from ui.state import db_session
from ui.text import local_time, md


def clause_editor(page: PageState, engagement_id: int, tree: Tree, node: Node, row: ClauseRating, *,
                  ncs: list[RegisterRow], sites: list[Site], unraised: bool = False) -> None:
    """`ncs`: the clause's nonconformities, newest first; `sites`: the company's (engagement_sites); `unraised`:
    the clause finds against the company and no nonconformity has been raised for it."""
    key = f"{engagement_id}-{node.code}"
    if page.chosen.get("editing") != key:  # a clause opened afresh shows what is stored now
        page.forget(key)
        page.chosen["editing"] = key
    if st.session_state.pop(REGISTER_CHANGED, None) == key:  # the register saved new counts: show them
        page.forget(key)
    if key not in page.seen:  # opened afresh, or reloaded after a refusal
        load_form(key, entry_of(row))
    expected = page.version_shown(key, row.version)
    show_flashes()
    if row.version != expected:
        st.warning(f"您打开此条款后，{md(row.updated_by)} 已将其修改为“{md(describe(rating_values(row)))}”。"
                   "现在保存会被拒绝。")
        st.button("载入最新内容", key=f"reload-{key}", on_click=page.forget, args=(key,))
    previous_note(engagement_id, node.code)
    note = f"版本 {row.version}" + (f" · {md(row.updated_by)} 于 {local_time(row.updated_at)} 修改" if row.version else "")
    samples = register_rows(engagement_id, node.code)
    clause_form(node, entry_of(row), key=key, note=note, locked=bool(samples),
                on_save=lambda entered: _save(page, engagement_id, tree, node.code, entered, key))
    missed_targets(engagement_id, node.code)
    register_panel(engagement_id, tree, node.code, samples)
    if unraised:
        st.warning("此条款有不符合，但尚未开具不符合项：请在下面开具。", icon=":material/report:")
    clause_nonconformities(page, engagement_id, tree, node.code, row.finding, ncs, sites)
    site_findings_section(page, engagement_id, tree, node.code, sites)
    _history(engagement_id, node.code)


def _save(page: PageState, engagement_id: int, tree: Tree, code: str, entered: RatingEntry, key: str) -> None:
    """保存's callback: it runs before the page does, so the page that follows shows the new score."""
    try:
        with callback_reads(), db_session() as s:
            saved = rate_clause(s, engagement_id=engagement_id, code=code, entry=entered,
                                expected_version=page.seen[key], tree=tree, by=actor())
    except StaleEdit as exc:
        page.forget(key)  # the form shows the newer value
        flash(exc.message)
        return
    except AuditError as exc:  # the form keeps what the user typed
        flash(f"未保存：{exc.message}")
        return
    page.saw(key, saved.version)
    flash(f"{code} 已保存", "toast")
    for warning in entry_warnings(entered):  # allowed, but probably not what the user meant
        flash(f"{code}：{warning}", "warning")


def _history(engagement_id: int, code: str) -> None:
    with lazy_expander("修改历史", key=f"history-{engagement_id}-{code}") as is_open:
        if not is_open:
            return
        with db_session() as s:
            changes = clause_history(s, engagement_id, by=actor(), code=code)
        if not changes:
            st.caption("尚无修改。")
            return
        st.dataframe([{"时间": local_time(c.changed_at), "修改人": c.changed_by, "版本": c.version,
                       "修改前": describe(c.before), "修改后": describe(c.after), "审核发现": c.after.get("finding", "")}
                      for c in changes], hide_index=True, width="stretch")
