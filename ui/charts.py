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
