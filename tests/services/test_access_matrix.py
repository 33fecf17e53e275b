"""Role x action x own/other company, through the real services on a real database.

Every allowed action succeeds; every other one raises AccessDenied with a clear message, leaves the data as
it was, and is written to the audit log.
"""
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import func, text
from sqlmodel import SQLModel, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, assign_companies, audit_events, create_user
from audits.companies import add_site, create_company, get_company
from audits.engagements import create_engagement, get_engagement, list_engagements, set_status
from audits.ratings import RatingEntry, clause_history, get_rating, rate_clause
from audits.special_items import add_special_item
from criteria.registry import TreeRegistry
from dossier.assessment import assessment_document
from dossier.backup import backup_engagement, restore_engagement
from dossier.checklist import export_checklist
from dossier.snapshot import build_snapshot
from errors import AccessDenied
from evidence.services import list_evidence, upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import nc_history, raise_nonconformity, submit_rectification
from tests.factories import VALID_CODES, actor, default_tree

TREE = default_tree()
SYSTEM = actor("系统")


@dataclass
class World:
    companies: dict      # "own"/"other" -> company id, as seen by each user
    engagements: dict    # (user, "own"/"other") -> engagement id
    users: dict
    store: LocalBlobStore
    ncs: dict            # engagement id -> a raised nonconformity in it


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
    ncs = {}
    for eid in {a_initial, b_initial, a_pre, b_pre}:
        rate_clause(db, engagement_id=eid, code="5.1.6.b", entry=RatingEntry("nonconform"), expected_version=0,
                    tree=TREE, by=SYSTEM)
        ncs[eid] = raise_nonconformity(db, engagement_id=eid, severity="general", code="5.1.6.b", tree=TREE,
                                       finding="未验证改进效果", by=SYSTEM).id
    return World({"own": a.id, "other": b.id}, engagements, u, LocalBlobStore(tmp_path / "evidence"), ncs)


def _kind(who):
    return "pre_audit" if who == "chen" else "initial"


ACTIONS = {
    "view engagement": lambda db, w, by, who, e, c: get_engagement(db, e, by=by),
    "read history": lambda db, w, by, who, e, c: clause_history(db, e, by=by),
    "download assessment": lambda db, w, by, who, e, c: assessment_document(db, e, TREE, by=by),
    "rate a clause": lambda db, w, by, who, e, c: rate_clause(
        db, engagement_id=e, code="5.1.1.1", entry=RatingEntry("conform"), tree=TREE, by=by,
        expected_version=get_rating(db, e, "5.1.1.1", by=actor()).version),
    "add a special deduction": lambda db, w, by, who, e, c: add_special_item(
        db, engagement_id=e, kind="deduction", category="law", reason="违规", tree=TREE, by=by),
    "change engagement status": lambda db, w, by, who, e, c: set_status(db, e, "in_progress", by=by),
    "create an engagement": lambda db, w, by, who, e, c: create_engagement(
        db, data={"company_id": c, "kind": _kind(who)}, tree=TREE, by=by,
        team=[member(w.users["zhang"], "lead_assessor")] if who in ("admin", "client") else []),
    "view company": lambda db, w, by, who, e, c: get_company(db, c, by=by),
    "add a site": lambda db, w, by, who, e, c: add_site(db, company_id=c, data={"name": "网点", "kind": "outlet"},
                                                        by=by),
    "register a company": lambda db, w, by, who, e, c: create_company(
        db, data={"name": "丙公司", "credit_code": VALID_CODES[2]}, by=by),
    "create a user": lambda db, w, by, who, e, c: create_user(
        db, username="new-user", display_name="新用户", role="assessor", password="a-long-password-2", by=by),
    "read the audit log": lambda db, w, by, who, e, c: audit_events(db, by=by),
    "upload evidence": lambda db, w, by, who, e, c: upload_evidence(
        db, w.store, engagement_id=e, name="证据.pdf", stream=io.BytesIO(b"%PDF-1.4 %%EOF"), tree=TREE,
        links={"5.1.1.1": set()}, by=by, max_bytes=1024 * 1024),
    "list evidence": lambda db, w, by, who, e, c: list_evidence(db, e, by=by),
    "raise a nonconformity": lambda db, w, by, who, e, c: raise_nonconformity(
        db, engagement_id=e, severity="general", code="5.1.6.b", tree=TREE, finding="再次发现", by=by),
    "answer a nonconformity": lambda db, w, by, who, e, c: submit_rectification(
        db, nc_id=w.ncs[e], cause="因", correction="纠", corrective_action="措", evidence_ids=[],
        expected_version=0, by=by),
    "read a nonconformity's history": lambda db, w, by, who, e, c: nc_history(db, w.ncs[e], by=by),
    "export the Excel checklist": lambda db, w, by, who, e, c: export_checklist(db, e, TREE, by=by),
    "build the snapshot": lambda db, w, by, who, e, c: build_snapshot(db, e, TREE, by=by),
    "back up the engagement": lambda db, w, by, who, e, c: backup_engagement(db, w.store, e, TREE, by=by),
    "restore a backup": lambda db, w, by, who, e, c: restore_engagement(
        db, w.store, backup_engagement(db, w.store, e, TREE, by=SYSTEM), TreeRegistry(), by=by),
}

Y, N = True, False
# (own, other) for each user; the columns follow ACTIONS' order
ALLOWED = {
    "admin":  [(Y, Y), (Y, Y), (Y, Y), (N, N), (N, N), (Y, Y), (Y, Y), (Y, Y), (Y, Y), (Y, Y), (Y, Y), (Y, Y),
               (N, N), (Y, Y), (N, N), (N, N), (Y, Y), (Y, Y), (Y, Y), (Y, Y), (Y, Y)],
    "zhang":  [(Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (Y, Y), (Y, Y), (N, N), (N, N), (N, N), (N, N),
               (Y, N), (Y, N), (Y, N), (N, N), (Y, N), (Y, N), (Y, N), (Y, N), (N, N)],
    "chen":   [(Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (Y, N), (N, N), (N, N), (N, N), (N, N),
               (Y, N), (Y, N), (Y, N), (N, N), (Y, N), (Y, N), (Y, N), (Y, N), (N, N)],
    "client": [(Y, N), (Y, N), (Y, N), (N, N), (N, N), (N, N), (N, N), (Y, N), (N, N), (N, N), (N, N), (N, N),
               (Y, N), (Y, N), (N, N), (Y, N), (Y, N), (Y, N), (Y, N), (N, N), (N, N)],
}
CASES = [(who, action, which, ALLOWED[who][i][which == "other"])
         for who in ALLOWED for i, action in enumerate(ACTIONS) for which in ("own", "other")]


def fingerprint(db) -> dict:
    """Every table's rows except the audit log, which a refusal is supposed to grow."""
    db.expire_all()
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in ("auditevent", "signinsession"):
            continue
        rows = db.connection().execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1')).fetchall()
        out[table.name] = [tuple(map(str, r)) for r in rows]
    return out


@pytest.mark.parametrize("who, action, which, allowed", CASES,
                         ids=[f"{w}-{a}-{c}-{'allowed' if ok else 'refused'}" for w, a, c, ok in CASES])
def test_role_action_and_company(db, world, who, action, which, allowed):
    by = actor_of(world.users[who])
    engagement, company = world.engagements[(who, which)], world.companies[which]
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
        assert offered == ALLOWED[who][list(ACTIONS).index(action)][which == "other"], (who, which)
