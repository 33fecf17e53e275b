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
