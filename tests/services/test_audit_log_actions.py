"""Business actions are in the audit log, in the same transaction as the action, named as users read them."""
import pytest

from accounts.audit_log import EVENT_LABELS, Event
from accounts.users import actor_of, audit_events, create_user
from audits.companies import add_site, create_company
from audits.engagements import create_engagement, get_engagement, set_status
from errors import AccessDenied, InvalidInput
from nonconformities.services import raise_nonconformity
from tests.factories import VALID_CODES, actor, default_tree, review_passed

TREE = default_tree()


def logged(db, event):
    return audit_events(db, by=actor(), action=event)


def test_creating_a_company_a_site_and_an_engagement_and_moving_its_status_are_logged(db):
    company = create_company(db, data={"name": "甲公司", "credit_code": VALID_CODES[0]}, by=actor("管理员"))
    add_site(db, company_id=company.id, data={"name": "宁波网点", "kind": "outlet", "contracted": True},
             by=actor("管理员"))
    engagement = create_engagement(db, data={"company_id": company.id, "kind": "initial", "title": "初次认证"},
                                   tree=TREE, team=[{"name": "张审查", "role": "lead_assessor"}], by=actor("管理员"))
    review_passed(db, engagement.id)
    set_status(db, engagement.id, "in_progress", by=actor("张审查"))
    assert logged(db, Event.COMPANY_CREATED)[0].target == "甲公司"
    assert logged(db, Event.SITE_ADDED)[0].target == "甲公司 / 宁波网点" and "委托" in logged(db, Event.SITE_ADDED)[0].detail
    created = logged(db, Event.ENGAGEMENT_CREATED)[0]
    assert "《初次认证》" in created.target and "甲公司" in created.detail and "张审查" in created.detail
    assert logged(db, Event.STATUS_CHANGED)[0].detail == "计划中 → 进行中"
    assert all(event in EVENT_LABELS for event in Event)


def test_a_refused_action_leaves_no_business_entry(db):
    create_company(db, data={"name": "甲公司", "credit_code": VALID_CODES[0]}, by=actor())
    with pytest.raises(InvalidInput):
        create_company(db, data={"name": "乙公司", "credit_code": VALID_CODES[0]}, by=actor())  # code taken
    db.rollback()
    assert [e.target for e in logged(db, Event.COMPANY_CREATED)] == ["甲公司"]


def test_a_refusal_names_the_engagement_and_the_action_in_chinese(db):
    company = create_company(db, data={"name": "甲公司", "credit_code": VALID_CODES[0]}, by=actor())
    engagement = create_engagement(db, data={"company_id": company.id, "kind": "initial", "title": "初次认证"},
                                   tree=TREE, team=[], by=actor())
    stranger = actor_of(create_user(db, username="wang", display_name="王审查", role="assessor",
                                    password="a-long-password-1", by=actor()))
    with pytest.raises(AccessDenied):
        get_engagement(db, engagement.id, by=stranger)
    refusal = logged(db, Event.REFUSED)[0]
    assert refusal.target == f"评价项目 {engagement.id}《初次认证》" and refusal.detail == "查看评价项目"


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_default_deadline_counts_from_today_in_the_configured_time_zone(db, monkeypatch, zone):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from audits.ratings import RatingEntry, rate_clause
    from config import settings
    from tests.factories import make_engagement
    monkeypatch.setenv("AUDIT_TIMEZONE", zone)
    settings.cache_clear()
    try:
        e = make_engagement(db)
        rate_clause(db, engagement_id=e.id, code="5.1.6.b", entry=RatingEntry("nonconform", finding="未验证"),
                    expected_version=0, tree=TREE, by=actor())
        nc = raise_nonconformity(db, engagement_id=e.id, severity="general", code="5.1.6.b", tree=TREE,
                                 finding="未验证改进效果", by=actor())
        # the two zones are 25 hours apart: at any moment at least one of them is not on the server's (UTC) date
        assert nc.due_date == datetime.now(ZoneInfo(zone)).date() + timedelta(days=30)
    finally:
        settings.cache_clear()


def test_an_exclusion_the_scheme_does_not_allow_is_refused_audited_and_changes_nothing(db):
    from audits.ratings import RatingEntry, get_rating, rate_clause
    from tests.factories import make_engagement
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="5.1.2.1"):
        rate_clause(db, engagement_id=e.id, code="5.1.2.1", entry=RatingEntry("excluded", reason="不适用"),
                    expected_version=0, tree=TREE, by=actor("张审查"))
    assert get_rating(db, e.id, "5.1.2.1", by=actor()).version == 0
    refusal = logged(db, Event.REFUSED)[0]
    assert refusal.target.endswith("条款 5.1.2.1") and "不可删减" in refusal.detail and refusal.username == "张审查"
