"""上次得分: beside a clause of an engagement that follows another in its cycle, that engagement's result for it."""
from __future__ import annotations

import streamlit as st

from criteria.model import points_text
from cycle.carry_over import PreviousScore, previous_engagement, previous_scores
from ui.current import actor
from ui.state import db_session, remembered, tree_registry
from ui.text import md
from vocabulary import CLAUSE_STATUS_LABELS


def previous_note(engagement_id: int, code: str) -> None:
    """One caption above the clause's form; nothing when the engagement follows none (read once per session:
    the earlier engagement's result is issued and frozen by the time a later one is rated)."""
    title, scores = remembered(f"previous-scores-{engagement_id}", (engagement_id,), lambda: _read(engagement_id))
    if code in scores:
        st.caption(f"上次得分（{md(title)}）：{shown(scores[code])}")


def shown(score: PreviousScore) -> str:
    status = CLAUSE_STATUS_LABELS[score.status] if score.status else ""
    points = f"{points_text(score.earned)} / {points_text(score.applicable)} 分" if score.applicable else "不计分"
    return "，".join(part for part in (status, points) if part)


def _read(engagement_id: int) -> tuple[str, dict[str, PreviousScore]]:
    with db_session() as s:
        previous = previous_engagement(s, engagement_id, by=actor())
        if previous is None:
            return "", {}
        return (f"项目 {previous.id}《{previous.title}》",
                previous_scores(s, engagement_id, by=actor(), trees=tree_registry()))
