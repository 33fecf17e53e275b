"""Charts of the consultant's pages: readiness per indicator, and the prediction beside the body's result."""
from __future__ import annotations

import plotly.graph_objects as go

from readiness.readiness import IndicatorReadiness
from ui.charts import bar, figure
from vocabulary import READINESS_LABELS, ReadinessLevel

LEVEL_COLORS = {ReadinessLevel.READY: "#2f9e5b", ReadinessLevel.IN_PROGRESS: "#e5a12c",
                ReadinessLevel.MISSING: "#d64545"}


def readiness_by_indicator(indicators: list[IndicatorReadiness]) -> go.Figure:
    """Each indicator's clauses by readiness level, stacked."""
    labels = [f"{i.code} {i.name}" for i in indicators]
    return figure([bar(name=READINESS_LABELS[level], y=labels, x=[i.counts.get(level, 0) for i in indicators],
                       orientation="h", marker=dict(color=color)) for level, color in LEVEL_COLORS.items()],
                  "各指标条款准备情况", 120 + 30 * len(indicators), barmode="stack",
                  yaxis=dict(autorange="reversed"), xaxis=dict(dtick=1, title=dict(text="条款数")),
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))


def predicted_against_actual(rows: list[tuple]) -> go.Figure:
    """`rows`: (code, name, predicted %, actual %); an indicator nothing in which applied shows no bar."""
    labels = [f"{code} {name}" for code, name, _, _ in rows]

    def values(index: int) -> list:
        return [None if r[index] is None else float(r[index]) for r in rows]
    return figure([bar(name="预评价预计", x=labels, y=values(2), marker=dict(color="#8e9aaf")),
                   bar(name="认证机构实际", x=labels, y=values(3), marker=dict(color="#2f6fbd"))],
                  "各指标得分率：预计与实际", 380, barmode="group", xaxis=dict(tickangle=-45),
                  yaxis=dict(range=[0, 105], title=dict(text="得分率 %")),
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
