"""The evaluation plan: its number and versions, the draft and stale edits, sending against the notice, the
company's answer, the lead's revision, who sees and does what, and its Word document."""
import copy
import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, create_user
from audits.companies import add_site, set_site_active
from audits.engagements import create_engagement
from cycle.models import PlanVersion
from cycle.plan_document import plan_docx
from cycle.plans import PlanContent, answer_plan, plan_record, revise_plan, save_plan, send_plan, version_of
from errors import AccessDenied, InvalidInput, NotFound, StaleEdit
from records.models import Engagement
from tests.factories import VALID_CODES, actor, default_tree, make_company

TREE = default_tree()
SYSTEM = actor("系统")
TODAY = date(2026, 11, 20)
HOSTILE = '<script>alert("x")</script> & \'引号\' ' + "很长的文字" * 300


@pytest.fixture
def world(db):
    company = make_company(db)
    other = make_company(db, name="乙公司", credit_code=VALID_CODES[1])
    sites = {name: add_site(db, company_id=c.id, data={"name": name, "kind": kind, "address": "杭州"}, by=SYSTEM).id
             for c, name, kind in [(company, "杭州总部", "headquarters"), (company, "城西网点", "outlet"),
                                   (company, "停用网点", "outlet"), (other, "乙总部", "headquarters")]}
    set_site_active(db, site_id=sites["停用网点"], active=False, by=SYSTEM)
    users = {name: create_user(db, username=name, display_name=label, role=role, password="a-long-password-1",
                               company_id={"client": company.id, "other-client": other.id}.get(name), by=SYSTEM)
             for name, label, role in [("zhang", "张审查", "assessor"), ("li", "李评审", "assessor"),
                                       ("client", "王经理", "client"), ("other-client", "赵经理", "client"),
                                       ("admin", "管理员", "admin")]}
    e = create_engagement(db, data={"company_id": company.id, "kind": "initial", "title": "初次认证"}, tree=TREE,
                          team=[{"role": "lead_assessor", "user_id": users["zhang"].id},
                                {"role": "assessor", "user_id": users["li"].id}], by=SYSTEM)
    return {"e": e, "sites": sites, "who": {n: actor_of(u) for n, u in users.items()}}


def content(world, **change) -> PlanContent:
    base = PlanContent(objectives="评价售后服务体系是否符合 GB/T 27922", scope="空调、冰箱的配送、安装、维修服务",
                       criteria="GB/T 27922-2011", visit_start=date(2026, 12, 3), visit_end=date(2026, 12, 4),
                       agenda=[{"time": "12-03 09:00", "item": "首次会议", "who": "张审查"}],
                       assignments=[{"member": "张审查", "indicators": ["5.1", "5.2.1"], "sites": []},
                                    {"member": "李评审", "indicators": ["5.3"], "sites": [world["sites"]["城西网点"]]}],
                       site_ids=[world["sites"]["城西网点"]])
    return replace(base, **change)


def save(db, world, by=None, expected=None, **change):
    record = plan_record(db, world["e"].id, tree=TREE, by=SYSTEM)
    expected = version_of(record.latest) if expected is None else expected
    return save_plan(db, engagement_id=world["e"].id, content=content(world, **change), expected_version=expected,
                     tree=TREE, by=by or world["who"]["zhang"], today=TODAY)


def send(db, world, today=TODAY, by=None):
    draft = plan_record(db, world["e"].id, tree=TREE, by=SYSTEM).latest
    return send_plan(db, engagement_id=world["e"].id, expected_version=version_of(draft), tree=TREE,
                     by=by or world["who"]["zhang"], today=today)


def logged(db, event):
    return [e.detail for e in db.exec(select(AuditEvent).where(AuditEvent.action == event).order_by(AuditEvent.id))]


def test_the_first_save_numbers_the_plan_and_always_visits_the_headquarters(db, world):
    v = save(db, world)
    record = plan_record(db, world["e"].id, tree=TREE, by=SYSTEM)
    assert record.plan.number == f"JH-2026-{world['e'].id:04d}" and v.version == 1 and v.sent_on is None
    assert v.site_ids == [world["sites"]["杭州总部"], world["sites"]["城西网点"]]
    assert v.assignments[0] == {"member": "张审查", "indicators": ["5.1", "5.2.1"], "sites": []}
    assert logged(db, Event.PLAN_SAVED) == [f"评价计划 {record.plan.number} 第 1 版（草稿）"]


