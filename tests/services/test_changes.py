"""A company's reported changes (变更) and the body's response, on a real database: what is recorded, the company
and its certificate updated with their histories, a special audit opened, refusals and who may do what."""
from datetime import timedelta

import pytest
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from audits.companies import company_history, update_company
from cycle.changes import answer_change, report_change, reported_changes
from cycle.models import CertificateEvent
from errors import AccessDenied, InvalidInput
from records.models import Company, Engagement
from tests import cycle_rows as rows
from tests.factories import VALID_CODES, default_tree
from timefmt import local_today
from vocabulary import ChangeKind, ChangeResponse

TREE = default_tree()
TODAY = local_today()


@pytest.fixture
def world(db):
    a, b = rows.company(db, 0), rows.company(db, 1)
    initial = rows.engagement(db, a)
    cycle = rows.cycle_of(db, initial)
    certificate = rows.certificate(db, initial, TODAY - timedelta(days=30))
    people = {"admin": rows.user(db, "admin", "admin"), "dm": rows.user(db, "dm", "decision_maker"),
              "zhang": rows.user(db, "zhang", "assessor"), "client": rows.user(db, "client", "client", company=a)}
    return {"a": a, "b": b, "initial": initial, "cycle": cycle, "certificate": certificate,
            "by": {name: rows.as_actor(u) for name, u in people.items()}}


def renamed(db, world, by="client", name="杭州新名称电器有限公司"):
    return report_change(db, company_id=world["a"].id, kind=ChangeKind.NAME, description="工商变更登记后更名",
                         new_values={"name": name}, reported_on=TODAY, by=world["by"][by])


def test_a_name_change_is_recorded_with_the_values_before_and_after_and_audited(db, world):
    change = renamed(db, world)
    assert (change.kind, change.before, change.after, change.response) == \
        (ChangeKind.NAME, {"name": "示例服务有限公司0"}, {"name": "杭州新名称电器有限公司"}, ChangeResponse.PENDING)
    assert db.get(Company, world["a"].id).name == "示例服务有限公司0"  # nothing applied before the answer
    event = db.exec(select(AuditEvent).where(AuditEvent.action == Event.CHANGE_REPORTED)).one()
    assert "企业名称：示例服务有限公司0 → 杭州新名称电器有限公司" in event.detail
    assert [c.id for c in reported_changes(db, world["a"].id, by=world["by"]["client"])] == [change.id]


@pytest.mark.parametrize("kind, values, before, after", [
    (ChangeKind.CREDIT_CODE, {"credit_code": VALID_CODES[2].lower()}, {"credit_code": VALID_CODES[0]},
     {"credit_code": VALID_CODES[2]}),
    (ChangeKind.ADDRESS, {"address": "杭州市滨江区江南大道 1 号"}, {"address": "杭州市西湖区"},
     {"address": "杭州市滨江区江南大道 1 号"}),
    (ChangeKind.SERVICES, {"services": "家用电器的安装、维修及回收服务"}, {"services": "家用电器的安装及维修服务"},
     {"services": "家用电器的安装、维修及回收服务"}),
    (ChangeKind.ORGANISATION, None, {}, {}),
    (ChangeKind.FACILITIES, {}, {}, {}),
    (ChangeKind.PROCESSES, None, {}, {}),
])
def test_each_kind_keeps_what_it_changes(db, world, kind, values, before, after):
    change = report_change(db, company_id=world["a"].id, kind=kind, description="变更说明", new_values=values,
                           reported_on=TODAY, by=world["by"]["admin"])
    assert (change.before, change.after) == (before, after)


@pytest.mark.parametrize("kind, values, message", [
    (ChangeKind.NAME, {}, "请填写新的企业名称"),
    (ChangeKind.NAME, {"name": "示例服务有限公司0"}, "与现有的相同"),
    (ChangeKind.CREDIT_CODE, {"credit_code": "91330106MA2DEMX01X"}, "统一社会信用代码"),
    (ChangeKind.CREDIT_CODE, {"credit_code": VALID_CODES[1]}, "已登记过"),
    (ChangeKind.ORGANISATION, {"name": "新名"}, "不能登记这些新值"),
    (ChangeKind.NAME, {"name": "名" * 201}, "名称过长"),
])
def test_bad_values_are_refused_and_nothing_is_recorded(db, world, kind, values, message):
    with pytest.raises(InvalidInput, match=message):
        report_change(db, company_id=world["a"].id, kind=kind, description="说明", new_values=values,
                      reported_on=TODAY, by=world["by"]["admin"])
    db.rollback()
    assert reported_changes(db, world["a"].id, by=world["by"]["admin"]) == []


def test_a_change_needs_a_description_and_a_past_date(db, world):
    with pytest.raises(InvalidInput, match="请填写变更说明"):
        report_change(db, company_id=world["a"].id, kind=ChangeKind.PROCESSES, description="  ", new_values=None,
                      reported_on=TODAY, by=world["by"]["admin"])
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        report_change(db, company_id=world["a"].id, kind=ChangeKind.PROCESSES, description="流程", new_values=None,
                      reported_on=TODAY + timedelta(days=1), by=world["by"]["admin"])


