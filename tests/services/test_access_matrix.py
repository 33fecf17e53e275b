"""Role x action x own/other company, through the real services on a real database.

Every allowed action succeeds; every other one raises AccessDenied with a clear message, leaves the data as
it was, and is written to the audit log.
"""
import io
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, text
from sqlmodel import SQLModel, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, assign_companies, assigned_companies, audit_events, create_user, list_users
from audits.companies import (
    add_site,
    company_history,
    create_company,
    get_company,
    list_sites,
    set_company_active,
    set_site_active,
    update_company,
    update_site,
)
from audits.decisions import record_decision, reopen_result
from audits.engagements import create_engagement, get_engagement, list_engagements, set_status
from audits.ratings import RatingEntry, clause_history, get_rating, rate_clause
from audits.score_history import score_history
from audits.special_items import withdraw_special_item
from criteria.registry import TreeRegistry
from dossier.assessment import assessment_document
from dossier.backup import backup_engagement, restore_engagement
from dossier.checklist import export_checklist, plan_import
from dossier.recommendation import record_recommendation
from dossier.snapshot import build_snapshot
from errors import AccessDenied
from evidence.services import (
    coverage,
    evidence_links,
    link_evidence,
    list_evidence,
    read_evidence,
    remove_evidence,
    unlink_evidence,
    upload_evidence,
)
from evidence.store import LocalBlobStore
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    nc_history,
    raise_nonconformity,
    record_special_item,
    return_rectification,
    set_deadline,
    submit_rectification,
)
from tests.factories import VALID_CODES, actor, default_tree, review_passed
from tests.services.access_api import API_ACTIONS, API_EXPECTED, API_PREPARE
from tests.services.access_certificates import CERTIFICATE_ACTIONS, CERTIFICATE_EXPECTED, CERTIFICATE_PREPARE
from tests.services.access_cycle import CYCLE_ACTIONS, CYCLE_EXPECTED, CYCLE_PREPARE
from tests.services.access_issuance import ISSUANCE_ACTIONS, ISSUANCE_EXPECTED
from tests.services.access_preparation import PREPARATION_ACTIONS, PREPARATION_EXPECTED, PREPARATION_PREPARE
from tests.services.access_programme import PROGRAMME_ACTIONS, PROGRAMME_EXPECTED
from tests.services.access_readiness import READINESS_ACTIONS, READINESS_EXPECTED, READINESS_PREPARE
from tests.services.access_samples import SAMPLES_ACTIONS, SAMPLES_EXPECTED
from tests.services.access_sampling import SAMPLING_ACTIONS, SAMPLING_EXPECTED, SAMPLING_PREPARE

TREE = default_tree()
SYSTEM = actor("系统")


@dataclass
class World:
    companies: dict      # "own"/"other" -> company id, as seen by each user
    engagements: dict    # (user, "own"/"other") -> engagement id
    users: dict
    store: LocalBlobStore
    ncs: dict            # engagement id -> a raised nonconformity in it
    submitted: dict      # engagement id -> a nonconformity whose rectification waits for review
    accepted: dict       # engagement id -> a nonconformity whose rectification was accepted
    items: dict          # engagement id -> an active special deduction
    files: dict          # engagement id -> an evidence record linked to 5.1.1.1
    sites: dict          # company id -> one of its sites


def member(user, role):
    return {"role": role, "user_id": user.id}