def test_two_people_editing_the_draft_the_second_is_refused(db, world):
    first = save(db, world)
    seen = version_of(first)
    save(db, world, by=world["who"]["admin"], objectives="管理员改过的目的", expected=seen)
    with pytest.raises(StaleEdit, match="已被"):
        save(db, world, objectives="组长的目的", expected=seen)
    with pytest.raises(StaleEdit):  # someone created the plan while this form showed none
        save(db, world, expected=0)
    assert plan_record(db, world["e"].id, tree=TREE, by=SYSTEM).latest.objectives == "管理员改过的目的"


@pytest.mark.parametrize("change, message", [
    ({"assignments": [{"member": "张审查", "indicators": ["9.9.9"], "sites": []}]}, "没有的条款：9.9.9"),
    ({"assignments": [{"member": "外人", "indicators": ["5.1"], "sites": []}]}, "外人 不是本项目评价组成员"),
    ({"site_ids": ["停用网点"]}, "须是该企业在用的场所"),
    ({"site_ids": ["乙总部"]}, "须是该企业在用的场所"),
    ({"site_ids": [], "assignments": [{"member": "李评审", "indicators": [], "sites": ["城西网点"]}]},
     "须在拟访问场所之中：城西网点"),
    ({"visit_end": date(2026, 12, 1)}, "结束日期不能早于开始日期"),
    ({"objectives": "长" * 5001}, "评价目的不能超过"),
    ({"criteria": "长" * 2001}, "评价依据不能超过"),
    ({"agenda": [{"time": "09:00", "item": " ", "who": ""}]}, "日程的每一行都须写明内容"),
])
def test_a_bad_plan_is_refused_and_saves_nothing(db, world, change, message):
    change = copy.deepcopy(change)  # the parameters are shared by the SQLite and the PostgreSQL run
    for key in ("site_ids",):
        if key in change:
            change[key] = [world["sites"][n] for n in change[key]]
    for a in change.get("assignments", []):
        a["sites"] = [world["sites"][n] for n in a["sites"]]
    with pytest.raises(InvalidInput, match=message):
        save(db, world, **change)
    assert plan_record(db, world["e"].id, tree=TREE, by=SYSTEM).plan is None and logged(db, Event.PLAN_SAVED) == []


def test_sending_on_time_records_the_day_and_who(db, world):
    save(db, world)
    sent = send(db, world, today=date(2026, 11, 30))  # the visit starts 3 December: 3 days' notice
    assert sent.warning == "" and sent.version.sent_on == date(2026, 11, 30) and sent.version.sent_by == "张审查"
    record = plan_record(db, world["e"].id, tree=TREE, by=SYSTEM)
    assert record.late == {1: False} and record.deadlines == {1: date(2026, 11, 30)}
    assert "逾期" not in logged(db, Event.PLAN_SENT)[0]


def test_a_late_plan_is_sent_with_a_warning_and_stays_marked_late(db, world):
    save(db, world)
    sent = send(db, world, today=date(2026, 12, 1))
    assert "晚于最迟发送日 2026-11-30（现场评价前 3 天）" in sent.warning and sent.version.sent_on == date(2026, 12, 1)
    assert plan_record(db, world["e"].id, tree=TREE, by=world["who"]["client"]).late == {1: True}
    assert "逾期发送" in logged(db, Event.PLAN_SENT)[0]


def test_a_sent_version_never_changes_and_a_plan_needs_its_essentials_to_be_sent(db, world):
    save(db, world, objectives="", visit_start=None, visit_end=None)
    with pytest.raises(InvalidInput, match="须填写评价目的、评价范围和现场评价日期"):
        send(db, world)
    save(db, world)
    send(db, world)
    with pytest.raises(InvalidInput, match="第 1 版已发送"):
        save(db, world, objectives="改")
    with pytest.raises(InvalidInput, match="没有待发送"):
        send(db, world)


def test_the_client_sees_sent_versions_only_and_acknowledges(db, world):
    client, e = world["who"]["client"], world["e"].id
    save(db, world)
    assert plan_record(db, e, tree=TREE, by=client).versions == []
    with pytest.raises(NotFound):
        answer_plan(db, engagement_id=e, version=1, response="acknowledged", reason="", by=client)
    send(db, world)
    answered = answer_plan(db, engagement_id=e, version=1, response="acknowledged", reason="", by=client)
    assert (answered.response, answered.responded_by) == ("acknowledged", "王经理")
    with pytest.raises(InvalidInput, match="已答复（企业已确认）"):
        answer_plan(db, engagement_id=e, version=1, response="objected", reason="改期", by=client)
    assert logged(db, Event.PLAN_ANSWERED) == [f"评价计划 JH-2026-{e:04d} 第 1 版：企业已确认"]


