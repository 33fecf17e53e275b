"""Certificates: issued once on an approving decision, suspended, restored, withdrawn, expired, amended, updated by
a surveillance, replaced at recertification, read by whom may, and verified by the public."""
from datetime import date

import pytest
from sqlmodel import func, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from audits.companies import add_site, set_site_active
from cycle.certificate_changes import (
    amend_certificate,
    expire_due_certificates,
    restore_certificate,
    suspend_certificate,
    withdraw_certificate,
)
from cycle.certificate_reads import (
    certificate_history,
    company_certificates,
    describe_event,
    verification_url,
    verify,
    visible_certificates,
)
from cycle.certificates import issue_certificate
from cycle.models import Certificate, CertificationCycle
from errors import AccessDenied, InvalidInput, InvalidTransition, NotFound
from records.models import CertificationDecision, Engagement
from tests import cycle_rows as rows
from tests.factories import actor

SYSTEM = actor("系统")
DECIDED, ISSUED = date(2026, 3, 2), date(2026, 3, 5)


@pytest.fixture
def world(db):
    own, other = rows.company(db, 0, address="杭州市西湖区文三路 1 号"), rows.company(db, 1)
    add_site(db, company_id=own.id, data={"name": "城西服务网点", "kind": "outlet", "address": "城西路 8 号"}, by=SYSTEM)
    add_site(db, company_id=own.id, data={"name": "总部", "kind": "headquarters", "address": "文三路 1 号"}, by=SYSTEM)
    closed = add_site(db, company_id=own.id, data={"name": "已关闭网点", "kind": "outlet"}, by=SYSTEM)
    set_site_active(db, site_id=closed.id, active=False, by=SYSTEM)
    people = {name: rows.as_actor(rows.user(db, name, role, company=company))
              for name, role, company in [("admin", "admin", None), ("zhao", "decision_maker", None),
                                          ("zhang", "assessor", None), ("chen", "consultant", None),
                                          ("client", "client", own), ("other", "client", other)]}
    initial = rows.engagement(db, own)
    return {"company": own, "other": other, "who": people, "initial": initial,
            "decision": rows.decision(db, initial, DECIDED)}


def issue(db, world, decision=None, by="zhao", today=ISSUED, **kw):
    return issue_certificate(db, decision_id=(decision or world["decision"]).id, services=kw.pop("services", "家用电器的安装、维修服务"),
                             product_types=kw.pop("product_types", "空调、冰箱"), by=world["who"][by], today=today, **kw)


