"""The certification cycle's dates as pure rules over the scheme's periods (domain brief A6, A7).

A certificate issued on a decision is valid `validity_years`; surveillance is due `surveillance_months` after the
decision and then every `surveillance_months`, and may run within `surveillance_window_days` either side of the
due date; the recertification application is due `recertification_notice_months` before expiry; the plan reaches
the company `plan_notice_days` before the visit; a suspension lasts at most `suspension_max_months`.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from criteria.scheme import Scheme
from vocabulary import DueState


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day where it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Window:
    due: date
    opens: date
    closes: date

    def state(self, today: date) -> str:
        """"early" before it opens, "open" inside it, "overdue" after it closes."""
        return "early" if today < self.opens else "overdue" if today > self.closes else "open"


def expiry(issued_on: date, scheme: Scheme) -> date:
    """The last day a certificate issued on `issued_on` is valid."""
    return add_months(issued_on, 12 * scheme.validity_years) - timedelta(days=1)


def surveillance_window(decided_on: date, number: int, scheme: Scheme) -> Window:
    """The window of the `number`-th surveillance (1, 2, ...) after the decision of `decided_on`."""
    if number < 1:
        raise ValueError("surveillance numbers start at 1")
    due = add_months(decided_on, scheme.surveillance_months * number)
    margin = timedelta(days=scheme.surveillance_window_days)
    return Window(due, due - margin, due + margin)


def surveillances_in_validity(decided_on: date, expires_on: date, scheme: Scheme) -> list[Window]:
    """Every surveillance window due before the certificate's recertification takes over."""
    windows, number = [], 1
    while (window := surveillance_window(decided_on, number, scheme)).due < recertification_due(expires_on, scheme):
        windows.append(window)
        number += 1
    return windows


def recertification_due(expires_on: date, scheme: Scheme) -> date:
    """When the recertification application is due."""
    return add_months(expires_on, -scheme.recertification_notice_months)


def plan_deadline(visit_start: date, scheme: Scheme) -> date:
    """The last day the evaluation plan may reach the company."""
    return visit_start - timedelta(days=scheme.plan_notice_days)


def plan_sent_late(sent_on: date, visit_start: date | None, scheme: Scheme) -> bool:
    return visit_start is not None and sent_on > plan_deadline(visit_start, scheme)


def suspension_ends(suspended_on: date, scheme: Scheme) -> date:
    """The last day a suspension may last; after it the certificate is to be withdrawn."""
    return add_months(suspended_on, scheme.suspension_max_months)


SUSPENSION_WARNING_DAYS = 30  # a suspension is listed as due this many days before its limit


def window_state(window: Window, today: date) -> DueState:
    """A surveillance window is upcoming before it opens, due while open, overdue once closed."""
    return DueState.UPCOMING if today < window.opens else DueState.OVERDUE if today > window.closes else DueState.DUE


def deadline_state(due: date, today: date, soon: timedelta) -> DueState:
    """A deadline is overdue after its day, due from `soon` before it (its day included), upcoming before that."""
    return DueState.OVERDUE if today > due else DueState.DUE if due - today <= soon else DueState.UPCOMING


def plan_state(visit_start: date, today: date, scheme: Scheme) -> DueState | None:
    """An unsent plan is due on its last day (plan_deadline), overdue after it; before that it is not listed."""
    deadline = plan_deadline(visit_start, scheme)
    return None if today < deadline else DueState.DUE if today == deadline else DueState.OVERDUE


def suspension_listed(suspended_on: date, today: date, scheme: Scheme) -> bool:
    """A suspension is listed from SUSPENSION_WARNING_DAYS before its limit, and after it."""
    return suspension_ends(suspended_on, scheme) - today <= timedelta(days=SUSPENSION_WARNING_DAYS)
