"""A company's cycle as plain data for its charts (pure: no database): which surveillance covers which window,
the spans of the timeline (engagements, certificate validity, surveillance windows) and the score of each
first-level indicator over the engagements.

Rules: an engagement spans its start to its end date (a missing end is its start; a missing start its decision
or creation day). A certificate spans its issue to its expiry. A window is covered by the first surveillance dated
(decision day, or start before a decision) from its opening until the next window opens, so a late surveillance
still covers its own window and never the next one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cycle.schedule import Window
from vocabulary import CERTIFICATE_STATE_LABELS, KIND_LABELS, CertificateState, EngagementKind

ENGAGEMENTS, WINDOWS = "评价项目", "监督评价窗口"


@dataclass(frozen=True)
class DatedEngagement:
    engagement_id: int
    on: date | None


def assign_windows(windows: list[Window], dated: list[DatedEngagement]) -> list[int | None]:
    """For each window, the surveillance engagement that covers it, or None."""
    ends = [w.opens for w in windows[1:]] + [date.max]
    chosen: list[int | None] = []
    for window, end in zip(windows, ends, strict=True):
        chosen.append(next((d.engagement_id for d in sorted(dated, key=lambda d: (d.on or date.max, d.engagement_id))
                            if d.on is not None and window.opens <= d.on < end), None))
    return chosen


@dataclass(frozen=True)
class EngagementDates:
    engagement_id: int
    kind: str
    title: str
    start: date | None
    end: date | None
    created: date
    decided: date | None = None


@dataclass(frozen=True)
class CertificateDates:
    number: str
    issued_on: date
    expires_on: date
    state: str


@dataclass(frozen=True)
class WindowDates:
    number: int
    window: Window
    done_by: int | None


@dataclass(frozen=True)
class Span:
    lane: str      # the timeline's row
    start: date
    end: date      # inclusive
    label: str
    group: str     # what the colour says: the engagement's kind, the certificate's state, covered or not


def timeline_spans(engagements: list[EngagementDates], certificates: list[CertificateDates],
                   windows: list[WindowDates]) -> list[Span]:
    spans = []
    for e in engagements:
        start = e.start or e.decided or e.created
        end = max(e.end or start, start)
        kind = KIND_LABELS[EngagementKind(e.kind)]
        spans.append(Span(ENGAGEMENTS, start, end, f"{kind}：{e.title or '项目 ' + str(e.engagement_id)}"
                          + (f"（决定 {e.decided:%Y-%m-%d}）" if e.decided else ""), kind))
    for c in certificates:
        state = CERTIFICATE_STATE_LABELS[CertificateState(c.state)]
        spans.append(Span(f"证书 {c.number}", c.issued_on, c.expires_on,
                          f"证书 {c.number}：{c.issued_on:%Y-%m-%d} 至 {c.expires_on:%Y-%m-%d}（{state}）", f"证书{state}"))
    for w in windows:
        done = f"已由项目 {w.done_by} 完成" if w.done_by else "尚未完成"
        spans.append(Span(WINDOWS, w.window.opens, w.window.closes,
                          f"第 {w.number} 次监督评价：应于 {w.window.due:%Y-%m-%d} 前后（{w.window.opens:%Y-%m-%d} 至 "
                          f"{w.window.closes:%Y-%m-%d}），{done}", "监督窗口（已完成）" if w.done_by else "监督窗口（未完成）"))
    return spans


@dataclass(frozen=True)
class ScoredEngagement:
    """An engagement's score per first-level indicator (percent of its applicable points)."""

    label: str
    on: date
    indicators: dict[str, Decimal]   # "5.1 售后服务体系" -> 87.5; a fully excluded indicator is absent


def score_series(scored: list[ScoredEngagement]) -> dict[str, list[tuple[date, float, str]]]:
    """Per first-level indicator, its (date, percent, engagement) points in date order: one line per indicator."""
    series: dict[str, list[tuple[date, float, str]]] = {}
    for item in sorted(scored, key=lambda s: s.on):
        for indicator, percent in item.indicators.items():
            series.setdefault(indicator, []).append((item.on, float(percent), item.label))
    return series