def count(db, model=Certificate, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.exec(query).one()


def audited(db, event: Event) -> list[str]:
    return list(db.exec(select(AuditEvent.detail).where(AuditEvent.action == event).order_by(AuditEvent.id)))


def test_an_approving_decision_issues_one_certificate_with_the_companys_fields(db, world):
    c = issue(db, world)
    assert c.number == "GBT27922-2026-0001" and len(c.check_code) == 8
    assert (c.company_name, c.address, c.credit_code) == (world["company"].name, "杭州市西湖区文三路 1 号",
                                                          world["company"].credit_code)
    assert (c.services, c.product_types, c.star) == ("家用电器的安装、维修服务", "空调、冰箱", "four_star")
    assert c.standard == "GB/T 27922-2011 商品售后服务评价体系" and "2011-default.2" in c.scheme
    assert c.sites == [{"name": "总部", "kind": "总部", "address": "文三路 1 号"},
                       {"name": "城西服务网点", "kind": "服务网点", "address": "城西路 8 号"}]  # active ones, HQ first
    assert (c.issued_on, c.expires_on, c.state, c.state_since) == (ISSUED, date(2029, 3, 4), "valid", ISSUED)
    db.expire_all()
    cycle = db.get(CertificationCycle, c.cycle_id)
    assert cycle.opened_by_engagement_id == world["initial"].id and db.get(Engagement, world["initial"].id).cycle_id == cycle.id
    assert [e.event for e in certificate_history(db, c.id, by=world["who"]["admin"])] == ["issue"]
    assert audited(db, Event.CERTIFICATE_ISSUED) == ["证书 GBT27922-2026-0001，四星级，有效期至 2029-03-04"]
    with pytest.raises(InvalidInput, match="已颁发证书 GBT27922-2026-0001，不能重复颁发"):
        issue(db, world, by="admin")
    assert count(db) == 1


def test_a_certificate_is_never_issued_before_its_decision(db, world):
    assert issue(db, world, today=date(2026, 3, 1)).issued_on == DECIDED


def test_only_an_approval_issues_a_certificate(db, world):
    refused = CertificationDecision(engagement_id=world["initial"].id, recommendation_id=world["decision"].recommendation_id,
                                    outcome="refuse", decided_on=DECIDED, reasons="不符合", decided_by="赵决定")
    db.add(refused)
    db.commit()
    with pytest.raises(InvalidInput, match="只有“批准”的认证决定才能颁发证书"):
        issue(db, world, decision=refused)
    with pytest.raises(NotFound):
        issue_certificate(db, decision_id=999, services="", product_types="", by=world["who"]["zhao"])
    assert count(db) == 0


@pytest.mark.parametrize("who", ["zhang", "chen", "client"])
def test_who_may_not_manage_certificates_is_refused_and_logged(db, world, who):
    with pytest.raises(AccessDenied, match="您没有权限颁发或变更证书"):
        issue(db, world, by=who)
    assert count(db) == 0 and audited(db, Event.REFUSED)


def test_numbers_count_the_years_certificates_and_skip_a_taken_one(db, world, monkeypatch):
    from config import settings
    first = issue(db, world)
    second_engagement = rows.engagement(db, world["other"])
    second = issue(db, world, decision=rows.decision(db, second_engagement, DECIDED))
    assert (first.number, second.number) == ("GBT27922-2026-0001", "GBT27922-2026-0002")
    monkeypatch.setenv("AUDIT_CERTIFICATE_PATTERN", "ZS-{seq:03d}")
    settings.cache_clear()
    try:
        third = rows.engagement(db, world["other"], kind="initial")
        made = issue(db, world, decision=rows.decision(db, third, date(2027, 1, 2)), today=date(2027, 1, 4))
        assert made.number == "ZS-001"  # the first of 2027
        fourth = rows.engagement(db, world["other"], kind="initial")
        later = issue(db, world, decision=rows.decision(db, fourth, date(2028, 1, 2)), today=date(2028, 1, 4))
        assert later.number == "ZS-002"  # ZS-001 (2027) is taken: the next number
    finally:
        settings.cache_clear()


def test_suspend_restore_withdraw_keep_their_history(db, world):
    c, admin = issue(db, world), world["who"]["admin"]
    with pytest.raises(InvalidInput, match="暂停证书必须写明理由"):
        suspend_certificate(db, certificate_id=c.id, reason=" ", by=admin, today=date(2026, 6, 1))
    with pytest.raises(InvalidInput, match="最长 6 个月.*2026-12-01"):
        suspend_certificate(db, certificate_id=c.id, reason="监督评价逾期", until=date(2026, 12, 2), by=admin,
                            today=date(2026, 6, 1))
    assert db.get(Certificate, c.id).state == "valid"
    suspend_certificate(db, certificate_id=c.id, reason="监督评价逾期", by=admin, today=date(2026, 6, 1))
    restore_certificate(db, certificate_id=c.id, reason="监督评价已完成", by=world["who"]["zhao"], today=date(2026, 7, 1))
    suspend_certificate(db, certificate_id=c.id, reason="严重不符合未整改", until=date(2026, 9, 1), by=admin,
                        today=date(2026, 8, 1))
    withdraw_certificate(db, certificate_id=c.id, reason="暂停期满仍未整改", by=admin, today=date(2026, 9, 2))
    with pytest.raises(InvalidTransition, match="证书处于“撤销”状态，不能恢复"):
        restore_certificate(db, certificate_id=c.id, reason="企业申诉", by=admin, today=date(2026, 9, 3))
    history = certificate_history(db, c.id, by=world["who"]["client"])
    assert [(e.event, e.from_state, e.to_state, e.effective_on) for e in history] == [
        ("issue", "", "valid", ISSUED), ("suspend", "valid", "suspended", date(2026, 6, 1)),
        ("reinstate", "suspended", "valid", date(2026, 7, 1)), ("suspend", "valid", "suspended", date(2026, 8, 1)),
        ("withdraw", "suspended", "withdrawn", date(2026, 9, 2))]
    assert history[1].after["until"] == "2026-12-01" and history[3].after["until"] == "2026-09-01"
    assert history[2].by == "zhao" and history[2].reason == "监督评价已完成"
    assert describe_event(history[4])["状态"] == "暂停 → 撤销"
    assert describe_event(history[1])["变更后"] == "状态：暂停；暂停至：2026-12-01"
    assert describe_event(history[1])["变更前"] == "状态：有效"
    assert len(audited(db, Event.CERTIFICATE_CHANGED)) == 4
    db.expire_all()
    assert (db.get(Certificate, c.id).state, db.get(Certificate, c.id).state_reason) == ("withdrawn", "暂停期满仍未整改")


def test_a_suspension_past_the_limit_cannot_be_restored(db, world):
    c, admin = issue(db, world), world["who"]["admin"]
    suspend_certificate(db, certificate_id=c.id, reason="监督评价逾期", by=admin, today=date(2026, 6, 1))
    with pytest.raises(InvalidInput, match="不能恢复，应撤销证书"):
        restore_certificate(db, certificate_id=c.id, reason="迟到的监督", by=admin, today=date(2026, 12, 2))


def test_the_expiry_job_expires_what_is_past_its_last_valid_day(db, world):
    c = issue(db, world)
    other = issue(db, world, decision=rows.decision(db, rows.engagement(db, world["other"]), DECIDED),
                  today=date(2026, 4, 1))
    assert expire_due_certificates(db, c.expires_on, SYSTEM) == []
    assert [x.id for x in expire_due_certificates(db, date(2029, 3, 5), world["who"]["client"])] == [c.id]
    db.expire_all()
    assert (db.get(Certificate, c.id).state, db.get(Certificate, other.id).state) == ("expired", "valid")
    last = certificate_history(db, c.id, by=SYSTEM)[-1]
    assert (last.event, last.effective_on, last.by) == ("expire", date(2029, 3, 5), "系统")
    assert expire_due_certificates(db, date(2029, 3, 6), SYSTEM) == []


def test_a_surveillance_records_its_result_and_star_change_on_the_current_certificate(db, world):
    c = issue(db, world)
    db.expire_all()
    initial = db.get(Engagement, world["initial"].id)
    surveillance = rows.engagement(db, world["company"], kind="surveillance", previous=initial,
                                   cycle=db.get(CertificationCycle, c.cycle_id))
    decision = rows.decision(db, surveillance, date(2027, 3, 1), star="five_star")
    same = issue(db, world, decision=decision, today=date(2027, 3, 3))
    assert same.id == c.id and same.star == "five_star" and count(db) == 1
    event = certificate_history(db, c.id, by=SYSTEM)[-1]
    assert (event.event, event.before, event.after["star"]) == ("surveillance", {"star": "four_star"}, "five_star")
    assert "星级由四星级变为五星级" in event.reason
    with pytest.raises(InvalidInput, match="已记录到证书"):
        issue(db, world, decision=decision, today=date(2027, 3, 3))


def test_a_recertification_replaces_the_previous_certificate(db, world):
    old = issue(db, world)
    db.expire_all()
    recert = rows.engagement(db, world["company"], kind="recertification", previous=db.get(Engagement, world["initial"].id),
                             cycle=db.get(CertificationCycle, old.cycle_id))
    new = issue(db, world, decision=rows.decision(db, recert, date(2028, 12, 1), star="three_star"),
                today=date(2028, 12, 3))
    db.expire_all()
    assert new.number == "GBT27922-2028-0001" and new.cycle_id != old.cycle_id and new.star == "three_star"
    assert db.get(Engagement, recert.id).cycle_id == new.cycle_id
    replaced = db.get(Certificate, old.id)
    assert (replaced.state, replaced.state_since) == ("expired", date(2028, 12, 3))
    last = certificate_history(db, old.id, by=SYSTEM)[-1]
    assert (last.event, last.reason) == ("replace", f"由再认证证书 {new.number} 取代")


def test_an_amendment_keeps_before_and_after(db, world):
    c, admin = issue(db, world), world["who"]["admin"]
    with pytest.raises(InvalidInput, match="不能变更这些内容"):
        amend_certificate(db, certificate_id=c.id, changes={"star": "five_star"}, reason="改星级", by=admin)
    with pytest.raises(InvalidInput, match="没有需要变更"):
        amend_certificate(db, certificate_id=c.id, changes={"company_name": c.company_name}, reason="更名", by=admin)
    amend_certificate(db, certificate_id=c.id, changes={"company_name": "杭州新名称电器有限公司",
                                                        "sites": [{"name": "总部", "kind": "总部", "address": "新址"}]},
                      reason="企业更名并迁址", by=admin, today=date(2026, 5, 1))
    event = certificate_history(db, c.id, by=admin)[-1]
    assert event.before["company_name"] == world["company"].name and event.after["company_name"] == "杭州新名称电器有限公司"
    assert event.after["sites"] == [{"name": "总部", "kind": "总部", "address": "新址"}]
    assert db.get(Certificate, c.id).company_name == "杭州新名称电器有限公司"


def test_who_reads_certificates(db, world):
    c, who = issue(db, world), world["who"]
    for name in ("admin", "zhao", "client"):
        assert [x.id for x in company_certificates(db, world["company"].id, by=who[name])] == [c.id]
        assert [x.id for x in visible_certificates(db, by=who[name])] == [c.id]
    for name in ("zhang", "chen", "other"):
        with pytest.raises(AccessDenied):
            company_certificates(db, world["company"].id, by=who[name])
        with pytest.raises(AccessDenied):
            certificate_history(db, c.id, by=who[name])
        assert visible_certificates(db, by=who[name]) == []
    assert visible_certificates(db, by=who["admin"], state="suspended") == []


def verified(db, c, code=None, today=date(2026, 6, 1)):
    return verify(db, c.number, c.check_code if code is None else code, today=today)


def test_the_public_verification_answers_each_state_and_nothing_for_a_wrong_code(db, world):
    c, admin = issue(db, world), world["who"]["admin"]
    shown = verified(db, c)
    assert (shown.number, shown.company_name, shown.star_label, shown.state_label, shown.since) == (
        c.number, world["company"].name, "四星级", "有效", None)
    assert (shown.issued_on, shown.expires_on) == (ISSUED, date(2029, 3, 4))
    assert set(vars(shown)) == {"number", "company_name", "star", "star_label", "state", "state_label",
                                "issued_on", "expires_on", "since"}
    assert verified(db, c, code=c.check_code.lower()) is not None
    assert verified(db, c, code="AAAAAAAA") is None and verify(db, "GBT27922-2099-9999", c.check_code) is None
    assert verified(db, c, code="") is None and verify(db, "", "") is None
    assert verified(db, c, today=date(2029, 3, 5)).state_label == "过期"  # past expiry before the job ran
    suspend_certificate(db, certificate_id=c.id, reason="监督评价逾期", by=admin, today=date(2026, 6, 1))
    assert (verified(db, c).state_label, verified(db, c).since) == ("暂停", date(2026, 6, 1))
    withdraw_certificate(db, certificate_id=c.id, reason="未整改", by=admin, today=date(2026, 7, 1))
    assert (verified(db, c).state_label, verified(db, c).since) == ("撤销", date(2026, 7, 1))


def test_the_verification_address_carries_number_and_code_url_encoded(monkeypatch):
    from config import settings
    monkeypatch.setenv("AUDIT_PUBLIC_URL", "https://cert.example.cn/")
    settings.cache_clear()
    try:
        assert verification_url("GBT 27922/2026&1", "ACD34679") == \
            "https://cert.example.cn/verify?no=GBT+27922%2F2026%261&code=ACD34679"
    finally:
        settings.cache_clear()
