"""The rating form of one clause: requirement, evidence to look for, result, samples, reason, finding."""
from __future__ import annotations

import streamlit as st

from audits.ratings import RatingEntry
from criteria.model import PROVENANCE_LABELS, Node, points_text
from scoring.assessment import ENTRY_FIELDS
from ui.labels import PROVENANCE_BADGES
from ui.text import md
from vocabulary import CLAUSE_STATUS_LABELS, ClauseStatus, Limit

RESULTS = list(CLAUSE_STATUS_LABELS)


UNRATED = RatingEntry(ClauseStatus.UNRATED)


def clause_header(node: Node) -> None:
    st.markdown(f"**{md(node.code)} {md(node.name)}** · {points_text(node.points)} 分 {PROVENANCE_BADGES[node.provenance]}"
                + (" :blue-badge[抽样评分]" if node.sampled else ""),
                help=PROVENANCE_LABELS[node.provenance])
    st.markdown(md(node.requirement))
    if node.evidence:
        st.caption("应查证据：" + md("；".join(node.evidence)))


def widget_values(key: str, entry: RatingEntry) -> dict:
    """The form's widget keys with the values that show `entry`."""
    return {f"result-{key}": entry.status, f"sampled-{key}": entry.sampled,
            f"nonconforming-{key}": entry.nonconforming, f"reason-{key}": entry.reason,
            f"finding-{key}": entry.finding}


def load_form(key: str, entry: RatingEntry) -> None:
    """Put `entry` into the form; call before the form is drawn in this run (the browser then shows it too)."""
    st.session_state.update(widget_values(key, entry))


def entered_values(key: str) -> RatingEntry:
    """What the form holds now, as a rating entry."""
    state = st.session_state
    return RatingEntry(state[f"result-{key}"], int(state[f"sampled-{key}"]), int(state[f"nonconforming-{key}"]),
                       state[f"reason-{key}"].strip(), state[f"finding-{key}"].strip())


def clause_form(node: Node, current: RatingEntry, *, key: str, note: str | None = None,
                on_save=None, locked: bool = False) -> RatingEntry | None:
    """Draw the form (showing `current` unless the user is editing); returns the entered values on 保存.

    With `on_save`, 保存 calls it with the entered values before the page reruns, so the same run already shows
    the result (one run per save instead of two). The widgets take their values from the session state only:
    a `value=` as well would make Streamlit warn. `locked`: the clause has a sample register, so the result and
    the counts are shown read-only (they come from the register)."""
    for name, value in widget_values(key, current).items():
        st.session_state.setdefault(name, value)
    with st.form(key=f"form-{key}", border=True, enter_to_submit=False):
        clause_header(node)
        if note:
            st.caption(note)
        if locked:
            st.caption("评价结果、抽样数和不符合数由下方的样本登记得出，不能手工修改。")
        result = st.radio(ENTRY_FIELDS["status"], RESULTS, horizontal=True, format_func=CLAUSE_STATUS_LABELS.get,
                          key=f"result-{key}", disabled=locked)
        left, right, wide = st.columns([1, 1, 2])
        sampled = left.number_input(ENTRY_FIELDS["sampled"], min_value=0, max_value=Limit.SAMPLES, step=1, key=f"sampled-{key}",
                                    help="仅在“抽样评分”时使用", disabled=locked)
        nonconforming = right.number_input(ENTRY_FIELDS["nonconforming"], min_value=0, max_value=Limit.SAMPLES, step=1, key=f"nonconforming-{key}",
                                           disabled=locked)
        reason = wide.text_input(ENTRY_FIELDS["reason"], max_chars=Limit.REASON, key=f"reason-{key}",
                               help="仅在“删减”时填写，必填")
        finding = st.text_area(ENTRY_FIELDS["finding"], max_chars=Limit.TEXT, key=f"finding-{key}",
                               height=68, placeholder="记录所见事实、抽查的样本和证据")
        if st.form_submit_button("保存", type="primary", key=f"save-{key}",
                                 on_click=on_save and (lambda: on_save(entered_values(key)))):
            return RatingEntry(result, int(sampled), int(nonconforming), reason.strip(), finding.strip())
    return None