@pytest.fixture
def world(db, tmp_path) -> World:
    a = create_company(db, data={"name": "甲公司", "credit_code": VALID_CODES[0]}, by=SYSTEM)
    b = create_company(db, data={"name": "乙公司", "credit_code": VALID_CODES[1]}, by=SYSTEM)
    pw = "a-long-password-1"
    u = {name: create_user(db, username=name, display_name=name, role=role, password=pw, by=SYSTEM,
                           company_id=a.id if role == "client" else None)
         for name, role in [("admin", "admin"), ("zhang", "assessor"), ("li", "assessor"),
                            ("chen", "consultant"), ("client", "client")]}
    assign_companies(db, user_id=u["chen"].id, company_ids={a.id}, by=SYSTEM)

    def engagement(company, kind, team):
        return create_engagement(db, data={"company_id": company.id, "kind": kind}, tree=TREE, team=team,
                                 by=SYSTEM).id
    a_initial = engagement(a, "initial", [member(u["zhang"], "lead_assessor")])
    b_initial = engagement(b, "initial", [member(u["li"], "lead_assessor")])
    a_pre = engagement(a, "pre_audit", [member(u["chen"], "consultant")])
    b_pre = engagement(b, "pre_audit", [])
    engagements = {("chen", "own"): a_pre, ("chen", "other"): b_pre}
    for name in ("admin", "zhang", "client"):
        engagements |= {(name, "own"): a_initial, (name, "other"): b_initial}
    store = LocalBlobStore(tmp_path / "evidence")
    ncs, submitted, accepted, items, files = {}, {}, {}, {}, {}
    for eid in {a_initial, b_initial, a_pre, b_pre}:
        rate_clause(db, engagement_id=eid, code="5.1.6.b", entry=RatingEntry("nonconform", finding="未验证改进效果"),
                    expected_version=0,
                    tree=TREE, by=SYSTEM)
        raised = [raise_nonconformity(db, engagement_id=eid, severity="general", code="5.1.6.b", tree=TREE,
                                      finding="未验证改进效果", by=SYSTEM).id for _ in range(3)]
        ncs[eid], submitted[eid], accepted[eid] = raised
        for nc_id in raised[1:]:
            submit_rectification(db, nc_id=nc_id, cause="因", correction="纠", corrective_action="措",
                                 evidence_ids=[], expected_version=0, by=SYSTEM)
        accept_rectification(db, nc_id=accepted[eid], comment="", expected_version=1, by=SYSTEM)
        items[eid] = record_special_item(db, engagement_id=eid, kind="deduction", category="law", reason="违规",
                                         tree=TREE, by=SYSTEM).id
        files[eid] = upload_evidence(db, store, engagement_id=eid, name="制度.pdf", tree=TREE,
                                     stream=io.BytesIO(f"%PDF-1.4 {eid} %%EOF".encode()), links={"5.1.1.1": set()},
                                     by=SYSTEM, max_bytes=1024 * 1024).evidence.id
    sites = {c.id: add_site(db, company_id=c.id, data={"name": "总部", "kind": "headquarters"}, by=SYSTEM).id
             for c in (a, b)}
    return World({"own": a.id, "other": b.id}, engagements, u, store, ncs, submitted, accepted, items, files, sites)


def _kind(who):
    return "pre_audit" if who == "chen" else "initial"