def test_updating_the_certificate_changes_the_company_and_amends_the_certificate_with_history(db, world):
    change = renamed(db, world)
    answered = answer_change(db, change_id=change.id, response=ChangeResponse.CERTIFICATE_UPDATED, note="已核对营业执照",
                             by=world["by"]["dm"])
    assert (answered.response, answered.responded_by, answered.response_note) == \
        (ChangeResponse.CERTIFICATE_UPDATED, "dm", "已核对营业执照")
    assert db.get(Company, world["a"].id).name == "杭州新名称电器有限公司"
    assert company_history(db, world["a"].id, by=world["by"]["admin"])[0].change == \
        "名称：示例服务有限公司0 → 杭州新名称电器有限公司"
    db.refresh(world["certificate"])
    assert world["certificate"].company_name == "杭州新名称电器有限公司"
    [event] = db.exec(select(CertificateEvent).where(CertificateEvent.certificate_id == world["certificate"].id,
                                                     CertificateEvent.event == "amend")).all()
    assert (event.before, event.after) == ({"company_name": "示例服务有限公司0"}, {"company_name": "杭州新名称电器有限公司"})
    assert f"企业变更 {change.id}" in event.reason
    audited = db.exec(select(AuditEvent).where(AuditEvent.action == Event.CHANGE_ANSWERED)).one()
    assert "更新证书" in audited.detail
    with pytest.raises(InvalidInput, match="已处理"):
        answer_change(db, change_id=change.id, response=ChangeResponse.NO_ACTION, note="重复", by=world["by"]["dm"])


def test_a_certified_company_changes_its_printed_data_only_through_a_reported_change(db, world):
    admin = world["by"]["admin"]
    with pytest.raises(InvalidInput, match="持有认证证书，名称的修改须作为企业变更登记并处理"):
        update_company(db, company_id=world["a"].id, data={"name": "直接改名"}, expected_version=0, by=admin)
    db.rollback()
    assert db.get(Company, world["a"].id).name == "示例服务有限公司0"
    assert update_company(db, company_id=world["a"].id, data={"contact": "赵经理"}, expected_version=0,
                          by=admin).contact == "赵经理"  # what the certificate does not print stays a plain edit
    assert update_company(db, company_id=world["b"].id, data={"name": "乙公司新名"}, expected_version=0,
                          by=admin).name == "乙公司新名"  # no certificate, no change record needed


def test_a_special_audit_is_opened_in_the_companys_cycle(db, world):
    change = report_change(db, company_id=world["a"].id, kind=ChangeKind.FACILITIES, description="新建维修中心",
                           new_values=None, reported_on=TODAY, by=world["by"]["client"])
    answered = answer_change(db, change_id=change.id, response=ChangeResponse.SPECIAL_AUDIT, note="现场核查",
                             tree=TREE, by=world["by"]["admin"])
    special = db.get(Engagement, answered.special_engagement_id)
    assert (special.kind, special.company_id, special.cycle_id, special.previous_id) == \
        ("special", world["a"].id, world["cycle"].id, world["initial"].id)
    assert special.title == "变更特殊评价：服务设施重大变化"


def test_a_special_audit_may_name_one_already_created(db, world):
    special = rows.engagement(db, world["a"], kind="special")
    change = report_change(db, company_id=world["a"].id, kind=ChangeKind.PROCESSES, description="流程再造",
                           new_values=None, reported_on=TODAY, by=world["by"]["admin"])
    answered = answer_change(db, change_id=change.id, response=ChangeResponse.SPECIAL_AUDIT, note="",
                             special_engagement_id=special.id, by=world["by"]["dm"])
    assert answered.special_engagement_id == special.id
    other = report_change(db, company_id=world["a"].id, kind=ChangeKind.PROCESSES, description="再次",
                          new_values=None, reported_on=TODAY, by=world["by"]["admin"])
    with pytest.raises(InvalidInput, match="特殊评价项目"):
        answer_change(db, change_id=other.id, response=ChangeResponse.SPECIAL_AUDIT, note="",
                      special_engagement_id=world["initial"].id, by=world["by"]["dm"])


def test_no_action_records_its_reason(db, world):
    change = report_change(db, company_id=world["a"].id, kind=ChangeKind.ORGANISATION, description="更换总经理",
                           new_values=None, reported_on=TODAY, by=world["by"]["client"])
    with pytest.raises(InvalidInput, match="请写明理由"):
        answer_change(db, change_id=change.id, response=ChangeResponse.NO_ACTION, note="", by=world["by"]["admin"])
    answered = answer_change(db, change_id=change.id, response=ChangeResponse.NO_ACTION, note="不影响服务体系",
                             by=world["by"]["admin"])
    assert (answered.response, answered.response_note) == (ChangeResponse.NO_ACTION, "不影响服务体系")


def test_who_may_report_and_answer(db, world):
    by = world["by"]
    with pytest.raises(AccessDenied):
        report_change(db, company_id=world["b"].id, kind=ChangeKind.PROCESSES, description="他人", new_values=None,
                      reported_on=TODAY, by=by["client"])
    with pytest.raises(AccessDenied):
        report_change(db, company_id=world["a"].id, kind=ChangeKind.PROCESSES, description="审查员", new_values=None,
                      reported_on=TODAY, by=by["zhang"])
    change = renamed(db, world)
    for who in ("client", "zhang"):
        with pytest.raises(AccessDenied):
            answer_change(db, change_id=change.id, response=ChangeResponse.NO_ACTION, note="无", by=by[who])
    assert db.get(type(change), change.id).response == ChangeResponse.PENDING


def test_a_certificate_cannot_be_updated_for_a_company_without_one(db, world):
    change = report_change(db, company_id=world["b"].id, kind=ChangeKind.ADDRESS, description="搬迁",
                           new_values={"address": "宁波市"}, reported_on=TODAY, by=world["by"]["admin"])
    with pytest.raises(InvalidInput, match="没有有效或暂停中的证书"):
        answer_change(db, change_id=change.id, response=ChangeResponse.CERTIFICATE_UPDATED, note="",
                      by=world["by"]["admin"])
