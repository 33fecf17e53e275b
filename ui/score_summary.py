"""The score at a glance: score, star level, decision, progress, and the path to the next star."""
from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

import streamlit as st

from audits.engagements import get_engagement
from config import settings
from criteria.model import Tree
from exports.wording import overall_readiness, predicted_text, readiness, wording
from scoring.engine import ScoreResult
from scoring.next_star import path_to_next_star
from scoring.stars import Scheme
from ui.charts import points_by_indicator, score_history
from ui.chinese import PLOTLY_CONFIG
from ui.current import ENGAGEMENT_PARAM, actor
from ui.labels import DECISION_LABELS, STAR_LABELS
from ui.state import db_session
from ui.text import md
from vocabulary import CLAUSE_STATUS_LABELS, EngagementKind

NOT_STARTED = "尚未开始评分"
DAY_MS = 86_400_000
DATE_AXIS = dict(tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d %H:%M", tickformatstops=[
    dict(dtickrange=[None, DAY_MS], value="%m-%d %H:%M"), dict(dtickrange=[DAY_MS, None], value="%Y-%m-%d")])


def engagement_kind(engagement_id: int | None = None) -> str | None:
    """The kind of the engagement (unless given, the one the page's address shows: an engagement page keeps it
    there, while quick scoring, which shows none, scores on its own): what decides how a result is worded."""
    found = engagement_id
    if found is None:
        try:
            found = int(st.query_params.get(ENGAGEMENT_PARAM, ""))
        except ValueError:
            return None
    with db_session() as s:
        return get_engagement(s, found, by=actor()).kind


def score_metrics(result: ScoreResult, kind: str | None = None) -> None:
    """Score, star level, decision and progress; before the first rating it says the assessment has not started
    (no star or decision yet), and while clauses are unrated it says the result is partial. A pre-audit (the
    open engagement's kind unless given) shows its readiness and predicted star instead (exports.wording)."""
    started = result.rated > 0 or result.complete
    if wording(kind or engagement_kind()).gap:
        _gap_metrics(result, started)
        return
    if not started:
        st.info(f"{NOT_STARTED}：还没有条款评分，星级和结论待评分后得出。", icon=":material/hourglass_empty:")
    elif not result.complete:
        remaining = result.applicable_clauses - result.rated
        st.info(f"已评 {result.rated}/{result.applicable_clauses}，以下为当前部分结果：未评的 {remaining} 个条款暂不得分；"
                f"评完前结论最好为“暂缓决定”，得分低于 {result.scheme.pass_mark:g} 分时为“不予通过”。",
                icon=":material/pending:")
    a, b, c, d = st.columns(4)
    a.metric("得分", f"{result.score:.2f}")
    b.metric("星级", STAR_LABELS[result.star] if started else NOT_STARTED)
    c.metric("结论", DECISION_LABELS[result.decision] if started else "—",
             help="按评价规则由得分、特别扣分和未关闭的不符合项得出；评价组的推荐和认证决定见“推荐意见与认证决定”。")
    d.metric("进度", f"{result.rated} / {result.applicable_clauses}")
    if result.applicable_clauses:
        st.progress(result.rated / result.applicable_clauses)
    if result.open_serious:
        st.caption(f"有 {result.open_serious} 项严重不符合尚未关闭。")


def _gap_metrics(result: ScoreResult, started: bool) -> None:
    """A pre-audit is a gap analysis: readiness per first-level indicator and a star predicted from what is rated."""
    words = wording(EngagementKind.PRE_AUDIT)
    if not started:
        st.info(f"{NOT_STARTED}：还没有条款评分，{words.star}和{words.conclusion}待评分后得出。",
                icon=":material/hourglass_empty:")
    elif not result.complete:
        st.info(f"差距分析：已评 {result.rated}/{result.applicable_clauses}，未评条款暂不得分；{words.star}仅按已评条款推算。",
                icon=":material/pending:")
    a, b, c, d = st.columns([1, 3, 1, 1])  # the predicted star says on what it rests: it needs the room
    a.metric("得分", f"{result.score:.2f}")
    b.metric(words.star, predicted_text(result) if started else NOT_STARTED)
    c.metric(f"总体{words.conclusion}", overall_readiness(result) if started else "—",
             help="已评且符合的分值占涉及项分值的比例")
    d.metric("进度", f"{result.rated} / {result.applicable_clauses}")
    if result.applicable_clauses:
        st.progress(result.rated / result.applicable_clauses)
    rows = readiness(result)
    for column, row in zip(st.columns(len(rows)) if rows else [], rows, strict=True):
        column.metric(f"{row.code} {row.name} {words.conclusion}", f"{row.share:.0f}%" if row.applicable else "不适用",
                      help=f"已评 {row.rated}/{row.clauses} 个条款")


def next_star_panel(tree: Tree, result: ScoreResult) -> None:
    path = path_to_next_star(result)
    if path.target is None:
        st.success("已达最高星级。" if result.applicable_points else "没有适用条款。")
        return
    title = f"升至{STAR_LABELS[path.target]}（≥ {path.threshold}）"
    if not path.reachable:
        st.warning(f"{title}：即使所有条款都改为符合也无法达到（特别扣分项的影响）。")
        return
    st.markdown(f"**{title}：最少需将以下 {len(path.steps)} 个条款改为符合**")
    if not path.steps:
        return
    rows = [{"条款": s.code, "名称": tree.node(s.code).name, "当前": CLAUSE_STATUS_LABELS[s.status],
             "得分 +": round(float(s.adds_score), 2)} for s in path.steps]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "条款": st.column_config.TextColumn(width="small"), "当前": st.column_config.TextColumn(width="small"),
        "得分 +": st.column_config.NumberColumn(width="small", help="改为符合后百分制得分的增加")})
    st.caption(f"完成后得分约为 {path.score_after}")


def indicator_charts(result: ScoreResult) -> None:
    st.plotly_chart(points_by_indicator(result.subtotals_at(1), "一级指标得分"), key="chart-level1",
                    config=PLOTLY_CONFIG)
    st.plotly_chart(points_by_indicator(result.subtotals_at(2), "二级指标得分"), key="chart-level2",
                    config=PLOTLY_CONFIG)


def score_history_chart(timeline: list, scheme: Scheme) -> None:
    """The score over time (audits.score_history points), dated as 2026-11-30 in the configured time zone rather
    than in plotly's English month names; the notes' user text is shown as text (plotly reads tags in it)."""
    zone = ZoneInfo(settings().timezone)
    chart = score_history([p.at.astimezone(zone) for p in timeline], [float(p.score) for p in timeline],
                          [escape(f"{p.by}：{p.change}", quote=False) for p in timeline], scheme)
    chart.update_xaxes(**DATE_AXIS)
    st.plotly_chart(chart, key="score-history", config=PLOTLY_CONFIG)


def provenance_note(tree: Tree) -> None:
    st.caption(md(f"{tree.title}（{tree.ref}）。标注“本产品拟定”的检查项并非标准原文，"
                  "认证机构可加载自己的评分表替换。"))
