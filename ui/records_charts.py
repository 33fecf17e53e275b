"""Charts of a company's own records: the time each case took against its limit, and monthly rates against the
target (plotly, drawn from plain lists)."""
from __future__ import annotations

import plotly.graph_objects as go

from ui.charts import figure


def time_taken(taken: list[float], limit: float, unit: str, title: str) -> go.Figure:
    """A histogram of the time taken per case, with the limit as a red line."""
    fig = figure([dict(type="histogram", x=taken, name="案例数", marker=dict(color="#2f6fbd"), nbinsx=40)],
                 title, 320, xaxis=dict(title=f"用时（{unit}）"), yaxis=dict(title="案例数"), bargap=0.05)
    fig.add_vline(x=limit, line=dict(color="#c0392b", dash="dash"), annotation_text=f"时限 {limit:g} {unit}")
    return fig


def monthly_rates(months: list[str], shares: list[float], cases: list[int], target: float, title: str) -> go.Figure:
    """Per month, the percent of cases within the limit, against the declared target."""
    fig = figure([dict(type="bar", x=months, y=shares, name="当月及时率（%）", marker=dict(color="#2f6fbd"),
                       text=[f"{s:g}%（{c} 件）" for s, c in zip(shares, cases, strict=True)], textposition="auto")],
                 title, 320, yaxis=dict(title="%", range=[0, 105]), xaxis=dict(type="category"))
    fig.add_hline(y=target, line=dict(color="#c0392b", dash="dash"), annotation_text=f"目标 {target:g}%")
    return fig
