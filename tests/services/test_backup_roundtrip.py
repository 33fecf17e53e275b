"""Backup → restore into a fresh installation → snapshot: an engagement using every feature comes back equal,
database ids aside (issue 14, item 22)."""
import io
import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from audits.companies import add_site
from audits.engagements import create_engagement, set_status
from audits.ratings import RatingEntry, get_rating, rate_clause
from audits.special_items import add_special_item, withdraw_special_item
from criteria.registry import TreeRegistry
from db import make_engine, migrate, session
from dossier.assessment import engagement_result
from dossier.backup import backup_engagement, restore_engagement
from dossier.snapshot import build_snapshot
from evidence.models import GENERAL, Evidence, EvidenceLink
from evidence.services import evidence_links, remove_evidence, unlink_evidence, upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.acknowledgement import acknowledge_nonconformity
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    raise_nonconformity,
    record_special_item,
    return_rectification,
    set_deadline,
    submit_rectification,
)
from records.models import Site
from tests.factories import VALID_CODES, actor, default_tree, make_company, make_engagement, review_passed

TREE = default_tree()
LEAD, CLIENT = actor("张审查"), actor("王经理")
TODAY = date(2026, 11, 3)


@pytest.fixture
def fresh_installation(engine, tmp_path):
    """A second, empty installation on the same kind of database: a new SQLite file or a new PostgreSQL database."""
    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path}/fresh/audit.db")
        migrate(target)
        yield target, LocalBlobStore(tmp_path / "fresh" / "evidence")
        target.dispose()
        return
    name = f"restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    try:
        migrate(target)
        yield target, LocalBlobStore(tmp_path / "fresh" / "evidence")
    finally:
        target.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def without_ids(value):
    """A snapshot with every database id taken out: keys `id`, `…_id` and `…_ids`, at any depth."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id" and not k.endswith(("_id", "_ids"))}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def test_the_normaliser_removes_ids_and_nothing_else():
    snap = {"engagement": {"id": 7, "title": "t"}, "x": [{"site_id": 1, "evidence_ids": [2], "idea": "i"}]}
    assert without_ids(snap) == {"engagement": {"title": "t"}, "x": [{"idea": "i"}]}


def upload(db, store, eid, name, links, by=LEAD, site_id=None, note=""):
    return upload_evidence(db, store, engagement_id=eid, name=name, stream=io.BytesIO(f"%PDF-1.4 {name}".encode()),
                           tree=TREE, links=links, by=by, max_bytes=1024 * 1024, site_id=site_id, note=note).evidence


def rate(db, eid, code, entry, by=LEAD):
    version = get_rating(db, eid, code, by=by).version
    rate_clause(db, engagement_id=eid, code=code, entry=entry, expected_version=version, tree=TREE, by=by)


def other_engagement(db, store) -> None:
    """Rows made before the engagement under test, so its ids differ from those a fresh database gives."""
    company = make_company(db, credit_code=VALID_CODES[2], name="宁波另一企业")
    add_site(db, company_id=company.id, data={"name": "宁波总部", "kind": "headquarters"}, by=LEAD)
    eid = make_engagement(db, company=company).id
    upload(db, store, eid, "其他.pdf", {"5.1.1.1": set()})
    upload(db, store, eid, "手册.pdf", {"5.1.1.1": set()})  # the same file as below, in another engagement
    item = add_special_item(db, engagement_id=eid, kind="bonus", reason="其他项目的加分", tree=TREE, by=LEAD)
    raise_nonconformity(db, engagement_id=eid, severity="observation", finding="其他项目的观察", tree=TREE,
                        code="5.1.1.1", by=LEAD)
    withdraw_special_item(db, item_id=item.id, reason="撤销", by=LEAD)


def full_engagement(db, store) -> int:
    """An engagement using every feature, built through the services as its users would."""
    other_engagement(db, store)
    company = make_company(db, name="杭州全功能电器有限公司", contact="王经理", scope="家电销售与售后服务 <&\"'>")
    sites = {name: add_site(db, company_id=company.id, by=LEAD, data={
        "name": name, "kind": kind, "contracted": contracted, "address": address}).id
        for name, kind, contracted, address in (("杭州总部", "headquarters", False, "西湖区"),
                                                ("城西服务网点", "outlet", False, ""),
                                                ("萧山服务网点", "outlet", True, "萧山区"))}
    team = [{"name": "张审查", "role": "lead_assessor"}, {"name": "李评审", "role": "assessor"},
            {"name": "赵专家", "role": "technical_expert"}]
    eid = create_engagement(db, data={"company_id": company.id, "kind": "initial", "title": "全功能初次认证",
                                      "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 4)},
                            tree=TREE, team=team, by=LEAD).id
    review_passed(db, eid)
    set_status(db, eid, "in_progress", by=LEAD)
    rate_every_kind(db, eid)
    evidence = add_evidence(db, store, eid, sites)
    add_specials_and_nonconformities(db, store, eid, sites, evidence)
    return eid


def rate_every_kind(db, eid) -> None:
    rate(db, eid, "5.1.1.1", RatingEntry("conform"))
    rate(db, eid, "5.1.1.2", RatingEntry("nonconform", finding="委托网点无服务协议。"))
    rate(db, eid, "5.1.2.1", RatingEntry("sampled", 10, 2, finding="抽查 10 人，2 人证书过期。"))
    rate(db, eid, "5.1.2.2", RatingEntry("conform"), by=actor("李评审"))
    rate(db, eid, "5.1.2.2", RatingEntry("sampled", 5, 0, finding="复核抽样"))  # history with two versions
    rate(db, eid, "5.2.6.a", RatingEntry("excluded", reason="企业为零售商，不负有回收义务。", finding="已核实"))
    rate(db, eid, "5.1.3.1", RatingEntry("conform"))
    rate(db, eid, "5.1.3.1", RatingEntry("unrated", finding="待复核"))  # rated, then reset


def add_evidence(db, store, eid, sites) -> dict:
    manual = upload(db, store, eid, "手册.pdf", {"5.1.1.1": set(), "5.1.2.1": {0, 2}}, site_id=sites["杭州总部"],
                    note="2026 版")
    record = upload(db, store, eid, "工单.pdf", {"5.1.2.1": {1}, "5.1.1.2": set()}, site_id=sites["萧山服务网点"])
    link = next(k for k in evidence_links(db, record.id, by=LEAD) if k.code == "5.1.1.2")
    unlink_evidence(db, link_id=link.id, by=LEAD)
    old = upload(db, store, eid, "旧版.pdf", {"5.1.4.1": set()})
    remove_evidence(db, evidence_id=old.id, reason="上传错了版本", by=LEAD)
    answer = upload(db, store, eid, "整改记录.pdf", {"5.1.1.2": set()}, by=CLIENT)
    draft = upload(db, store, eid, "整改草稿.pdf", {"5.1.2.1": {3}}, by=CLIENT)
    return {"manual": manual.id, "answer": answer.id, "draft": draft.id}


def add_specials_and_nonconformities(db, store, eid, sites, evidence) -> None:
    # each deduction raises its own nonconformity (NC-01, NC-02); a withdrawn one leaves its nonconformity
    record_special_item(db, engagement_id=eid, kind="deduction", reason="网点收费高于公示标准。", tree=TREE,
                        category="company_rules", code="5.2.4.c", by=LEAD, today=TODAY)
    dropped = record_special_item(db, engagement_id=eid, kind="deduction", reason="误记", tree=TREE, category="law",
                                  by=LEAD, today=TODAY)
    add_special_item(db, engagement_id=eid, kind="bonus", reason="2 小时上门服务网络。", tree=TREE, by=LEAD)
    withdraw_special_item(db, item_id=dropped.id, reason="核实后不成立", by=LEAD)

    def raise_(severity, **kw):
        return raise_nonconformity(db, engagement_id=eid, severity=severity, tree=TREE, by=LEAD, today=TODAY, **kw)

    closed = raise_("general", code="5.1.1.2", finding="无服务协议", site_id=sites["城西服务网点"])
    answer = {"cause": "制度缺失", "correction": "已补签协议", "corrective_action": "建立协议台账"}
    submit_rectification(db, nc_id=closed.id, evidence_ids=[evidence["answer"], evidence["manual"]],
                         expected_version=0, by=CLIENT, **answer)
    accept_rectification(db, nc_id=closed.id, comment="同意", expected_version=1, by=LEAD)
    close_nonconformity(db, nc_id=closed.id, verification="documents", note="文件验证通过", expected_version=2, by=LEAD)
    returned = db.exec(select(Nonconformity).where(Nonconformity.engagement_id == eid,
                                                   Nonconformity.number == 1)).one()
    submit_rectification(db, nc_id=returned.id, evidence_ids=[], expected_version=0, by=CLIENT, **answer)
    return_rectification(db, nc_id=returned.id, reason="未附收费凭证", expected_version=1, by=LEAD)
    acknowledge_nonconformity(db, nc_id=returned.id, representative="赵总经理", planned_completion=date(2026, 11, 20),
                              remark="纸质报告已签字", by=LEAD, today=TODAY)  # kept through a restore (A5)
    raise_("observation", code="5.1.1.1", finding="培训记录可更完整", site_id=sites["萧山服务网点"])
    submitted = raise_("serious", code="5.1.2.1", finding="证书过期", requirement="持证上岗", evidence_seen="证书复印件")
    set_deadline(db, nc_id=submitted.id, due_date=date(2026, 11, 20), by=LEAD)
    submit_rectification(db, nc_id=submitted.id, evidence_ids=[evidence["draft"]], expected_version=0, by=CLIENT,
                         **answer)
    remove_evidence(db, evidence_id=evidence["draft"], reason="客户重新上传", by=LEAD)  # named by the history
    raise_("general", code="5.1.2.1", finding="抽样不符合第二项")


def test_a_backup_restored_into_a_fresh_installation_snapshots_equal_but_for_ids(db, tmp_path, fresh_installation):
    store = LocalBlobStore(tmp_path / "evidence")
    eid = full_engagement(db, store)
    before = build_snapshot(db, eid, TREE, by=LEAD)
    engine, target_store = fresh_installation
    with session(engine) as target:
        restored = restore_engagement(target, target_store, backup_engagement(db, store, eid, TREE, by=LEAD),
                                      TreeRegistry(), by=actor("管理员"))
        after = build_snapshot(target, restored, TREE, by=LEAD)
        assert without_ids(after) == without_ids(before)
        assert engagement_result(target, restored, TREE, by=LEAD) == engagement_result(db, eid, TREE, by=LEAD)
        for record in before["evidence"] + before["removed_evidence"]:
            assert target_store.path(record["sha256"]).read_bytes() == f"%PDF-1.4 {record['name']}".encode()


def test_the_full_engagement_uses_every_feature_the_round_trip_must_keep(db, tmp_path):
    """Guards the test above: were a feature missing from the engagement, equality would prove nothing about it."""
    snap = build_snapshot(db, full_engagement(db, LocalBlobStore(tmp_path / "evidence")), TREE, by=LEAD)
    assert {r["result"] for r in snap["ratings"]} == {"conform", "nonconform", "sampled"}
    assert snap["exclusions"][0]["finding"] == "已核实" and snap["unrated"][0]["finding"] == "待复核"
    assert [h["version"] for h in snap["rating_history"] if h["code"] == "5.1.2.2"] == [1, 2]
    assert [n["status"] for n in snap["nonconformities"]] == [
        "returned", "raised", "closed", "noted", "submitted", "raised"]
    assert snap["nonconformities"][0]["special_item"] == snap["special_deductions"][0]["key"] == "S1"
    assert (snap["nonconformities"][0]["acknowledged_by"], snap["nonconformities"][0]["planned_completion"]) == \
        ("赵总经理", "2026-11-20")
    assert snap["nonconformities"][1]["special_item"] == snap["withdrawn_special_items"][0]["key"] == "S2"
    assert [n["site"] for n in snap["nonconformities"][2:4]] == ["城西服务网点", "萧山服务网点"]
    assert snap["withdrawn_special_items"][0]["withdrawn_reason"] == "核实后不成立" and snap["special_bonus"]
    assert {(link["code"], link["item"]) for link in snap["evidence"][0]["links"]} == {
        ("5.1.1.1", None), ("5.1.2.1", 1), ("5.1.2.1", 3)}
    unlinked = [link for link in snap["evidence"][1]["links"] if link["code"] == "5.1.1.2"]
    assert snap["evidence"][1]["site"] == "萧山服务网点" and unlinked[0]["unlinked_by"] == "张审查"
    assert [e["name"] for e in snap["removed_evidence"]] == ["旧版.pdf", "整改草稿.pdf"]
    named = [h["details"]["evidence"] for n in snap["nonconformities"] for h in n["history"] if h["event"] == "submit"]
    assert [len(files) for files in named] == [0, 2, 1]  # NC-01 (the deduction) answered without files
    assert any(s["contracted"] for s in snap["sites"]) and len(snap["team"]) == 3


def test_after_a_restore_the_rectification_names_the_same_files_by_their_new_ids(db, tmp_path, fresh_installation):
    store = LocalBlobStore(tmp_path / "evidence")
    eid = full_engagement(db, store)
    engine, target_store = fresh_installation
    with session(engine) as target:
        restored = restore_engagement(target, target_store, backup_engagement(db, store, eid, TREE, by=LEAD),
                                      TreeRegistry(), by=actor("管理员"))
        files = {}
        for s, engagement in ((db, eid), (target, restored)):
            ncs = s.exec(select(Nonconformity.id).where(Nonconformity.engagement_id == engagement)).all()
            steps = s.exec(select(NcEvent).where(NcEvent.nonconformity_id.in_(ncs), NcEvent.event == "submit")
                           .order_by(NcEvent.id)).all()
            files[s] = [[(s.get(Evidence, i).engagement_id == engagement, s.get(Evidence, i).name)
                         for i in step.details["evidence_ids"]] for step in steps]
        assert sorted(files[target]) == sorted(files[db])  # restore writes events nonconformity by nonconformity
        assert all(ours for step in files[target] for ours, _ in step)
        links = target.exec(select(EvidenceLink.code, EvidenceLink.item).join(Evidence).where(
            Evidence.engagement_id == restored, Evidence.name == "手册.pdf")).all()
        assert sorted(links) == [("5.1.1.1", GENERAL), ("5.1.2.1", 0), ("5.1.2.1", 2)]
        site = target.exec(select(Site.name).join(Evidence, Evidence.site_id == Site.id).where(
            Evidence.engagement_id == restored, Evidence.name == "手册.pdf")).one()
        assert site == "杭州总部"
