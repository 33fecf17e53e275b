"""Before the visit: the document review and the start of the on-site evaluation, and changing an engagement's
title, dates and team after creation (with history)."""
from datetime import date

import pytest
from sqlmodel import func, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, assign_companies, create_user
from audits.engagements import create_engagement, engagement_team, set_status, status_history
from audits.reviews import document_reviews, record_document_review
from cycle.models import EngagementEdit
from cycle.preparation import edit_count, edit_engagement, engagement_edits
from errors import AccessDenied, InvalidInput, StaleEdit
from records.models import Engagement
from tests.factories import VALID_CODES, actor, default_tree, make_company

TREE = default_tree()
SYSTEM = actor("系统")
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(db):
    company = make_company(db)
    other = make_company(db, name="乙公司", credit_code=VALID_CODES[1])
    users = {name: create_user(db, username=name, display_name=label, role=role, password="a-long-password-1",
                               company_id=company.id if role == "client" else None, by=SYSTEM)
             for name, label, role in [("zhang", "张审查", "assessor"), ("li", "李评审", "assessor"),
                                       ("wang", "王审查", "assessor"), ("chen", "陈咨询", "consultant"),
                                       ("client", "王经理", "client"), ("admin", "管理员", "admin")]}
    assign_companies(db, user_id=users["chen"].id, company_ids={company.id}, by=SYSTEM)

    def engagement(kind, lead="zhang", of=company):
        team = [{"role": "lead_assessor", "user_id": users[lead].id}, {"role": "assessor", "user_id": users["li"].id}]
        return create_engagement(db, data={"company_id": of.id, "kind": kind, "title": f"{kind} 评价",
                                           "start_date": date(2026, 12, 1), "end_date": date(2026, 12, 3)},
                                 tree=TREE, team=team, by=SYSTEM)
    who = {name: actor_of(user) for name, user in users.items()}
    return {"engagement": engagement, "who": who, "users": users, "company": company, "other": other}


def review(db, engagement_id, by, result="passed", **kw):
    return record_document_review(db, engagement_id=engagement_id, reviewed_on=TODAY, reviewer="张审查", result=result,
                                  by=by, today=TODAY, **kw)


def events(db, event):
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == event).order_by(AuditEvent.id)))


def status(db, engagement_id):
    db.expire_all()
    return db.get(Engagement, engagement_id).status


# --- document review and the start of the on-site evaluation ---

@pytest.mark.parametrize("kind", ["initial", "recertification"])
def test_a_certification_starts_only_after_a_passed_review(db, world, kind):
    e, zhang = world["engagement"](kind), world["who"]["zhang"]
    with pytest.raises(InvalidInput, match="尚未记录文件审查"):
        set_status(db, e.id, "in_progress", by=zhang)
    review(db, e.id, zhang, result="changes", findings="缺少服务网点协议")
    with pytest.raises(InvalidInput, match="最近一次文件审查结果为“需补充修改”"):
        set_status(db, e.id, "in_progress", by=zhang)
    assert status(db, e.id) == "planned" and status_history(db, e.id, by=zhang) == []
    review(db, e.id, zhang)
    set_status(db, e.id, "in_progress", by=zhang)
    assert status(db, e.id) == "in_progress"


def test_the_latest_review_counts(db, world):
    e, zhang = world["engagement"]("initial"), world["who"]["zhang"]
    review(db, e.id, zhang)
    review(db, e.id, zhang, result="failed", findings="手册作废，重新提交")
    with pytest.raises(InvalidInput, match="不通过"):
        set_status(db, e.id, "in_progress", by=zhang)
    assert [r.result for r in document_reviews(db, e.id, by=world["who"]["client"])] == ["failed", "passed"]


def test_a_written_reason_lets_review_and_visit_run_together(db, world):
    e, zhang = world["engagement"]("initial"), world["who"]["zhang"]
    review(db, e.id, zhang, result="changes", findings="部分制度待补", concurrent_reason="企业分布广，文件审查与现场评价同时进行")
    set_status(db, e.id, "in_progress", by=zhang)
    assert status(db, e.id) == "in_progress"
    assert "同时进行" in events(db, Event.DOCUMENT_REVIEWED)[-1].detail


