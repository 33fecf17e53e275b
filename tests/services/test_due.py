"""What is due: each kind of item, upcoming, due and overdue, done once the cycle moves on, who sees it and who is
responsible for it; a client never sees another company's items."""
from datetime import date

import pytest

from accounts.users import actor_of
from cycle.due import due_items, filtered, per_month, programme_items, responsible_for
from errors import AccessDenied
from tests import cycle_rows as rows
from tests.factories import actor
from vocabulary import DueKind, DueState

TODAY = date(2026, 11, 30)


@pytest.fixture
def world(db):
    a, b = rows.company(db, 0), rows.company(db, 1)
    people = {"pm": rows.user(db, "pm", "admin"), "dm": rows.user(db, "dm", "decision_maker"),
              "zhang": rows.user(db, "zhang", "assessor"), "li": rows.user(db, "li", "assessor"),
              "wa": rows.user(db, "wa", "client", company=a), "wb": rows.user(db, "wb", "client", company=b)}
    return a, b, people


def kinds(items, kind):
    return [i for i in items if i.kind == kind]


def seen(db, who, today=TODAY, **kw):
    return due_items(db, by=actor_of(who), today=today, **kw)


def certified(db, company, lead, decided_on, **kw):
    engagement = rows.engagement(db, company, lead=lead)
    cycle = rows.cycle_of(db, engagement)
    return engagement, cycle, rows.certificate(db, engagement, decided_on, **kw)


@pytest.mark.parametrize("today, state", [(date(2026, 9, 1), DueState.UPCOMING), (TODAY, DueState.DUE),
                                          (date(2027, 2, 15), DueState.OVERDUE)])
def test_the_first_surveillance_window_is_upcoming_open_or_overdue(db, world, today, state):
    a, _, people = world
    _, _, cert = certified(db, a, people["zhang"], date(2025, 12, 1))
    [item] = kinds(seen(db, people["pm"], today), DueKind.SURVEILLANCE)
    assert (item.state, item.due, item.certificate) == (state, date(2026, 12, 1), cert.number)
    assert "2026-10-02 至 2027-01-30" in item.description
    assert item.responsible == {people["pm"].id, people["wa"].id}


def test_a_surveillance_decided_in_its_window_clears_it_and_one_outside_the_horizon_is_not_listed(db, world):
    a, _, people = world
    engagement, cycle, _ = certified(db, a, people["zhang"], date(2025, 12, 1))
    assert not kinds(seen(db, people["pm"], date(2026, 7, 1)), DueKind.SURVEILLANCE)  # opens 10-02, beyond 60 days
    surveillance = rows.engagement(db, a, kind="surveillance", lead=people["zhang"], cycle=cycle, previous=engagement)
    rows.decision(db, surveillance, date(2026, 11, 20))
    assert not kinds(seen(db, people["pm"]), DueKind.SURVEILLANCE)


def test_a_surveillance_covers_its_window_from_its_start_before_its_decision_even_late_as_on_the_timeline(db, world):
    a, _, people = world
    engagement, cycle, _ = certified(db, a, people["zhang"], date(2025, 12, 1))
    undated = rows.engagement(db, a, kind="surveillance", lead=people["zhang"], cycle=cycle, previous=engagement)
    assert [i.state for i in kinds(seen(db, people["pm"], date(2027, 2, 1)), DueKind.SURVEILLANCE)] == [
        DueState.OVERDUE]
    undated.start_date = date(2027, 2, 10)  # after the window closed, before the next one opens
    db.add(undated)
    db.commit()
    assert not kinds(seen(db, people["pm"], date(2027, 2, 1)), DueKind.SURVEILLANCE)


def test_the_recertification_application_is_overdue_until_a_recertification_follows(db, world):
    a, _, people = world
    engagement, _, cert = certified(db, a, people["zhang"], date(2024, 1, 15))
    [item] = kinds(seen(db, people["pm"]), DueKind.RECERTIFICATION)
    assert (item.state, item.due) == (DueState.OVERDUE, date(2026, 10, 15))
    assert item.responsible == {people["pm"].id, people["wa"].id}
    [expiry] = kinds(seen(db, people["pm"]), DueKind.CERTIFICATE_EXPIRY)
    assert (expiry.state, expiry.due, expiry.responsible) == (DueState.UPCOMING, cert.expires_on, {people["pm"].id})
    rows.engagement(db, a, kind="recertification", lead=people["zhang"], previous=engagement)
    assert not kinds(seen(db, people["pm"]), DueKind.RECERTIFICATION)


@pytest.mark.parametrize("since, today, state", [(date(2026, 6, 15), TODAY, DueState.UPCOMING),
                                                 (date(2026, 6, 3), TODAY, DueState.DUE),
                                                 (date(2026, 6, 15), date(2026, 12, 20), DueState.OVERDUE),
                                                 (date(2026, 7, 15), TODAY, None)])
def test_a_suspension_is_listed_thirty_days_before_its_limit(db, world, since, today, state):
    a, _, people = world
    certified(db, a, people["zhang"], date(2025, 3, 1), state="suspended", state_since=since)
    items = seen(db, people["pm"], today)
    assert [i.state for i in kinds(items, DueKind.SUSPENSION_ENDING)] == ([state] if state else [])
    assert not kinds(items, DueKind.SURVEILLANCE)  # a suspended certificate's surveillance is not listed


