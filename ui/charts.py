"""Plotly charts for the dashboard: earned against applicable points per indicator."""
from __future__ import annotations

import plotly.graph_objects as go

from scoring.engine import Subtotal

FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif")


def points_by_indicator(subtotals: list[Subtotal], title: str) -> go.Figure:
    labels = [f"{s.code} {s.name}" + ("" if s.applicable else "（删减）") for s in subtotals]
    fig = go.Figure([
        go.Bar(name="涉及项分值", y=labels, x=[float(s.applicable) for s in subtotals], orientation="h",
               marker_color="#d0d7e2"),
        go.Bar(name="实际得分", y=labels, x=[float(s.earned) for s in subtotals], orientation="h",
               marker_color="#2f6fbd", text=[f"{float(s.percent):.0f}%" if s.applicable else "" for s in subtotals],
               textposition="auto", cliponaxis=False),
    ])
    fig.update_layout(title=title, barmode="overlay", font=FONT, height=120 + 34 * len(subtotals),
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
                      yaxis=dict(autorange="reversed"))
    return fig


def evidence_coverage(codes: list[str], names: dict[str, str], files: dict[str, int]) -> go.Figure:
    """Files linked per clause; clauses with none are red, so what is missing stands out."""
    counts = [files.get(c, 0) for c in codes]
    top = max(2, *counts) * 1.2
    fig = go.Figure(go.Bar(
        x=[f"{c}" for c in codes], y=[n or top * 0.03 for n in counts],
        marker_color=["#d64545" if n == 0 else "#2f6fbd" for n in counts],
        text=[str(n) for n in counts], textposition="outside",
        hovertext=[f"{c} {names[c]}：{n} 份" for c, n in zip(codes, counts, strict=True)], hoverinfo="text"))
    missing = sum(1 for n in counts if n == 0)
    fig.update_layout(title=f"各条款证据数量（红色：尚无证据，共 {missing} 条）", font=FONT, height=360,
                      margin=dict(l=10, r=10, t=50, b=10), yaxis=dict(title="文件数", range=[0, top], dtick=1),
                      xaxis=dict(tickangle=-60))
    return fig


SEVERITY_COLORS = {"严重不符合": "#c0392b", "一般不符合": "#e59f2c", "观察项": "#8e9aaf"}


def nc_by_state(rows: list[dict]) -> go.Figure:
    """Nonconformities by state, stacked by severity; rows hold 状态 and 严重程度."""
    states = list(dict.fromkeys(r["状态"] for r in rows))
    fig = go.Figure([go.Bar(name=severity, x=states, y=[sum(1 for r in rows if r["状态"] == s and
                                                              r["严重程度"] == severity) for s in states],
                            marker_color=color) for severity, color in SEVERITY_COLORS.items()])
    fig.update_layout(title="不符合项：状态与严重程度", barmode="stack", font=FONT, height=320,
                      margin=dict(l=10, r=10, t=50, b=10), yaxis=dict(dtick=1))
    return fig


def nc_by_indicator(counts: dict[str, int]) -> go.Figure:
    fig = go.Figure(go.Bar(x=list(counts), y=list(counts.values()), marker_color="#2f6fbd"))
    fig.update_layout(title="不符合项：按一级指标", font=FONT, height=320, margin=dict(l=10, r=10, t=50, b=10),
                      yaxis=dict(dtick=1))
    return fig


def nc_ageing(labels: list[str], days_left: list[int]) -> go.Figure:
    """Days to the deadline of each open nonconformity; overdue ones are negative and red."""
    fig = go.Figure(go.Bar(x=labels, y=days_left, text=[f"{d} 天" for d in days_left], textposition="outside",
                           marker_color=["#d64545" if d < 0 else "#2f9e6f" for d in days_left]))
    fig.update_layout(title="待整改项距期限天数（负数为逾期）", font=FONT, height=320,
                      margin=dict(l=10, r=10, t=50, b=10))
    return fig


def score_history(times: list, scores: list[float], notes: list[str]) -> go.Figure:
    fig = go.Figure(go.Scatter(x=times, y=scores, mode="lines+markers", line_shape="hv", hovertext=notes,
                               hoverinfo="text+y", line_color="#2f6fbd"))
    for floor, label in ((95, "五星"), (90, "四星"), (80, "三星"), (70, "达标")):
        fig.add_hline(y=floor, line_dash="dot", line_color="#b0b7c3", annotation_text=label,
                      annotation_position="right")
    fig.update_layout(title="得分变化", font=FONT, height=320, margin=dict(l=10, r=40, t=50, b=10),
                      yaxis=dict(range=[0, 102], title="得分"))
    return fig