def test_a_special_audit_starts_without_a_review(db, world):  # surveillance too: tests/unit/test_preparation_rules.py
    e = world["engagement"]("special")
    set_status(db, e.id, "in_progress", by=world["who"]["zhang"])
    assert status(db, e.id) == "in_progress"


def test_a_pre_audit_starts_without_and_takes_no_review(db, world):
    pre = create_engagement(db, data={"company_id": world["company"].id, "kind": "pre_audit"}, tree=TREE,
                            team=[], by=world["who"]["chen"])
    with pytest.raises(InvalidInput, match="预评价不进行文件审查"):
        review(db, pre.id, world["who"]["chen"])
    set_status(db, pre.id, "in_progress", by=world["who"]["chen"])
    assert status(db, pre.id) == "in_progress"


@pytest.mark.parametrize("change, message", [
    ({"result": "maybe"}, "请选择文件审查结果"),
    ({"reviewer": "  "}, "请填写审查人"),
    ({"reviewed_on": date(2026, 11, 21)}, "不能晚于今天"),
    ({"result": "failed", "findings": " "}, "须写明审查发现"),
    ({"findings": "长" * 5001}, "审查发现不能超过"),
    ({"concurrent_reason": "长" * 2001}, "同时进行的理由不能超过"),
])
def test_a_bad_review_is_refused_and_records_nothing(db, world, change, message):
    e = world["engagement"]("initial")
    values = {"engagement_id": e.id, "reviewed_on": TODAY, "reviewer": "张审查", "result": "passed"} | change
    with pytest.raises(InvalidInput, match=message):
        record_document_review(db, **values, by=world["who"]["zhang"], today=TODAY)
    assert document_reviews(db, e.id, by=SYSTEM) == [] and events(db, Event.DOCUMENT_REVIEWED) == []


def test_only_the_lead_or_an_administrator_records_the_review(db, world):
    e, who = world["engagement"]("initial"), world["who"]
    for name in ("li", "client", "chen"):
        with pytest.raises(AccessDenied):
            review(db, e.id, who[name])
    review(db, e.id, who["admin"])
    with pytest.raises(AccessDenied):  # the lead of another company's engagement
        review(db, world["engagement"]("initial", lead="wang", of=world["other"]).id, who["zhang"])
    logged = events(db, Event.DOCUMENT_REVIEWED)
    assert len(logged) == 1 and logged[0].username == "admin" and "通过" in logged[0].detail


# --- editing an engagement after creation ---

def edit(db, e, by, *, team=None, reason="企业申请调整现场日期", expected=0, **fields):
    values = {"title": e.title, "start_date": e.start_date, "end_date": e.end_date} | fields
    team = team if team is not None else [{"name": m.name, "role": m.role, "user_id": m.user_id}
                                          for m in engagement_team(db, e.id, by=SYSTEM)]
    return edit_engagement(db, engagement_id=e.id, team=team, reason=reason, expected_edits=expected, tree=TREE,
                           by=by, **values)


def test_the_lead_changes_dates_and_title_with_a_reason_kept_in_history(db, world):
    e, zhang = world["engagement"]("initial"), world["who"]["zhang"]
    edit(db, e, zhang, start_date=date(2026, 12, 8), end_date=date(2026, 12, 10), title="初次认证（改期）")
    db.expire_all()
    changed = db.get(Engagement, e.id)
    assert (changed.start_date, changed.end_date, changed.title) == (date(2026, 12, 8), date(2026, 12, 10),
                                                                     "初次认证（改期）")
    (row,) = engagement_edits(db, e.id, by=world["who"]["client"])
    assert row.before["start_date"] == "2026-12-01" and row.after["start_date"] == "2026-12-08"
    assert row.reason == "企业申请调整现场日期" and row.changed_by == "张审查"
    logged = events(db, Event.ENGAGEMENT_EDITED)[-1]
    assert "开始日期：2026-12-01 → 2026-12-08" in logged.detail and "企业申请调整现场日期" in logged.detail


