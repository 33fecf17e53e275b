"""The cycle's chart data as pure rules: which surveillance covers which window, the timeline's spans, the score
series per first-level indicator."""
from datetime import date
from decimal import Decimal

from criteria.scheme import Scheme
from cycle.schedule import surveillances_in_validity
from cycle.timeline import (
    ENGAGEMENTS,
    WINDOWS,
    CertificateDates,
    DatedEngagement,
    EngagementDates,
    ScoredEngagement,
    WindowDates,
    assign_windows,
    score_series,
    timeline_spans,
)

WINDOWS_2025 = surveillances_in_validity(date(2025, 12, 1), date(2028, 11, 30), Scheme())


def test_a_surveillance_covers_the_window_it_falls_in_and_a_late_one_still_covers_its_own():
    assert [w.due for w in WINDOWS_2025] == [date(2026, 12, 1), date(2027, 12, 1)]
    late = date(2027, 3, 1)  # after the first window closed, before the second opens
    assert assign_windows(WINDOWS_2025, [DatedEngagement(7, late)]) == [7, None]
    assert assign_windows(WINDOWS_2025, [DatedEngagement(8, date(2026, 6, 1))]) == [None, None]  # too early
    assert assign_windows(WINDOWS_2025, [DatedEngagement(9, None), DatedEngagement(10, date(2027, 11, 20)),
                                         DatedEngagement(11, date(2026, 11, 25))]) == [11, 10]


def test_the_timeline_has_a_span_per_engagement_certificate_and_window():
    spans = timeline_spans(
        [EngagementDates(1, "initial", "初次认证", date(2025, 11, 10), date(2025, 11, 12), date(2025, 10, 1),
                         decided=date(2025, 12, 1)),
         EngagementDates(2, "surveillance", "", None, None, date(2026, 11, 2))],
        [CertificateDates("GBT27922-2025-0001", date(2025, 12, 1), date(2028, 11, 30), "suspended")],
        [WindowDates(1, WINDOWS_2025[0], 2)])
    first, second, certificate, window = spans
    assert (first.lane, first.start, first.end, first.group) == (ENGAGEMENTS, date(2025, 11, 10), date(2025, 11, 12),
                                                                 "初次认证")
    assert "决定 2025-12-01" in first.label
    assert (second.start, second.end, second.label) == (date(2026, 11, 2), date(2026, 11, 2), "监督评价：项目 2")
    assert (certificate.lane, certificate.group) == ("证书 GBT27922-2025-0001", "证书暂停")
    assert (window.lane, window.start, window.group) == (WINDOWS, date(2026, 10, 2), "监督窗口（已完成）")
    assert "已由项目 2 完成" in window.label


def test_the_score_series_has_one_line_per_indicator_in_date_order():
    series = score_series([
        ScoredEngagement("监督评价（项目 2）", date(2026, 11, 20), {"5.1 体系": Decimal("90"), "5.2 服务": Decimal("80")}),
        ScoredEngagement("初次认证（项目 1）", date(2025, 12, 1), {"5.1 体系": Decimal("85.5")}),
    ])
    assert series == {"5.1 体系": [(date(2025, 12, 1), 85.5, "初次认证（项目 1）"), (date(2026, 11, 20), 90.0, "监督评价（项目 2）")],
                      "5.2 服务": [(date(2026, 11, 20), 80.0, "监督评价（项目 2）")]}
    assert score_series([]) == {}
