"""Plotly charts for the dashboard: points per indicator, evidence coverage, nonconformities, score history.

Each figure is built in one go from plain dicts: plotly's update_layout/add_hline re-parse property paths and
cost several times more, on a page that reruns on every click."""
from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from scoring.engine import Subtotal
from scoring.stars import DEFAULT_SCHEME, STAR_LABELS, Scheme
from vocabulary import NC_STATE_LABELS, SEVERITY_LABELS, Severity

FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif")


def figure(data: list[dict], title: str, height: int, **layout) -> go.Figure:
    base = dict(title=dict(text=title), font=FONT, height=height, margin=dict(l=10, r=10, t=50, b=10))
    return go.Figure(dict(data=data, layout=base | layout))


def bar(**trace) -> dict:
    return dict(type="bar", **trace)


def points_by_indicator(subtotals: list[Subtotal], title: str) -> go.Figure:
    labels = [f"{s.code} {s.name}" + ("" if s.applicable else "（删减）") for s in subtotals]
    return figure([
        bar(name="涉及项分值", y=labels, x=[float(s.applicable) for s in subtotals], orientation="h",
            marker=dict(color="#d0d7e2")),
        bar(name="实际得分", y=labels, x=[float(s.earned) for s in subtotals], orientation="h",
            marker=dict(color="#2f6fbd"), textposition="auto", cliponaxis=False,
            text=[f"{float(s.percent):.0f}%" if s.applicable else "" for s in subtotals]),
    ], title, 120 + 34 * len(subtotals), barmode="overlay", yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))


def evidence_coverage(codes: list[str], names: dict[str, str], files: dict[str, int]) -> go.Figure:
    """Files linked per clause; clauses with none are red, so what is missing stands out."""
    counts = [files.get(c, 0) for c in codes]
    top = max(2, *counts) * 1.2
    missing = sum(1 for n in counts if n == 0)
    return figure([bar(
        x=list(codes), y=[n or top * 0.03 for n in counts],
        marker=dict(color=["#d64545" if n == 0 else "#2f6fbd" for n in counts]),
        text=[str(n) for n in counts], textposition="outside", hoverinfo="text",
        hovertext=[f"{c} {names[c]}：{n} 份" for c, n in zip(codes, counts, strict=True)])],
        f"各条款证据数量（红色：尚无证据，共 {missing} 条）", 360,
        yaxis=dict(title=dict(text="文件数"), range=[0, top], dtick=1), xaxis=dict(tickangle=-60))


SEVERITY_COLORS = {Severity.SERIOUS: "#c0392b", Severity.GENERAL: "#e59f2c", Severity.OBSERVATION: "#8e9aaf"}


def nc_by_state(rows: list[tuple[str, str]]) -> go.Figure:
    """Nonconformities by state, stacked by severity; rows are (state, severity) pairs."""
    counts = Counter(rows)
    states = list(dict.fromkeys(state for state, _ in rows))
    return figure([bar(name=SEVERITY_LABELS[severity], x=[NC_STATE_LABELS[s] for s in states],
                       marker=dict(color=color), y=[counts[(s, severity)] for s in states])
                   for severity, color in SEVERITY_COLORS.items()],
                  "不符合项：状态与严重程度", 320, barmode="stack", yaxis=dict(dtick=1))


def nc_by_indicator(counts: dict[str, int]) -> go.Figure:
    return figure([bar(x=list(counts), y=list(counts.values()), marker=dict(color="#2f6fbd"))],
                  "不符合项：按一级指标", 320, yaxis=dict(dtick=1))


def nc_ageing(labels: list[str], days_left: list[int]) -> go.Figure:
    """Days to the deadline of each open nonconformity; overdue ones are negative and red."""
    return figure([bar(x=labels, y=days_left, text=[f"{d} 天" for d in days_left], textposition="outside",
                       marker=dict(color=["#d64545" if d < 0 else "#2f9e6f" for d in days_left]))],
                  "待整改项距期限天数（负数为逾期）", 320)


def score_history(times: list, scores: list[float], notes: list[str], scheme: Scheme = DEFAULT_SCHEME) -> go.Figure:
    """The score over time, with a dotted line at each star level's threshold."""
    floors = [(float(floor), STAR_LABELS[star]) for star, floor in scheme.thresholds]
    return figure(
        [dict(type="scatter", x=times, y=scores, mode="lines+markers", line=dict(shape="hv", color="#2f6fbd"),
              hovertext=notes, hoverinfo="text+y")],
        "得分变化", 320, margin=dict(l=10, r=40, t=50, b=10), yaxis=dict(range=[0, 102], title=dict(text="得分")),
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y, line=dict(dash="dot", color="#b0b7c3", width=1))
                for y, _ in floors],
        annotations=[dict(xref="paper", x=1, y=y, text=label, showarrow=False, xanchor="left",
                          font=dict(size=11, color="#6b7383")) for y, label in floors])


DAY_MS = 86_400_000
GROUP_COLORS = ["#2f6fbd", "#2f9e6f", "#e59f2c", "#8e5cc2", "#c0392b", "#8e9aaf", "#17a2b8", "#b07d2b"]


def cycle_timeline(spans: list, today) -> go.Figure:
    """The company's cycle (cycle.timeline.Span rows): a bar per engagement, certificate and surveillance window,
    one colour per group, a dashed line at today."""
    groups = list(dict.fromkeys(s.group for s in spans))
    lanes = list(dict.fromkeys(s.lane for s in spans))
    data = [bar(name=group, orientation="h", y=[s.lane for s in spans if s.group == group],
                base=[s.start.isoformat() for s in spans if s.group == group],
                x=[((s.end - s.start).days + 1) * DAY_MS for s in spans if s.group == group],
                hovertext=[s.label for s in spans if s.group == group], hoverinfo="text",
                marker=dict(color=GROUP_COLORS[n % len(GROUP_COLORS)], opacity=0.85))
            for n, group in enumerate(groups)]
    return figure(data, "认证周期时间线", 160 + 40 * len(lanes), barmode="overlay",
                  xaxis=dict(type="date", tickformat="%Y-%m-%d"),
                  yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=lanes),
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
                  shapes=[dict(type="line", xref="x", yref="paper", x0=today.isoformat(), x1=today.isoformat(),
                               y0=0, y1=1, line=dict(dash="dash", color="#c0392b", width=1))],
                  annotations=[dict(xref="x", yref="paper", x=today.isoformat(), y=1, text="今天", showarrow=False,
                                    yanchor="bottom", font=dict(size=11, color="#c0392b"))])


def indicator_lines(series: dict[str, list[tuple]]) -> go.Figure:
    """Each first-level indicator's score (percent of its applicable points) over the company's engagements."""
    return figure([dict(type="scatter", mode="lines+markers", name=name, x=[p[0].isoformat() for p in points],
                        y=[p[1] for p in points], hovertext=[f"{p[2]}：{p[1]:.1f}%" for p in points],
                        hoverinfo="text+name") for name, points in series.items()],
                  "各一级指标得分率变化", 340, yaxis=dict(range=[0, 102], title=dict(text="得分率（%）")),
                  xaxis=dict(type="date", tickformat="%Y-%m-%d"),
                  legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
