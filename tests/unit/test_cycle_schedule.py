"""The cycle's dates: validity, surveillance windows, recertification, the plan's notice, suspension."""
from dataclasses import replace
from datetime import date

import pytest

from criteria.scheme import DEFAULT_SCHEME
from cycle.schedule import (
    add_months,
    expiry,
    plan_deadline,
    plan_sent_late,
    recertification_due,
    surveillance_window,
    surveillances_in_validity,
    suspension_ends,
)


def test_months_keep_the_day_or_fall_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2027, 3, 31), -3) == date(2026, 12, 31)


def test_a_certificate_is_valid_three_years_to_the_day_before():
    assert expiry(date(2026, 3, 1), DEFAULT_SCHEME) == date(2029, 2, 28)
    assert expiry(date(2024, 2, 29), DEFAULT_SCHEME) == date(2027, 2, 27)


def test_surveillance_is_due_yearly_from_the_decision_with_a_window():
    first = surveillance_window(date(2026, 5, 10), 1, DEFAULT_SCHEME)
    assert (first.due, first.opens, first.closes) == (date(2027, 5, 10), date(2027, 3, 11), date(2027, 7, 9))
    assert first.state(date(2027, 3, 10)) == "early"
    assert first.state(date(2027, 7, 9)) == "open"
    assert first.state(date(2027, 7, 10)) == "overdue"
    assert surveillance_window(date(2026, 5, 10), 2, DEFAULT_SCHEME).due == date(2028, 5, 10)
    with pytest.raises(ValueError):
        surveillance_window(date(2026, 5, 10), 0, DEFAULT_SCHEME)


def test_two_surveillances_then_the_recertification_application():
    decided = date(2026, 5, 10)
    expires = expiry(decided, DEFAULT_SCHEME)
    assert recertification_due(expires, DEFAULT_SCHEME) == date(2029, 2, 9)
    assert [w.due for w in surveillances_in_validity(decided, expires, DEFAULT_SCHEME)] == [
        date(2027, 5, 10), date(2028, 5, 10)]


def test_the_plan_reaches_the_company_three_days_ahead():
    assert plan_deadline(date(2026, 12, 10), DEFAULT_SCHEME) == date(2026, 12, 7)
    assert not plan_sent_late(date(2026, 12, 7), date(2026, 12, 10), DEFAULT_SCHEME)
    assert plan_sent_late(date(2026, 12, 8), date(2026, 12, 10), DEFAULT_SCHEME)
    assert not plan_sent_late(date(2026, 12, 8), None, DEFAULT_SCHEME)
    assert plan_sent_late(date(2026, 12, 4), date(2026, 12, 10), replace(DEFAULT_SCHEME, plan_notice_days=7))


def test_a_suspension_lasts_at_most_six_months():
    assert suspension_ends(date(2026, 8, 31), DEFAULT_SCHEME) == date(2027, 2, 28)