ACTIONS = {
    "view engagement": lambda db, w, by, who, e, c: get_engagement(db, e, by=by),
    "read history": lambda db, w, by, who, e, c: clause_history(db, e, by=by),
    "read a rating": lambda db, w, by, who, e, c: get_rating(db, e, "5.1.1.1", by=by),
    "read the score history": lambda db, w, by, who, e, c: score_history(db, e, TREE, by=by),
    "download assessment": lambda db, w, by, who, e, c: assessment_document(db, e, TREE, by=by),
    "rate a clause": lambda db, w, by, who, e, c: rate_clause(
        db, engagement_id=e, code="5.1.1.1", entry=RatingEntry("conform"), tree=TREE, by=by,
        expected_version=get_rating(db, e, "5.1.1.1", by=actor()).version),
    "add a special deduction": lambda db, w, by, who, e, c: record_special_item(
        db, engagement_id=e, kind="deduction", category="law", reason="违规", tree=TREE, by=by),
    "withdraw a special item": lambda db, w, by, who, e, c: withdraw_special_item(
        db, item_id=w.items[e], reason="误记", by=by),
    "change engagement status": lambda db, w, by, who, e, c: set_status(db, e, "in_progress", by=by),
    "create an engagement": lambda db, w, by, who, e, c: create_engagement(
        db, data={"company_id": c, "kind": _kind(who)}, tree=TREE, by=by,
        team=[member(w.users["zhang"], "lead_assessor")] if who in ("admin", "client") else []),
    "view company": lambda db, w, by, who, e, c: get_company(db, c, by=by),
    "add a site": lambda db, w, by, who, e, c: add_site(db, company_id=c, data={"name": "网点", "kind": "outlet"},
                                                        by=by),
    "edit a company": lambda db, w, by, who, e, c: update_company(
        db, company_id=c, data={"contact": "赵经理"}, expected_version=0, by=by),
    "deactivate a company": lambda db, w, by, who, e, c: set_company_active(db, company_id=c, active=False, by=by),
    "edit a site": lambda db, w, by, who, e, c: update_site(
        db, site_id=w.sites[c], data={"address": "新地址"}, expected_version=0, by=by),
    "deactivate a site": lambda db, w, by, who, e, c: set_site_active(db, site_id=w.sites[c], active=False, by=by),
    "list a company's sites": lambda db, w, by, who, e, c: list_sites(db, c, by=by),
    "read a company's history": lambda db, w, by, who, e, c: company_history(db, c, by=by),
    "register a company": lambda db, w, by, who, e, c: create_company(
        db, data={"name": "丙公司", "credit_code": VALID_CODES[2]}, by=by),
    "create a user": lambda db, w, by, who, e, c: create_user(
        db, username="new-user", display_name="新用户", role="assessor", password="a-long-password-2", by=by),
    "list all users": lambda db, w, by, who, e, c: list_users(db, by=by),
    "list assessors for a team": lambda db, w, by, who, e, c: list_users(db, by=by, role="assessor"),
    "read a consultant's companies": lambda db, w, by, who, e, c: assigned_companies(db, w.users["chen"].id, by=by),
    "read the audit log": lambda db, w, by, who, e, c: audit_events(db, by=by),
    "upload evidence": lambda db, w, by, who, e, c: upload_evidence(
        db, w.store, engagement_id=e, name="证据.pdf", stream=io.BytesIO(b"%PDF-1.4 %%EOF"), tree=TREE,
        links={"5.1.1.1": set()}, by=by, max_bytes=1024 * 1024),
    "list evidence": lambda db, w, by, who, e, c: list_evidence(db, e, by=by),
    "read evidence": lambda db, w, by, who, e, c: read_evidence(db, w.store, w.files[e], by=by),
    "read evidence links": lambda db, w, by, who, e, c: evidence_links(db, w.files[e], by=by),
    "read evidence coverage": lambda db, w, by, who, e, c: coverage(db, e, by=by),
    "link evidence": lambda db, w, by, who, e, c: link_evidence(
        db, evidence_id=w.files[e], links={"5.1.1.2": set()}, tree=TREE, by=by),
    "unlink evidence": lambda db, w, by, who, e, c: unlink_evidence(
        db, link_id=evidence_links(db, w.files[e], by=SYSTEM)[0].id, by=by),
    "remove evidence": lambda db, w, by, who, e, c: remove_evidence(db, evidence_id=w.files[e], reason="重复", by=by),
    "raise a nonconformity": lambda db, w, by, who, e, c: raise_nonconformity(
        db, engagement_id=e, severity="general", code="5.1.6.b", tree=TREE, finding="再次发现", by=by),
    "answer a nonconformity": lambda db, w, by, who, e, c: submit_rectification(
        db, nc_id=w.ncs[e], cause="因", correction="纠", corrective_action="措", evidence_ids=[],
        expected_version=0, by=by),
    "return a rectification": lambda db, w, by, who, e, c: return_rectification(
        db, nc_id=w.submitted[e], reason="不充分", expected_version=1, by=by),
    "accept a rectification": lambda db, w, by, who, e, c: accept_rectification(
        db, nc_id=w.submitted[e], comment="", expected_version=1, by=by),
    "close a nonconformity": lambda db, w, by, who, e, c: close_nonconformity(
        db, nc_id=w.accepted[e], verification="documents", note="已验证", expected_version=2, by=by),
    "change a deadline": lambda db, w, by, who, e, c: set_deadline(db, nc_id=w.ncs[e], due_date=date(2027, 1, 31),
                                                                   by=by),
    "read a nonconformity's history": lambda db, w, by, who, e, c: nc_history(db, w.ncs[e], by=by),
    "export the Excel checklist": lambda db, w, by, who, e, c: export_checklist(db, e, TREE, by=by),
    "import the Excel checklist": lambda db, w, by, who, e, c: plan_import(
        db, e, TREE, export_checklist(db, e, TREE, by=SYSTEM), by=by),
    "build the snapshot": lambda db, w, by, who, e, c: build_snapshot(db, e, TREE, by=by),
    "back up the engagement": lambda db, w, by, who, e, c: backup_engagement(db, w.store, e, TREE, by=by),
    "restore a backup": lambda db, w, by, who, e, c: restore_engagement(
        db, w.store, backup_engagement(db, w.store, e, TREE, by=SYSTEM), TreeRegistry(), by=by),
    "record a recommendation": lambda db, w, by, who, e, c: record_recommendation(
        db, engagement_id=e, kind="not_recommend", star=None, conditions="", tree=TREE, by=by),
    "reopen the result": lambda db, w, by, who, e, c: reopen_result(db, engagement_id=e, reason="复核", by=by),
    "record a decision": lambda db, w, by, who, e, c: record_decision(
        db, engagement_id=e, outcome="refuse", star=None, decided_on=date(2026, 1, 5), reasons="不同意", tree=TREE,
        by=by),
    **CERTIFICATE_ACTIONS,
    **PREPARATION_ACTIONS,
    **PROGRAMME_ACTIONS,
    **CYCLE_ACTIONS,
    **API_ACTIONS,
    **SAMPLING_ACTIONS,
    **SAMPLES_ACTIONS,
    **ISSUANCE_ACTIONS,
    **READINESS_ACTIONS,
}


