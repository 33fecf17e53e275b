"""The team's recommendation, the freeze it puts on the result, reopening, and the certification decision."""
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, assign_companies, create_user, set_role
from audits.decisions import record_decision, reopen_result, result_record
from audits.engagements import create_engagement, set_status, status_history
from audits.ratings import RatingEntry, get_rating, rate_clause
from audits.special_items import withdraw_special_item
from dossier.recommendation import record_recommendation
from errors import AccessDenied, InvalidInput, InvalidTransition
from nonconformities.services import accept_rectification, raise_nonconformity, submit_rectification
from records.models import Engagement, Recommendation
from tests.factories import actor, default_tree, review_passed
from timefmt import local_today

TREE = default_tree()
SYSTEM = actor("系统")
PW = "a-long-password-1"


def refusals(db) -> int:
    return db.exec(select(func.count()).where(AuditEvent.action == Event.REFUSED)).one()


def user(db, name, role, **kw):
    return create_user(db, username=name, display_name=name, role=role, password=PW, by=SYSTEM, **kw)


@pytest.fixture
def case(db, people):
    """The shared engagement (all conform but 5.1.6.b), started, with a report for 5.1.6.b."""
    engagement, who = people
    review_passed(db, engagement.id)
    set_status(db, engagement.id, "in_progress", by=who["zhang"])
    who["dm"] = actor_of(user(db, "zhao", "decision_maker"))
    return engagement, who


def report(db, engagement, **kw):
    return raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                               finding="改进措施未验证效果", by=SYSTEM, **kw)


def accepted_report(db, engagement):
    nc = report(db, engagement)
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措", evidence_ids=[],
                         expected_version=0, by=SYSTEM)
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=SYSTEM)
    return nc


def recommend(db, engagement, by, kind="after_verification", star="four_star", conditions="一般不符合整改验证有效"):
    return record_recommendation(db, engagement_id=engagement.id, kind=kind, star=star, conditions=conditions,
                                 tree=TREE, by=by)


def status(db, engagement) -> str:
    db.expire_all()
    return db.get(Engagement, engagement.id).status


def test_a_recommendation_needs_a_report_for_every_nonconforming_clause(db, case):
    engagement, who = case
    with pytest.raises(InvalidInput, match="条款 5.1.6.b"):
        recommend(db, engagement, who["zhang"])
    assert status(db, engagement) == "in_progress" and not result_record(db, engagement.id, by=SYSTEM).recommendations


def test_recommend_needs_the_rules_to_allow_certification_now(db, case):
    engagement, who = case
    report(db, engagement)  # raised, not yet rectified: the rules withhold
    with pytest.raises(InvalidInput, match="整改验证后推荐"):
        recommend(db, engagement, who["zhang"], kind="recommend")
    with pytest.raises(InvalidInput, match="须写明推荐的条件"):
        recommend(db, engagement, who["zhang"], conditions="  ")
    with pytest.raises(InvalidInput, match="须选择推荐的星级"):
        recommend(db, engagement, who["zhang"], star="not_passed")
    assert status(db, engagement) == "in_progress"


@pytest.mark.parametrize("kind, star, conditions, allowed, decision, complete, problem", [
    ("recommend", "five_star", "", "four_star", "granted", True, "推荐星级 五星级 高于评价规则允许的 四星级"),
    ("recommend", "four_star", "", "four_star", "granted", True, ""),
    ("recommend", "three_star", "", "four_star", "granted", True, ""),
    ("recommend", "four_star", "", "four_star", "withheld", True, "不能直接“推荐”"),
    ("after_verification", "four_star", "验证", "four_star", "withheld", True, ""),
    ("after_verification", "four_star", "", "four_star", "withheld", True, "须写明推荐的条件"),
    ("after_verification", "four_star", "验证", "four_star", "withheld", False, "评价尚未完成"),
    ("recommend", "compliant", "", "not_passed", "not_passed", True, "只能“不推荐”"),
    ("not_recommend", None, "", "not_passed", "not_passed", True, ""),
    ("not_recommend", None, "", "five_star", "granted", False, ""),
    ("maybe", None, "", "five_star", "granted", True, "请选择推荐意见"),
])
def test_what_a_recommendation_may_say_against_the_rules(kind, star, conditions, allowed, decision, complete,
                                                         problem):
    from audits.decisions import recommendation_problem
    from scoring.stars import DEFAULT_SCHEME
    found = recommendation_problem(kind, star, conditions, allowed=allowed, decision=decision, complete=complete,
                                   scheme=DEFAULT_SCHEME)
    assert (problem in found) if problem else found == ""


def test_recommend_at_the_allowed_star_once_rectification_is_accepted(db, case):
    engagement, who = case
    accepted_report(db, engagement)
    r = recommend(db, engagement, who["zhang"], kind="recommend", conditions="")
    assert (r.kind, r.star, r.allowed_star) == ("recommend", "four_star", "five_star")
    assert status(db, engagement) == "reported"


