"""The workspace's clause navigator: the tree by first- and second-level indicator, filters, previous/next."""
from __future__ import annotations

import streamlit as st

from criteria.model import Tree, points_text
from records.models import ClauseRating
from scoring.engine import ScoreResult
from ui.page_state import PageState
from vocabulary import CLAUSE_STATUS_LABELS, ClauseStatus, Severity, finds_against

MARKS = {ClauseStatus.UNRATED: "○", ClauseStatus.CONFORM: "✓", ClauseStatus.NONCONFORM: "✗", ClauseStatus.SAMPLED: "◐",
         ClauseStatus.EXCLUDED: "—", ClauseStatus.NOT_COVERED: "◌"}
FILTERS = {"all": "全部", "unrated": CLAUSE_STATUS_LABELS[ClauseStatus.UNRATED], "nonconform": "有不符合",
           "excluded": "已删减"}


def has_finding_against(row: ClauseRating) -> bool:
    return finds_against(row.status, row.nonconforming)


def filtered_codes(tree: Tree, rows: dict[str, ClauseRating], which: str) -> list[str]:
    keep = {
        "all": lambda r: True,
        "unrated": lambda r: r.status == ClauseStatus.UNRATED,
        "nonconform": has_finding_against,
        "excluded": lambda r: r.status == ClauseStatus.EXCLUDED,
    }[which]
    return [leaf.code for leaf in tree.leaves() if leaf.code in rows and keep(rows[leaf.code])]


def unraised(tree: Tree, rows: dict[str, ClauseRating], nonconformities: list) -> list[str]:
    """Clauses that find against the company with no nonconformity raised for them (an observation does not
    count; a closed one does), in the tree's order: findings the report would carry without their nonconformity.
    `nonconformities` are the engagement's register rows."""
    raised = {nc.code for nc in nonconformities if nc.severity != Severity.OBSERVATION}
    return [code for code in filtered_codes(tree, rows, "nonconform") if code not in raised]


def navigator(page: PageState, tree: Tree, rows: dict[str, ClauseRating], result: ScoreResult,
              key: str, at_site: dict[str, set[str]] | None = None) -> str | None:
    """Draw the filter and the grouped clause list; returns the selected clause code (kept in the page state).
    `at_site`: when a site is chosen, the clauses with something recorded there and what (the list keeps only
    those and says what each has)."""
    which = st.segmented_control("筛选", list(FILTERS), format_func=FILTERS.get, default="all",
                                 key=f"{key}-filter") or "all"
    codes = filtered_codes(tree, rows, which)
    if at_site is not None:
        codes = [code for code in codes if code in at_site]
    if not codes:
        st.info("没有符合筛选条件的条款。")
        return None
    if page.chosen.get(key) not in codes:
        page.chosen[key] = codes[0]
    selected = page.chosen[key]
    index = codes.index(selected)
    prev_col, next_col = st.columns(2)
    prev_col.button("上一条", key=f"{key}-prev", disabled=index == 0, width="stretch", on_click=_select,
                    args=(page, key, codes[max(0, index - 1)]), icon=":material/arrow_upward:")
    next_col.button("下一条", key=f"{key}-next", disabled=index == len(codes) - 1, width="stretch",
                    on_click=_select, args=(page, key, codes[min(len(codes) - 1, index + 1)]),
                    icon=":material/arrow_downward:")
    subtotals = {s.code: s for s in result.subtotals}
    shown = set(codes)
    with st.container(height=640, gap=None):
        for node in tree.walk():
            if node.is_leaf:
                if node.code in shown:
                    there = "" if at_site is None else f" 〔{'·'.join(sorted(at_site[node.code]))}〕"
                    st.button(f"{MARKS[rows[node.code].status]} {node.code} {node.name}{there}", key=f"goto-{node.code}",
                              type="primary" if node.code == selected else "tertiary",
                              on_click=_select, args=(page, key, node.code))
            elif any(leaf.code in shown for leaf in node.leaves()):
                sub = subtotals[node.code]
                heading = f"{node.code} {node.name} · {float(sub.earned):.2f}/{points_text(sub.applicable)}"
                st.markdown(f"**{heading}**" if node.level == 1 else f":gray[{heading}]")
    return selected


def _select(page: PageState, key: str, code: str) -> None:
    page.chosen[key] = code
