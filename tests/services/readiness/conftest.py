"""The pre-audit world the readiness tests share: a company, its client user, its consultant, outsiders, and a
pre-audit with one clause nonconform, one conform with a file, the rest not rated."""
import io
from datetime import date, timedelta

import pytest

from accounts.users import actor_of, assign_companies, create_user
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from readiness.tasks import Owner, generate_plan
from tests.factories import VALID_CODES, actor, default_tree, make_company

TREE = default_tree()
SYSTEM = actor("系统")
TODAY = date(2026, 12, 1)
DUE = TODAY + timedelta(days=30)
PDF = b"%PDF-1.4 readiness %%EOF"
MAX = 1024 * 1024


@pytest.fixture
def plan(db, tmp_path):
    """A company with its client user and consultant, and a pre-audit: 5.1.2.2 nonconform, 5.1.1.1 conform with
    its first checklist item on file, the rest not rated yet."""
    company, other = make_company(db), make_company(db, name="乙公司", credit_code=VALID_CODES[1])
    users = {name: create_user(db, username=name, display_name=label, role=role, password="a-long-password-1",
                               company_id={"client": company.id, "client2": other.id}.get(name), by=SYSTEM)
             for name, label, role in [("chen", "陈咨询", "consultant"), ("wu", "吴咨询", "consultant"),
                                       ("client", "王经理", "client"), ("client2", "乙经理", "client"),
                                       ("zhang", "张审查", "assessor")]}
    assign_companies(db, user_id=users["chen"].id, company_ids={company.id}, by=SYSTEM)
    assign_companies(db, user_id=users["wu"].id, company_ids={other.id}, by=SYSTEM)
    pre = create_engagement(db, data={"company_id": company.id, "kind": "pre_audit"}, tree=TREE, by=SYSTEM,
                            team=[{"role": "consultant", "user_id": users["chen"].id}]).id
    rate_clause(db, engagement_id=pre, code="5.1.2.2", entry=RatingEntry("nonconform", finding="尚无持证管理师"),
                expected_version=0, tree=TREE, by=SYSTEM)
    rate_clause(db, engagement_id=pre, code="5.1.1.1", entry=RatingEntry("conform"), expected_version=0, tree=TREE,
                by=SYSTEM)
    store = LocalBlobStore(tmp_path / "evidence")
    upload_evidence(db, store, engagement_id=pre, name="架构图.pdf", stream=io.BytesIO(PDF), tree=TREE,
                    links={"5.1.1.1": {0}}, by=SYSTEM, max_bytes=MAX)
    return pre, {name: actor_of(u) for name, u in users.items()}, users, store


def generate(db, pre, by, **kw):
    return generate_plan(db, engagement_id=pre, tree=TREE, owner=kw.pop("owner", Owner(name="李主管")),
                         due=kw.pop("due", DUE), by=by, today=TODAY)




def certified(db, company_id: int, *, decided_on: date = TODAY) -> int:
    """A certification engagement of the company scored (every clause conform) and decided."""
    from audits.decisions import record_decision
    from audits.engagements import set_status
    from dossier.recommendation import record_recommendation
    from tests.factories import review_passed
    lead = create_user(db, username=f"lead{company_id}", display_name="张组长", role="assessor",
                       password="a-long-password-1", by=SYSTEM)
    engagement = create_engagement(db, data={"company_id": company_id, "kind": "initial", "title": "初次认证"},
                                   tree=TREE, by=SYSTEM, team=[{"role": "lead_assessor", "user_id": lead.id}]).id
    for leaf in TREE.leaves():
        rate_clause(db, engagement_id=engagement, code=leaf.code, entry=RatingEntry("conform"), expected_version=0, tree=TREE,
                    by=SYSTEM)
    review_passed(db, engagement)
    set_status(db, engagement, "in_progress", by=SYSTEM)
    record_recommendation(db, engagement_id=engagement, kind="recommend", star="four_star", conditions="", tree=TREE,
                          by=SYSTEM)
    record_decision(db, engagement_id=engagement, outcome="approve", star="four_star", decided_on=decided_on,
                    reasons="材料齐全", tree=TREE, by=SYSTEM, today=decided_on)
    return engagement