def test_only_the_lead_records_a_recommendation_and_a_refusal_is_audited(db, case):
    engagement, who = case
    report(db, engagement)
    before = refusals(db)
    for name in ("li", "client", "dm"):
        with pytest.raises(AccessDenied, match="您没有权限记录推荐意见"):
            recommend(db, engagement, who[name])
    assert refusals(db) == before + 3 and status(db, engagement) == "in_progress"


def test_an_issued_result_refuses_ratings_and_special_items_naming_them(db, case):
    engagement, who = case
    nc = report(db, engagement)
    recommend(db, engagement, who["zhang"])
    before = refusals(db)
    version = get_rating(db, engagement.id, "5.1.1.1", by=SYSTEM).version
    with pytest.raises(AccessDenied, match="不能修改条款 5.1.1.1：.*已出具"):
        rate_clause(db, engagement_id=engagement.id, code="5.1.1.1", entry=RatingEntry("nonconform", finding="缺"),
                    expected_version=version, tree=TREE, by=who["li"])
    with pytest.raises(AccessDenied, match="不能修改条款 5.1.2.1："):
        rate_clause(db, engagement_id=engagement.id, code="5.1.2.1",
                    entry=RatingEntry("excluded", reason="不涉及"), expected_version=1, tree=TREE, by=who["zhang"])
    assert refusals(db) == before + 2
    assert get_rating(db, engagement.id, "5.1.1.1", by=SYSTEM).status == "conform"
    assert nc.id and status(db, engagement) == "reported"


def test_an_issued_result_refuses_withdrawing_a_special_item(db, case):
    from nonconformities.services import record_special_item
    engagement, who = case
    report(db, engagement)
    item = record_special_item(db, engagement_id=engagement.id, kind="bonus", reason="创新服务", tree=TREE, by=SYSTEM)
    recommend(db, engagement, who["zhang"])
    with pytest.raises(AccessDenied, match="不能修改特别加分项“创新服务”"):
        withdraw_special_item(db, item_id=item.id, reason="误记", by=who["zhang"])
    with pytest.raises(AccessDenied, match="不能修改特别扣分项："):
        record_special_item(db, engagement_id=engagement.id, kind="deduction", category="law", reason="违规",
                            tree=TREE, by=who["zhang"])