def test_an_objection_needs_a_reason_and_the_lead_revises_keeping_the_sent_version(db, world):
    client, zhang, e = world["who"]["client"], world["who"]["zhang"], world["e"].id
    save(db, world)
    with pytest.raises(InvalidInput, match="只能修订已发送"):
        revise_plan(db, engagement_id=e, reason="调整", tree=TREE, by=zhang)
    send(db, world)
    with pytest.raises(InvalidInput, match="提出异议须写明理由"):
        answer_plan(db, engagement_id=e, version=1, response="objected", reason="  ", by=client)
    answer_plan(db, engagement_id=e, version=1, response="objected", reason="12 月 3 日为盘点日，请改期", by=client)
    with pytest.raises(InvalidInput, match="必须写明理由"):
        revise_plan(db, engagement_id=e, reason=" ", tree=TREE, by=zhang)
    v2 = revise_plan(db, engagement_id=e, reason="按企业意见改期", tree=TREE, by=zhang)
    assert (v2.version, v2.revision_reason, v2.sent_on, v2.response) == (2, "按企业意见改期", None, "pending")
    with pytest.raises(InvalidInput, match="尚未发送的草稿可以直接修改"):
        revise_plan(db, engagement_id=e, reason="再改", tree=TREE, by=zhang)
    save(db, world, visit_start=date(2026, 12, 8), visit_end=date(2026, 12, 9))
    send(db, world)
    with pytest.raises(StaleEdit, match="第 2 版"):  # the client answers the version they saw
        answer_plan(db, engagement_id=e, version=1, response="acknowledged", reason="", by=client)
    db.expire_all()
    v1, v2 = plan_record(db, e, tree=TREE, by=client).versions
    assert (v1.visit_start, v1.response, v1.response_reason) == (date(2026, 12, 3), "objected", "12 月 3 日为盘点日，请改期")
    assert v2.visit_start == date(2026, 12, 8) and v2.objectives == v1.objectives
    assert "修订为第 2 版；理由：按企业意见改期" in logged(db, Event.PLAN_SAVED)[-2]


def test_who_may_do_what_with_a_plan(db, world):
    who, e = world["who"], world["e"].id
    for name in ("li", "client"):
        with pytest.raises(AccessDenied):
            save(db, world, by=who[name], expected=0)
    save(db, world)
    for name in ("li", "client"):
        with pytest.raises(AccessDenied):
            send(db, world, by=who[name])
    send(db, world)
    for name in ("zhang", "li", "admin", "other-client"):
        with pytest.raises(AccessDenied):
            answer_plan(db, engagement_id=e, version=1, response="acknowledged", reason="", by=who[name])
    with pytest.raises(AccessDenied):
        plan_record(db, e, tree=TREE, by=who["other-client"])
    assert db.exec(select(PlanVersion)).one().response == "pending"


def test_nothing_changes_once_the_decision_is_taken(db, world):
    save(db, world)
    db.get(Engagement, world["e"].id).status = "decided"
    db.commit()
    with pytest.raises(InvalidInput, match="已作出认证决定"):
        save(db, world, objectives="晚了")
    with pytest.raises(InvalidInput, match="已作出认证决定"):
        send(db, world)


def test_the_plan_document_carries_every_part_even_hostile_text(db, world):
    save(db, world, objectives=HOSTILE, scope="范围 <b>&amp;</b>", criteria='标准 "GB/T 27922"',
         agenda=[{"time": "09:00", "item": "首次会议 <&>", "who": "张审查"}, {"time": "", "item": HOSTILE, "who": ""}])
    send(db, world, today=date(2026, 11, 28))
    raw = plan_docx(db, world["e"].id, 1, tree=TREE, by=world["who"]["client"])
    doc = Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "评价计划" in text and f"JH-2026-{world['e'].id:04d}" in text and "第 1 版" in text
    assert HOSTILE in cells and "范围 <b>&amp;</b>" in cells and '标准 "GB/T 27922"' in cells
    assert "杭州示例电器有限公司" in cells and "2026-12-03 至 2026-12-04" in cells
    assert "2026-11-28（张审查）" in cells and "首次会议 <&>" in cells
    assert "5.1 售后服务体系、5.2.1 商品信息" in cells
    assert "杭州总部" in cells and "城西网点" in cells and "张审查（审查组长）、李评审（审查员）" in cells


def test_a_draft_document_is_the_teams_only(db, world):
    save(db, world)
    assert Document(io.BytesIO(plan_docx(db, world["e"].id, 1, tree=TREE, by=world["who"]["zhang"])))
    with pytest.raises(NotFound):
        plan_docx(db, world["e"].id, 1, tree=TREE, by=world["who"]["client"])