def _reviewed(db, e):
    from records.models import Engagement
    if db.get(Engagement, e).kind != "pre_audit":  # a pre-audit has no document review
        review_passed(db, e)
        return True
    return False


def _started(db, e):
    if _reviewed(db, e):  # a pre-audit carries no recommendation
        set_status(db, e, "in_progress", by=SYSTEM)
        return True
    return False


def _issued(db, e):
    if _started(db, e):
        record_recommendation(db, engagement_id=e, kind="not_recommend", star=None, conditions="", tree=TREE,
                              by=SYSTEM)


# What an action needs to have happened first (by the system, before the data are compared).
PREPARE = {"change engagement status": _reviewed, "record a recommendation": _started, "reopen the result": _issued,
           "record a decision": _issued, **CERTIFICATE_PREPARE, **PREPARATION_PREPARE, **CYCLE_PREPARE,
           **API_PREPARE, **SAMPLING_PREPARE, **READINESS_PREPARE}

# For each action, per user: whether it is allowed on their own company's engagement and on the other one's
# ("YN": own yes, other no). Actions without a company (the audit log, user lists) give the same answer twice.
# Each engagement's file is the team's (uploaded by the system): a client sees it but may not remove or relink
# it; tests/services/test_evidence_ownership.py covers the client's own files.
EXPECTED = {
    "view engagement":                 {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read history":                    {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read a rating":                   {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read the score history":          {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "download assessment":             {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "rate a clause":                   {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "add a special deduction":         {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "withdraw a special item":         {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "change engagement status":        {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "create an engagement":            {"admin": "YY", "zhang": "YY", "chen": "YN", "client": "NN"},
    "view company":                    {"admin": "YY", "zhang": "YY", "chen": "YN", "client": "YN"},
    "add a site":                      {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "edit a company":                  {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "deactivate a company":            {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "edit a site":                     {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "deactivate a site":               {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "list a company's sites":          {"admin": "YY", "zhang": "YY", "chen": "YN", "client": "YN"},
    "read a company's history":        {"admin": "YY", "zhang": "YY", "chen": "YN", "client": "YN"},
    "register a company":              {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "create a user":                   {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "list all users":                  {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "list assessors for a team":       {"admin": "YY", "zhang": "YY", "chen": "YY", "client": "NN"},
    "read a consultant's companies":   {"admin": "YY", "zhang": "NN", "chen": "YY", "client": "NN"},
    "read the audit log":              {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "upload evidence":                 {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "YN"},
    "list evidence":                   {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read evidence":                   {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read evidence links":             {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read evidence coverage":          {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "link evidence":                   {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "unlink evidence":                 {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "remove evidence":                 {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "raise a nonconformity":           {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "answer a nonconformity":          {"admin": "NN", "zhang": "NN", "chen": "NN", "client": "YN"},
    "return a rectification":          {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "accept a rectification":          {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "close a nonconformity":           {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "change a deadline":               {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "read a nonconformity's history":  {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "export the Excel checklist":      {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "import the Excel checklist":      {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "build the snapshot":              {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "back up the engagement":          {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "restore a backup":                {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "record a recommendation":         {"admin": "NN", "zhang": "YN", "chen": "NN", "client": "NN"},
    "reopen the result":               {"admin": "NN", "zhang": "YN", "chen": "NN", "client": "NN"},
    "record a decision":               {"admin": "NN", "zhang": "NN", "chen": "NN", "client": "NN"},
    **CERTIFICATE_EXPECTED,
    **PREPARATION_EXPECTED,
    **PROGRAMME_EXPECTED,
    **CYCLE_EXPECTED,
    **API_EXPECTED,
    **SAMPLING_EXPECTED,
    **SAMPLES_EXPECTED,
    **ISSUANCE_EXPECTED,
    **READINESS_EXPECTED,
}
WHO = ("admin", "zhang", "chen", "client")


def allowed(who: str, action: str, which: str) -> bool:
    return EXPECTED[action][who][which == "other"] == "Y"


CASES = [(who, action, which, allowed(who, action, which))
         for who in WHO for action in ACTIONS for which in ("own", "other")]


def test_every_action_has_its_expectations_by_name():
    assert set(EXPECTED) == set(ACTIONS) and all(set(row) == set(WHO) for row in EXPECTED.values())


def fingerprint(db) -> dict:
    """Every table's rows except the audit log, which a refusal is supposed to grow."""
    db.expire_all()
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in ("auditevent", "signinsession", "apitoken"):  # a token is made for each API call
            continue
        rows = db.connection().execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1')).fetchall()
        out[table.name] = [tuple(map(str, r)) for r in rows]
    return out


@pytest.mark.parametrize("who, action, which, allowed", CASES,
                         ids=[f"{w}-{a}-{c}-{'allowed' if ok else 'refused'}" for w, a, c, ok in CASES])
def test_role_action_and_company(db, world, who, action, which, allowed):
    by = actor_of(world.users[who])
    engagement, company = world.engagements[(who, which)], world.companies[which]
    PREPARE.get(action, lambda db, e: None)(db, engagement)
    before = fingerprint(db)
    refusals = db.exec(select(func.count()).where(AuditEvent.action == Event.REFUSED)).one()
    if allowed:
        ACTIONS[action](db, world, by, who, engagement, company)
        return
    with pytest.raises(AccessDenied, match="您没有权限"):
        ACTIONS[action](db, world, by, who, engagement, company)
    db.rollback()
    assert fingerprint(db) == before
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.REFUSED)).one() == refusals + 1


def test_lists_show_each_role_only_what_it_may_see(db, world):
    def visible(name):
        return {r.engagement.id for r in list_engagements(db, by=actor_of(world.users[name]))}
    e = world.engagements
    assert visible("admin") == {e[("admin", "own")], e[("admin", "other")], e[("chen", "own")], e[("chen", "other")]}
    assert visible("zhang") == {e[("zhang", "own")]}
    assert visible("chen") == {e[("chen", "own")]}
    assert visible("client") == {e[("client", "own")], e[("chen", "own")]}  # both engagements of company A


def test_a_disabled_user_is_refused_everything_at_once(db, world):
    from accounts.users import set_active
    zhang = actor_of(world.users["zhang"])
    set_active(db, user_id=world.users["zhang"].id, active=False, by=SYSTEM)
    with pytest.raises(AccessDenied):
        get_engagement(db, world.engagements[("zhang", "own")], by=zhang)
    assert list_engagements(db, by=zhang) == []


def test_a_role_change_applies_to_the_next_call_and_is_logged(db, world):
    from accounts.users import set_role
    client = actor_of(world.users["client"])
    set_role(db, user_id=world.users["client"].id, role="admin", by=actor_of(world.users["admin"]))
    assert audit_events(db, by=client, action=Event.ROLE_CHANGED)[0].detail == "client -> admin"


@pytest.mark.parametrize("action", ["back up the engagement", "rate a clause"])
def test_what_the_screen_offers_is_what_the_service_allows(db, world, action):
    """`permits` (used to offer an action) answers from the same facts as `require` (which enforces it)."""
    from accounts.access import permits
    from accounts.policy import Action
    from records.models import Engagement
    needed = {"back up the engagement": Action.MANAGE_ENGAGEMENT, "rate a clause": Action.RATE}[action]
    for (who, which), engagement_id in world.engagements.items():
        by = actor_of(world.users[who])
        offered = permits(db, by, needed, engagement=db.get(Engagement, engagement_id))
        assert offered == allowed(who, action, which), (who, which)