def test_reopening_needs_a_reason_withdraws_the_recommendation_and_keeps_the_history(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"])
    with pytest.raises(InvalidInput, match="写明理由"):
        reopen_result(db, engagement_id=engagement.id, reason=" ", by=who["zhang"])
    with pytest.raises(AccessDenied):
        reopen_result(db, engagement_id=engagement.id, reason="复核", by=who["li"])
    reopen_result(db, engagement_id=engagement.id, reason="企业补充了证据，需复核 5.1.1.1", by=who["zhang"])
    assert status(db, engagement) == "in_progress"
    record = result_record(db, engagement.id, by=SYSTEM)
    assert record.recommendation is None and record.recommendations[0].withdrawn_reason.startswith("企业补充")
    assert [(m.from_status, m.to_status) for m in record.moves] == [
        ("planned", "in_progress"), ("in_progress", "reported"), ("reported", "in_progress")]
    rate_clause(db, engagement_id=engagement.id, code="5.1.1.1", entry=RatingEntry("nonconform", finding="缺"),
                expected_version=1, tree=TREE, by=who["li"])  # open again


def test_a_decision_maker_not_on_the_team_decides_no_higher_than_recommended(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"], star="three_star")
    today = local_today()
    with pytest.raises(InvalidInput, match="高于评价组推荐的 三星级"):
        record_decision(db, engagement_id=engagement.id, outcome="approve", star="four_star", decided_on=today,
                        reasons="同意", tree=TREE, by=who["dm"])
    with pytest.raises(InvalidInput, match="写明理由"):
        record_decision(db, engagement_id=engagement.id, outcome="approve", star="three_star", decided_on=today,
                        reasons="", tree=TREE, by=who["dm"])
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        record_decision(db, engagement_id=engagement.id, outcome="approve", star="three_star",
                        decided_on=today + timedelta(days=1), reasons="同意", tree=TREE, by=who["dm"])
    assert status(db, engagement) == "reported"
    d = record_decision(db, engagement_id=engagement.id, outcome="approve", star="three_star", decided_on=today,
                        reasons="整改验证有效，同意推荐", tree=TREE, by=who["dm"])
    assert status(db, engagement) == "decided" and d.decided_by == "zhao"
    assert result_record(db, engagement.id, by=who["dm"]).decision.star == "three_star"
    with pytest.raises(AccessDenied):  # decided: the result stays frozen
        rate_clause(db, engagement_id=engagement.id, code="5.1.1.1", entry=RatingEntry("conform"),
                    expected_version=1, tree=TREE, by=who["zhang"])
    set_status(db, engagement.id, "closed", by=who["zhang"])
    assert status(db, engagement) == "closed"


def test_nobody_else_decides_and_each_refusal_is_audited(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"])
    admin = actor_of(user(db, "admin", "admin"))
    before = refusals(db)
    for by in (who["zhang"], who["li"], who["client"], admin):
        with pytest.raises(AccessDenied, match="您没有权限作出认证决定"):
            record_decision(db, engagement_id=engagement.id, outcome="refuse", star=None, decided_on=local_today(),
                            reasons="不同意", tree=TREE, by=by)
    assert refusals(db) == before + 4 and status(db, engagement) == "reported"


def test_a_decision_maker_who_was_on_the_team_is_refused(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"])
    li = who["li"]
    set_role(db, user_id=li.user_id, role="decision_maker", by=SYSTEM)
    before = refusals(db)
    with pytest.raises(AccessDenied):
        record_decision(db, engagement_id=engagement.id, outcome="refuse", star=None, decided_on=local_today(),
                        reasons="不同意", tree=TREE, by=li)
    assert refusals(db) == before + 1 and status(db, engagement) == "reported"


def test_a_decision_maker_who_consulted_for_the_company_within_the_window_is_refused(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"])
    chen = user(db, "chen", "consultant")
    assign_companies(db, user_id=chen.id, company_ids={engagement.company_id}, by=SYSTEM)
    set_role(db, user_id=chen.id, role="decision_maker", by=SYSTEM)
    before = refusals(db)
    with pytest.raises(AccessDenied, match="指定咨询师.*公正性"):
        record_decision(db, engagement_id=engagement.id, outcome="refuse", star=None, decided_on=local_today(),
                        reasons="不同意", tree=TREE, by=actor_of(chen))
    assert refusals(db) == before + 1 and status(db, engagement) == "reported"


def pre_audit(db, company_id, member, *, ended: date | None = None):
    return create_engagement(db, data={"company_id": company_id, "kind": "pre_audit", "end_date": ended,
                                       "start_date": ended}, tree=TREE, by=SYSTEM,
                             team=[{"role": "consultant", "user_id": member.id}])


def test_naming_a_team_refuses_who_consulted_for_the_company_within_the_window(db, people):
    engagement, who = people
    chen = user(db, "chen", "consultant")
    assign_companies(db, user_id=chen.id, company_ids={engagement.company_id}, by=SYSTEM)
    with pytest.raises(InvalidInput, match="chen 不能加入.*指定咨询师"):
        create_engagement(db, data={"company_id": engagement.company_id, "kind": "surveillance"}, tree=TREE,
                          by=SYSTEM, team=[{"role": "consultant", "user_id": chen.id}])
    wu = user(db, "wu", "consultant")
    pre_audit(db, engagement.company_id, wu, ended=local_today() - timedelta(days=300))
    with pytest.raises(InvalidInput, match="wu 不能加入.*预评价.*2 年内"):
        create_engagement(db, data={"company_id": engagement.company_id, "kind": "initial"}, tree=TREE,
                          by=SYSTEM, team=[{"role": "consultant", "user_id": wu.id}])


def test_a_pre_audit_older_than_the_window_does_not_bar_anyone(db, people):
    engagement, who = people
    wu = user(db, "wu", "consultant")
    pre_audit(db, engagement.company_id, wu, ended=local_today() - timedelta(days=3 * 365))
    create_engagement(db, data={"company_id": engagement.company_id, "kind": "initial"}, tree=TREE, by=SYSTEM,
                      team=[{"role": "consultant", "user_id": wu.id}])


def test_status_moves_follow_the_table_and_are_kept(db, case):
    engagement, who = case
    with pytest.raises(InvalidInput, match="推荐意见与认证决定"):
        set_status(db, engagement.id, "reported", by=who["zhang"])
    with pytest.raises(InvalidTransition, match="不能从“进行中”直接变为“已关闭”"):
        set_status(db, engagement.id, "closed", by=who["zhang"])
    assert [m.to_status for m in status_history(db, engagement.id, by=SYSTEM)] == ["in_progress"]
    events = db.exec(select(AuditEvent).where(AuditEvent.action == Event.STATUS_CHANGED)).all()
    assert [e.detail for e in events] == ["计划中 → 进行中"]


def test_recommendation_rows_are_kept_when_withdrawn(db, case):
    engagement, who = case
    report(db, engagement)
    recommend(db, engagement, who["zhang"])
    reopen_result(db, engagement_id=engagement.id, reason="复核", by=who["zhang"])
    recommend(db, engagement, who["zhang"], kind="not_recommend", star=None, conditions="")
    rows = db.exec(select(Recommendation).order_by(Recommendation.id)).all()
    assert [(r.kind, r.withdrawn_reason) for r in rows] == [("after_verification", "复核"), ("not_recommend", None)]