@pytest.mark.parametrize("today, state", [(date(2026, 11, 29), None), (TODAY, DueState.DUE),
                                          (date(2026, 12, 1), DueState.OVERDUE)])
def test_a_plan_not_sent_three_days_before_the_visit_is_due_then_overdue_for_the_lead(db, world, today, state):
    a, _, people = world
    engagement = rows.engagement(db, a, lead=people["zhang"], members=[people["li"]], start_date=date(2026, 12, 3))
    rows.plan(db, engagement, visit_start=date(2026, 12, 3))
    items = kinds(seen(db, people["pm"], today), DueKind.PLAN_NOT_SENT)
    assert [i.state for i in items] == ([state] if state else [])
    if state:
        assert items[0].responsible == {people["zhang"].id} and items[0].due == date(2026, 11, 30)
        assert [i.key for i in responsible_for(seen(db, people["zhang"], today), people["zhang"].id)] == [items[0].key]


def test_a_sent_plan_and_an_engagement_without_a_visit_date_are_not_listed(db, world):
    a, _, people = world
    sent = rows.engagement(db, a, lead=people["zhang"], start_date=date(2026, 12, 3))
    rows.plan(db, sent, visit_start=date(2026, 12, 3), sent_on=date(2026, 11, 25))
    rows.engagement(db, a, lead=people["zhang"])
    unplanned = rows.engagement(db, a, lead=people["zhang"], start_date=date(2026, 12, 2))
    assert [i.engagement_id for i in kinds(seen(db, people["pm"]), DueKind.PLAN_NOT_SENT)] == [unplanned.id]


def test_a_revised_plan_not_yet_sent_is_listed(db, world):
    a, _, people = world
    engagement = rows.engagement(db, a, lead=people["zhang"], start_date=date(2026, 12, 3))
    rows.plan(db, engagement, visit_start=date(2026, 12, 3), versions=2)
    [item] = kinds(seen(db, people["pm"]), DueKind.PLAN_NOT_SENT)
    assert "第 2 版尚未发送" in item.description


def test_nonconformity_deadlines_are_the_companys_and_the_teams_while_the_company_owes_an_answer(db, world):
    a, _, people = world
    engagement = rows.engagement(db, a, lead=people["zhang"], members=[people["li"]])
    soon = rows.nonconformity(db, engagement, date(2026, 12, 4), number=1)
    late = rows.nonconformity(db, engagement, date(2026, 11, 20), state="returned", number=2)
    rows.nonconformity(db, engagement, date(2026, 11, 20), state="submitted", number=3)
    rows.nonconformity(db, engagement, date(2027, 3, 1), number=4)  # beyond the horizon
    items = kinds(seen(db, people["pm"]), DueKind.NC_DEADLINE)
    assert [(i.key, i.state) for i in items] == [(f"nc_deadline-n{late.id}", DueState.OVERDUE),
                                                 (f"nc_deadline-n{soon.id}", DueState.DUE)]
    assert all(i.responsible == {people["wa"].id, people["zhang"].id, people["li"].id} for i in items)
    assert responsible_for(items, people["pm"].id) == []


def test_each_user_sees_only_what_they_may_see(db, world):
    a, b, people = world
    certified(db, a, people["zhang"], date(2025, 12, 1))
    other = rows.engagement(db, b, lead=people["li"])
    rows.nonconformity(db, other, date(2026, 12, 4))
    pre_audit = rows.engagement(db, b, kind="pre_audit")
    rows.nonconformity(db, pre_audit, date(2026, 12, 5))

    def companies(who):
        return sorted((i.company_id, i.kind) for i in seen(db, people[who]))
    assert companies("wa") == [(a.id, DueKind.SURVEILLANCE)]
    assert companies("wb") == [(b.id, DueKind.NC_DEADLINE), (b.id, DueKind.NC_DEADLINE)]
    assert companies("zhang") == [(a.id, DueKind.SURVEILLANCE)]  # the team of the certified engagement only
    assert companies("li") == [(b.id, DueKind.NC_DEADLINE)]
    assert companies("dm") == [(a.id, DueKind.SURVEILLANCE), (b.id, DueKind.NC_DEADLINE)]  # no pre-audit
    assert len(seen(db, people["pm"])) == 3


def test_the_programme_view_is_for_administrators_and_decision_makers(db, world):
    a, _, people = world
    certified(db, a, people["zhang"], date(2025, 12, 1))
    assert len(programme_items(db, by=actor_of(people["dm"]), today=TODAY)) == 1
    with pytest.raises(AccessDenied):
        programme_items(db, by=actor_of(people["wa"]), today=TODAY)


def test_filters_and_counts_per_month_are_pure(db, world):
    a, b, people = world
    certified(db, a, people["zhang"], date(2025, 12, 1))
    rows.nonconformity(db, rows.engagement(db, b), date(2027, 1, 10))
    items = due_items(db, by=actor(), today=TODAY)
    assert [i.kind for i in filtered(items, kinds=[DueKind.NC_DEADLINE])] == [DueKind.NC_DEADLINE]
    assert [i.company_id for i in filtered(items, company_ids=[a.id])] == [a.id]
    assert filtered(items, states=[DueState.OVERDUE]) == []
    assert [i.kind for i in filtered(items, since=date(2027, 1, 1), until=date(2027, 1, 31))] == [DueKind.NC_DEADLINE]
    assert per_month(items) == {("2026-12", DueKind.SURVEILLANCE): 1, ("2027-01", DueKind.NC_DEADLINE): 1}
