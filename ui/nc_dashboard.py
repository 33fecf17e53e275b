"""The dashboard's nonconformity section: counts, overdue ones, and three charts."""
from __future__ import annotations

from collections import Counter

import streamlit as st

from criteria.model import Tree
from nonconformities.services import register
from nonconformities.workflow import DONE, OPEN_FOR_CLIENT
from timefmt import local_today
from ui.charts import nc_ageing, nc_by_indicator, nc_by_state
from ui.chinese import PLOTLY_CONFIG
from ui.current import actor
from ui.state import db_session


def nonconformity_section(engagement_id: int, tree: Tree) -> None:
    with db_session() as s:
        rows = register(s, by=actor(), engagement_id=engagement_id)
    st.subheader("不符合项")
    if not rows:
        st.caption("本项目尚无不符合项。")
        return
    open_ = [r for r in rows if r.state not in DONE]
    overdue = [r for r in rows if r.overdue]
    a, b, c = st.columns(3)
    a.metric("不符合项总数", len(rows))
    b.metric("未关闭", len(open_))
    c.metric("逾期", len(overdue))
    for row in overdue:
        st.error(f"NC-{row.number:02d}（{row.code or '特别扣分'}）已逾期，期限 {row.due_date}",
                 icon=":material/schedule:")
    first = Counter(_first_level(tree, r.code) for r in rows)
    waiting = [r for r in rows if r.state in OPEN_FOR_CLIENT and r.due_date]
    left, middle, right = st.columns(3)
    left.plotly_chart(nc_by_state([(r.state, r.severity) for r in rows]), key="nc-state-chart", config=PLOTLY_CONFIG)
    middle.plotly_chart(nc_by_indicator(dict(first)), key="nc-indicator-chart",
                        config=PLOTLY_CONFIG)
    if waiting:
        right.plotly_chart(nc_ageing([f"NC-{r.number:02d}" for r in waiting],
                                     [(r.due_date - local_today()).days for r in waiting]), key="nc-ageing-chart",
                          config=PLOTLY_CONFIG)


def _first_level(tree: Tree, code: str | None) -> str:
    node = tree.first_level_of(code) if code else None
    return f"{node.code} {node.name}" if node else "特别扣分项"
