"""A large engagement for the benchmarks, built through the services: sites, evidence, nonconformities, history."""
from __future__ import annotations

import io
from dataclasses import dataclass

from accounts.actor import Actor
from accounts.users import create_user
from audits.companies import add_site, create_company
from audits.credit_code import check_character
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from criteria.model import Tree
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import (
    accept_rectification,
    raise_nonconformity,
    return_rectification,
    submit_rectification,
)
from vocabulary import Role

SYSTEM = Actor("基准数据", role=Role.SYSTEM, username="bench")
CONFORMING_LEAF = 4  # the clauses before this one are rated nonconforming, the rest conforming
ASSESSOR, PASSWORD = "bench-lead", "bench-lead-2026"  # leads the large engagement; the UI benchmarks sign in as it


@dataclass(frozen=True)
class Size:
    companies: int = 1000
    sites: int = 10
    evidence: int = 2000
    nonconformities: int = 500
    earlier: int = 3


SMALL = Size(companies=20, sites=3, evidence=40, nonconformities=10, earlier=1)


def credit_code(n: int) -> str:
    first = f"9133{n:013d}"
    return first + check_character(first)


def build(session, tree: Tree, store: LocalBlobStore, size: Size) -> int:
    """The large engagement's id; other companies and earlier engagements fill the database around it."""
    for n in range(1, size.companies):
        create_company(session, data={"name": f"基准企业{n:04d}", "credit_code": credit_code(n)}, by=SYSTEM)
    company = create_company(session, data={"name": "基准大型企业", "credit_code": credit_code(0)}, by=SYSTEM)
    for n in range(size.sites):
        add_site(session, company_id=company.id, data={"name": f"网点{n}", "kind": "outlet" if n else "headquarters"},
                 by=SYSTEM)
    for year in range(size.earlier):
        _scored(session, tree, company.id, "recertification", f"{2023 + year} 年再认证评价")  # a surveillance needs a cycle
    lead = create_user(session, username=ASSESSOR, display_name="基准组长", role="assessor", password=PASSWORD,
                       by=SYSTEM)
    eid = _scored(session, tree, company.id, "initial", "大型初次认证",
                  team=[{"name": lead.display_name, "role": "lead_assessor", "user_id": lead.id}])
    codes = [leaf.code for leaf in tree.leaves()]
    for n in range(size.evidence):
        upload_evidence(session, store, engagement_id=eid, name=f"证据{n:04d}.txt", tree=tree, by=SYSTEM,
                        stream=io.BytesIO(f"证据内容 {n}".encode()), links={codes[n % 39]: set()}, max_bytes=1 << 20)
    for n in range(size.nonconformities):
        nc = raise_nonconformity(session, engagement_id=eid, severity="general" if n % 5 else "serious",
                                 code=codes[n % 4], tree=tree, finding=f"发现 {n}", by=SYSTEM)
        answer = {"cause": "原因", "correction": "纠正", "corrective_action": "措施", "evidence_ids": [], "by": SYSTEM}
        submit_rectification(session, nc_id=nc.id, expected_version=0, **answer)
        return_rectification(session, nc_id=nc.id, reason="补充", expected_version=1, by=SYSTEM)
        submit_rectification(session, nc_id=nc.id, expected_version=2, **answer)
        accept_rectification(session, nc_id=nc.id, comment="", expected_version=3, by=SYSTEM)
    return eid


def _scored(session, tree: Tree, company_id: int, kind: str, title: str, team: list[dict] = ()) -> int:
    eid = create_engagement(session, data={"company_id": company_id, "kind": kind, "title": title}, tree=tree,
                            team=list(team), by=SYSTEM).id
    for n, leaf in enumerate(tree.leaves()):
        status = "nonconform" if n < CONFORMING_LEAF else "conform"
        rate_clause(session, engagement_id=eid, code=leaf.code, entry=RatingEntry(status, finding=f"发现 {n}"),
                    expected_version=0, tree=tree, by=SYSTEM)
    return eid
