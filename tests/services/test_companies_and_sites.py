"""Companies and sites after registration (issue 14 item 18): one name per site within a company, edits that keep
their history, deactivation that keeps old records, and every change in the audit log with it."""
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from audits.companies import (
    add_site,
    company_history,
    list_companies,
    list_sites,
    set_company_active,
    set_site_active,
    update_company,
    update_site,
)
from dossier.snapshot import build_snapshot
from errors import InvalidInput, StaleEdit
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from records.models import Company, CompanyChange, Site
from tests.factories import VALID_CODES, actor, default_tree, make_company, make_engagement

ADMIN = actor("王管理", username="wang")


def events(db, action):
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def outlet(db, company, name="城西网点", **fields):
    return add_site(db, company_id=company.id, data={"name": name, "kind": "outlet", **fields}, by=ADMIN)


def test_a_second_site_of_the_same_name_is_refused_and_nothing_is_stored(db):
    company = make_company(db)
    outlet(db, company)
    with pytest.raises(InvalidInput, match="已有名为“城西网点”的场所"):
        outlet(db, company, address="另一个地址")
    assert [s.name for s in list_sites(db, company.id, by=ADMIN)] == ["城西网点"]
    assert len(events(db, Event.SITE_ADDED)) == 1
    other = make_company(db, name="宁波公司", credit_code=VALID_CODES[1])
    assert outlet(db, other).company_id == other.id  # the same name in another company is another site


def test_a_site_cannot_be_renamed_to_a_name_its_company_already_has(db):
    company = make_company(db)
    outlet(db, company)
    east = outlet(db, company, "城东网点")
    with pytest.raises(InvalidInput, match="已有名为“城西网点”的场所"):
        update_site(db, site_id=east.id, data={"name": "城西网点"}, expected_version=0, by=ADMIN)
    assert db.get(Site, east.id).name == "城东网点"


def test_an_edit_keeps_who_when_and_the_values_before_and_after(db):
    company = make_company(db)
    update_company(db, company_id=company.id, data={"address": "宁波市海曙区", "contact": "赵经理"},
                   expected_version=0, by=ADMIN)
    site = outlet(db, company)
    update_site(db, site_id=site.id, data={"name": "城西服务中心", "contracted": True}, expected_version=0, by=ADMIN)
    history = company_history(db, company.id, by=ADMIN)
    assert [(h.by, h.subject, h.change) for h in history[:3]] == [
        ("王管理", "场所 城西服务中心", "名称：城西网点 → 城西服务中心；委托网点：否 → 是"),
        ("王管理", "场所 城西服务中心", "登记：名称 城西网点；类型 服务网点；委托网点 否"),
        ("王管理", "企业", "地址：杭州市西湖区 → 宁波市海曙区；联系人：（空） → 赵经理"),
    ]
    assert history[-1].change.startswith("登记：名称 杭州示例电器有限公司") and all(h.at for h in history)
    changed = events(db, Event.COMPANY_CHANGED)
    assert [(e.username, e.target, e.detail) for e in changed] == [
        ("wang", "杭州示例电器有限公司", "地址：杭州市西湖区 → 宁波市海曙区；联系人：（空） → 赵经理")]
    assert events(db, Event.SITE_CHANGED)[0].target == "杭州示例电器有限公司 / 城西服务中心"


def test_an_edit_from_an_older_form_is_refused_naming_who_changed_it(db):
    company = make_company(db)
    update_company(db, company_id=company.id, data={"industry": "家具"}, expected_version=0, by=actor("李管理"))
    with pytest.raises(StaleEdit, match="李管理 在您打开之后修改了该企业的信息"):
        update_company(db, company_id=company.id, data={"industry": "五金"}, expected_version=0, by=ADMIN)
    assert list_companies(db, by=ADMIN)[0].industry == "家具"


def test_an_edit_is_checked_like_a_registration(db):
    company = make_company(db)
    make_company(db, name="宁波公司", credit_code=VALID_CODES[1])
    with pytest.raises(InvalidInput, match="已登记过"):
        update_company(db, company_id=company.id, data={"credit_code": VALID_CODES[1]}, expected_version=0, by=ADMIN)
    with pytest.raises(InvalidInput, match="请填写名称"):
        update_company(db, company_id=company.id, data={"name": " "}, expected_version=0, by=ADMIN)
    db.rollback()
    assert len(company_history(db, company.id, by=ADMIN)) == 1 and events(db, Event.COMPANY_CHANGED) == []


def test_saving_the_same_values_changes_nothing_and_logs_nothing(db):
    company = make_company(db)
    update_company(db, company_id=company.id, data={"name": company.name}, expected_version=0, by=ADMIN)
    assert company.version == 0 and events(db, Event.COMPANY_CHANGED) == []


def test_a_deactivated_site_is_not_offered_but_stays_on_old_records(db, tmp_path):
    engagement = make_engagement(db)
    site = outlet(db, db.get(Company, engagement.company_id))
    upload_evidence(db, LocalBlobStore(tmp_path), engagement_id=engagement.id, name="台账.pdf", site_id=site.id,
                    stream=io.BytesIO(b"%PDF-1.4 ledger %%EOF"), links={"5.1.1.1": set()}, tree=default_tree(),
                    by=actor(), max_bytes=1 << 20)
    set_site_active(db, site_id=site.id, active=False, by=ADMIN)
    assert list_sites(db, engagement.company_id, by=ADMIN, active_only=True) == []
    assert [s.name for s in list_sites(db, engagement.company_id, by=ADMIN)] == ["城西网点"]
    snapshot = build_snapshot(db, engagement.id, default_tree(), by=actor())
    assert [e["site"] for e in snapshot["evidence"]] == ["城西网点"]
    set_site_active(db, site_id=site.id, active=True, by=ADMIN)
    assert [s.name for s in list_sites(db, engagement.company_id, by=ADMIN, active_only=True)] == ["城西网点"]
    assert [e.detail for e in events(db, Event.SITE_DEACTIVATED) + events(db, Event.SITE_REACTIVATED)] == ["", ""]
    assert [h.change for h in company_history(db, engagement.company_id, by=ADMIN)[:2]] == [
        "状态：停用 → 启用", "状态：启用 → 停用"]


def test_a_deactivated_company_keeps_its_engagements_and_gets_no_new_one(db):
    engagement = make_engagement(db)
    company_id = engagement.company_id
    set_company_active(db, company_id=company_id, active=False, by=ADMIN)
    with pytest.raises(InvalidInput, match="已停用，不能新建评价项目"):
        make_engagement(db, company=list_companies(db, by=ADMIN)[0], title="监督评价")
    assert list_companies(db, by=ADMIN, active_only=True) == []
    assert [c.id for c in list_companies(db, by=ADMIN)] == [company_id]
    assert [e.target for e in events(db, Event.COMPANY_DEACTIVATED)] == ["杭州示例电器有限公司"]
    set_company_active(db, company_id=company_id, active=True, by=ADMIN)
    assert make_engagement(db, company=list_companies(db, by=ADMIN)[0], title="监督评价").company_id == company_id


def test_the_history_cannot_be_changed_or_deleted(db):
    company = make_company(db)
    for statement in ("UPDATE companychange SET changed_by = 'x'", "DELETE FROM companychange"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.connection().execute(text(statement))
        db.rollback()
    assert len(db.exec(select(CompanyChange).where(CompanyChange.company_id == company.id)).all()) == 1