def test_the_team_changes_keep_exactly_one_lead(db, world):
    e, zhang, users = world["engagement"]("initial"), world["who"]["zhang"], world["users"]
    new_team = [{"role": "lead_assessor", "user_id": users["zhang"].id},
                {"role": "assessor", "user_id": users["wang"].id},
                {"role": "technical_expert", "name": "赵专家", "user_id": None}]
    edit(db, e, zhang, team=new_team, reason="李评审因回避退出")
    assert {(m.name, m.role) for m in engagement_team(db, e.id, by=SYSTEM)} == {
        ("张审查", "lead_assessor"), ("王审查", "assessor"), ("赵专家", "technical_expert")}
    with pytest.raises(InvalidInput, match="有且只有一名审查组长（现有 2 名）"):
        edit(db, e, zhang, expected=1, team=[{"role": "lead_assessor", "user_id": users["zhang"].id},
                                             {"role": "lead_assessor", "user_id": users["wang"].id}])
    with pytest.raises(InvalidInput, match="现有 0 名"):
        edit(db, e, zhang, expected=1, team=[{"role": "assessor", "user_id": users["zhang"].id}])
    with pytest.raises(InvalidInput, match="出现两次"):
        edit(db, e, zhang, expected=1, team=[{"role": "lead_assessor", "user_id": users["zhang"].id},
                                             {"role": "assessor", "user_id": users["zhang"].id}])
    # handing the lead over: the new lead manages the engagement, the old one no longer does
    edit(db, e, zhang, expected=1, team=[{"role": "assessor", "user_id": users["zhang"].id},
                                         {"role": "lead_assessor", "user_id": users["wang"].id}])
    with pytest.raises(AccessDenied):
        edit(db, e, zhang, expected=2, title="再改")
    edit(db, e, world["who"]["wang"], expected=2, title="再改")
    assert len(engagement_edits(db, e.id, by=SYSTEM)) == 3


def test_a_new_member_who_consulted_for_the_company_is_refused(db, world):
    e, users = world["engagement"]("initial"), world["users"]
    team = [{"role": "lead_assessor", "user_id": users["zhang"].id}, {"role": "assessor", "user_id": users["li"].id},
            {"role": "assessor", "name": "陈咨询", "user_id": None}]
    edit(db, e, world["who"]["zhang"], team=team)  # a name without an account: nothing to check
    create_engagement(db, data={"company_id": world["company"].id, "kind": "pre_audit", "start_date": TODAY},
                      tree=TREE, team=[{"role": "assessor", "user_id": users["wang"].id}], by=SYSTEM)
    with pytest.raises(InvalidInput, match="王审查 不能加入 .*参加过该企业的预评价"):
        edit(db, e, world["who"]["zhang"], expected=1, team=[*team, {"role": "assessor", "user_id": users["wang"].id}])
    assert edit_count(db, e.id) == 1


@pytest.mark.parametrize("change, message", [
    ({"reason": "  "}, "必须写明理由"),
    ({"start_date": date(2026, 12, 5)}, "结束日期不能早于开始日期"),
    ({"title": "长" * 201}, "项目名称不能超过"),
    ({}, "没有修改任何内容"),
])
def test_a_bad_edit_is_refused_and_changes_nothing(db, world, change, message):
    e = world["engagement"]("initial")
    with pytest.raises(InvalidInput, match=message):
        edit(db, e, world["who"]["zhang"], **change)
    db.rollback()
    assert edit_count(db, e.id) == 0 and db.get(Engagement, e.id).start_date == date(2026, 12, 1)
    assert events(db, Event.ENGAGEMENT_EDITED) == []


def test_a_stale_edit_is_refused(db, world):
    e, who = world["engagement"]("initial"), world["who"]
    edit(db, e, who["admin"], title="管理员改名")
    with pytest.raises(StaleEdit, match="已被 管理员"):
        edit(db, e, who["zhang"], start_date=date(2026, 12, 2))
    assert edit_count(db, e.id) == 1


def test_a_decided_or_closed_engagement_keeps_its_dates_and_team(db, world):
    e = world["engagement"]("special")
    db.get(Engagement, e.id).status = "decided"
    db.commit()
    with pytest.raises(InvalidInput, match="已作出认证决定，不能再修改"):
        edit(db, e, world["who"]["zhang"], title="晚了")


def test_who_may_edit(db, world):
    e, who = world["engagement"]("initial"), world["who"]
    for name in ("li", "client", "chen", "wang"):
        with pytest.raises(AccessDenied):
            edit(db, e, who[name], title="越权")
    assert db.exec(select(func.count()).where(EngagementEdit.engagement_id == e.id)).one() == 0
    assert len(events(db, Event.REFUSED)) == 4
