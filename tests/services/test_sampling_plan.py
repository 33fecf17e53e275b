"""The sampling plan on a real database: versions with their history, the seeded draw, the refusals that change
nothing, the visits, per-site findings, the per-site summary and the workspace's filter."""
import io
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, create_user
from audits.companies import add_site, set_site_active
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from errors import AccessDenied, InvalidInput, StaleEdit
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import raise_nonconformity
from sampling.models import SamplingPlanVersion
from sampling.plans import current_version, plan_versions, planned_sites, propose, save_sampling_plan
from sampling.site_work import (
    EVIDENCE,
    FINDING,
    NONCONFORMITY,
    clauses_at_site,
    record_site_finding,
    site_findings,
    site_summary,
    withdraw_site_finding,
)
from sampling.visits import record_visit, visits, withdraw_visit
from tests.factories import VALID_CODES, actor, default_tree, make_company
from vocabulary import SiteSelection

TREE = default_tree()
SYSTEM = actor("系统")
OUTLETS = [f"网点{i:02d}" for i in range(1, 11)]   # 10 outlets: initial 4 (1 at random), surveillance 2 (1)


@pytest.fixture
def world(db):
    company = make_company(db)
    other = make_company(db, name="乙公司", credit_code=VALID_CODES[1])
    sites = {"总部": add_site(db, company_id=company.id, data={"name": "总部", "kind": "headquarters"}, by=SYSTEM).id}
    for name in [*OUTLETS, "停用网点"]:
        sites[name] = add_site(db, company_id=company.id, data={"name": name, "kind": "outlet"}, by=SYSTEM).id
    set_site_active(db, site_id=sites["停用网点"], active=False, by=SYSTEM)
    sites["乙网点"] = add_site(db, company_id=other.id, data={"name": "乙网点", "kind": "outlet"}, by=SYSTEM).id
    users = {name: actor_of(create_user(db, username=name, display_name=label, role=role, by=SYSTEM,
                                        password="a-long-password-1", company_id=company.id if role == "client" else None))
             for name, label, role in [("zhang", "张审查", "assessor"), ("li", "李评审", "assessor"),
                                       ("client", "王经理", "client")]}
    ids = {u.name: u.user_id for u in users.values()}
    engagement = create_engagement(db, data={"company_id": company.id, "kind": "initial"}, tree=TREE, by=SYSTEM,
                                   team=[{"role": "lead_assessor", "user_id": ids["张审查"]},
                                         {"role": "assessor", "user_id": ids["李评审"]}]).id
    return engagement, sites, users


def chosen_reasons(sites, engagement_draw, how_many, exclude=()):
    """`how_many` outlets not drawn, each with a reason."""
    names = [n for n in OUTLETS if sites[n] not in engagement_draw and n not in exclude][:how_many]
    return {sites[n]: f"{n}投诉较多" for n in names}


def save(db, e, sites, by, seed=7, reason="", extra=None, version=0):
    drawn = propose(db, e, tree=TREE, by=SYSTEM).drawn(seed)
    chosen = extra if extra is not None else chosen_reasons(sites, drawn, 3)
    return save_sampling_plan(db, engagement_id=e, seed=seed, chosen=chosen, reason=reason, expected_version=version,
                              tree=TREE, by=by)


def test_the_plan_holds_the_headquarters_the_draw_and_the_chosen_with_their_reasons(db, world):
    e, sites, users = world
    proposal = propose(db, e, tree=TREE, by=users["client"])
    assert (proposal.size, proposal.random_count, len(proposal.outlets)) == (4, 1, 10)   # ceil(sqrt(10)) = 4
    v = save(db, e, sites, users["zhang"])
    planned = planned_sites(db, v)
    assert [p.how for p in planned] == [SiteSelection.HEADQUARTERS, SiteSelection.RANDOM, *[SiteSelection.CHOSEN] * 3]
    assert planned[0].site.name == "总部" and all("投诉较多" in p.reason for p in planned[2:])
    assert (v.version, v.size, v.random_count, v.seed, v.auditor_days, v.created_by) == (1, 4, 1, 7, "3", "张审查")
    assert "随机种子 7" in db.exec(select(AuditEvent).where(AuditEvent.action == Event.SAMPLING_PLANNED)).one().detail


def test_the_same_seed_draws_the_same_sites_in_another_engagement_of_the_company(db, world):
    e, sites, users = world
    first = save(db, e, sites, SYSTEM)
    other = create_engagement(db, data={"company_id": _company(db, e), "kind": "initial"}, tree=TREE, by=SYSTEM,
                              team=[]).id
    assert _drawn(save(db, other, sites, SYSTEM)) == _drawn(first) != []


def _company(db, e):
    from records.models import Engagement
    return db.get(Engagement, e).company_id


def _drawn(v):
    return [r["site_id"] for r in v.sites if r["how"] == SiteSelection.RANDOM]


def test_changing_the_plan_appends_a_version_with_who_and_why(db, world):
    e, sites, users = world
    save(db, e, sites, users["zhang"])
    with pytest.raises(InvalidInput, match="须写明理由"):
        save(db, e, sites, users["zhang"], seed=8, version=1)
    v2 = save(db, e, sites, users["zhang"], seed=8, reason="企业新开网点", version=1)
    history = plan_versions(db, e, by=users["client"])
    assert [(v.version, v.seed, v.reason) for v in history] == [(1, 7, ""), (2, 8, "企业新开网点")]
    assert v2.created_by == "张审查"
    with pytest.raises(StaleEdit):
        save(db, e, sites, users["zhang"], seed=9, reason="再改", version=1)
    db.rollback()
    with pytest.raises(DBAPIError):   # the database itself keeps the history
        db.exec(select(SamplingPlanVersion).where(SamplingPlanVersion.version == 1)).one().seed = 99
        db.commit()
    db.rollback()


@pytest.mark.parametrize("case, message", [
    ("other company", "不是受评价企业的场所"), ("inactive", "不是在用的服务网点"), ("no reason", "须写明理由"),
    ("too few", "须抽取 4 个服务网点"), ("headquarters", "总部总在抽样方案中"),
])
def test_a_refused_plan_says_why_and_changes_nothing(db, world, case, message):
    e, sites, users = world
    drawn = propose(db, e, tree=TREE, by=SYSTEM).drawn(7)
    chosen = chosen_reasons(sites, drawn, 3)
    first = next(iter(chosen))
    chosen = {"other company": chosen | {sites["乙网点"]: "看看"}, "inactive": chosen | {sites["停用网点"]: "看看"},
              "no reason": chosen | {first: "  "}, "too few": dict(list(chosen.items())[:2]),
              "headquarters": chosen | {sites["总部"]: "总部"}}[case]
    with pytest.raises(InvalidInput, match=message):
        save(db, e, sites, users["zhang"], extra=chosen)
    db.rollback()
    assert plan_versions(db, e, by=SYSTEM) == []


@pytest.mark.parametrize("who", ["li", "client"])
def test_only_the_lead_changes_the_plan_but_the_team_and_the_client_read_it(db, world, who):
    e, sites, users = world
    with pytest.raises(AccessDenied):
        save(db, e, sites, users[who])
    db.rollback()
    save(db, e, sites, users["zhang"])
    assert current_version(plan_versions(db, e, by=users[who])) == 1


def test_a_company_without_outlets_plans_the_headquarters_only(db):
    company = make_company(db, name="丙公司", credit_code=VALID_CODES[2])
    add_site(db, company_id=company.id, data={"name": "丙总部", "kind": "headquarters"}, by=SYSTEM)
    e = create_engagement(db, data={"company_id": company.id, "kind": "initial"}, tree=TREE, by=SYSTEM, team=[]).id
    v = save_sampling_plan(db, engagement_id=e, seed=1, chosen={}, reason="", expected_version=0, tree=TREE, by=SYSTEM)
    assert (v.size, v.random_count, v.auditor_days) == (0, 0, "1")
    assert [p.site.name for p in planned_sites(db, v)] == ["丙总部"]


def test_visits_list_the_sites_visited_when_and_by_whom(db, world):
    e, sites, users = world
    v = save(db, e, sites, users["zhang"])
    planned = [r["site_id"] for r in v.sites]
    with pytest.raises(InvalidInput, match="不在抽样方案"):
        record_visit(db, engagement_id=e, site_id=next(s for n, s in sites.items() if n in OUTLETS
                                                       and s not in planned),
                     visited_on=date(2026, 3, 2), visited_by="张审查", by=users["zhang"])
    with pytest.raises(InvalidInput, match="评价组成员"):
        record_visit(db, engagement_id=e, site_id=planned[0], visited_on=date(2026, 3, 2), visited_by="路人",
                     by=users["zhang"])
    with pytest.raises(AccessDenied):
        record_visit(db, engagement_id=e, site_id=planned[0], visited_on=date(2026, 3, 2), visited_by="李评审",
                     by=users["li"])
    db.rollback()
    record_visit(db, engagement_id=e, site_id=planned[1], visited_on=date(2026, 3, 3), visited_by="李评审",
                 by=users["zhang"])
    mistake = record_visit(db, engagement_id=e, site_id=planned[2], visited_on=date(2026, 3, 3),
                           visited_by="李评审", by=users["zhang"])
    record_visit(db, engagement_id=e, site_id=planned[0], visited_on=date(2026, 3, 2), visited_by="张审查",
                 by=users["zhang"])
    withdraw_visit(db, visit_id=mistake.id, reason="记错网点", by=users["zhang"])
    lines = visits(db, e, by=users["client"])
    assert [(x.site.name, x.visited_on, x.visited_by) for x in lines] == [
        ("总部", date(2026, 3, 2), "张审查"), (db.get(type(lines[0].site), planned[1]).name, date(2026, 3, 3), "李评审")]


def test_per_site_findings_the_summary_and_the_filter(db, world, tmp_path):
    e, sites, users = world
    save(db, e, sites, users["zhang"])
    record_visit(db, engagement_id=e, site_id=sites["总部"], visited_on=date(2026, 3, 4), visited_by="李评审",
                 by=users["zhang"])
    record_visit(db, engagement_id=e, site_id=sites["总部"], visited_on=date(2026, 3, 2), visited_by="张审查",
                 by=users["zhang"])
    mistake = record_visit(db, engagement_id=e, site_id=sites["网点02"], visited_on=date(2026, 3, 3),
                           visited_by="张审查", by=users["zhang"])
    withdraw_visit(db, visit_id=mistake.id, reason="记错网点", by=users["zhang"])
    outlet = sites["网点01"]
    kept = record_site_finding(db, engagement_id=e, code="5.1.2.1", site_id=outlet, text="两名维修人员无电工证",
                               against=True, tree=TREE, by=users["li"])
    wrong = record_site_finding(db, engagement_id=e, code="5.1.3.3", site_id=outlet, text="记错", against=False,
                                tree=TREE, by=users["li"])
    withdraw_site_finding(db, finding_id=wrong.id, reason="记错条款", by=users["li"])
    for bad, message in [({"site_id": sites["乙网点"]}, "不是受评价企业"), ({"text": " "}, "请写明"),
                         ({"code": "9.9.9"}, "没有条款")]:
        with pytest.raises(InvalidInput, match=message):
            record_site_finding(db, **({"engagement_id": e, "code": "5.1.2.1", "site_id": outlet, "text": "x",
                                        "against": False, "tree": TREE, "by": users["li"]} | bad))
        db.rollback()
    with pytest.raises(AccessDenied):
        record_site_finding(db, engagement_id=e, code="5.1.2.1", site_id=outlet, text="x", against=False, tree=TREE,
                            by=users["client"])
    db.rollback()
    rate_clause(db, engagement_id=e, code="5.1.6.b", entry=RatingEntry("nonconform", finding="未验证"),
                expected_version=0, tree=TREE, by=users["zhang"])
    with pytest.raises(InvalidInput, match="不是受评价企业的场所"):
        raise_nonconformity(db, engagement_id=e, severity="general", code="5.1.6.b", finding="未验证", tree=TREE,
                            site_id=sites["乙网点"], by=users["zhang"])
    db.rollback()
    raise_nonconformity(db, engagement_id=e, severity="general", code="5.1.6.b", finding="未验证", tree=TREE,
                        site_id=outlet, by=users["zhang"])
    upload_evidence(db, LocalBlobStore(tmp_path / "ev"), engagement_id=e, name="花名册.pdf", tree=TREE,
                    stream=io.BytesIO(b"%PDF-1.4 roster %%EOF"), links={"5.1.2.2": set()}, by=users["li"],
                    max_bytes=1 << 20, site_id=outlet)
    assert [f.id for f in site_findings(db, e, by=users["client"])] == [kept.id]
    assert len(site_findings(db, e, by=SYSTEM, include_withdrawn=True)) == 2
    assert clauses_at_site(db, e, outlet, by=users["client"]) == {
        "5.1.2.1": {FINDING}, "5.1.6.b": {NONCONFORMITY}, "5.1.2.2": {EVIDENCE}}
    assert clauses_at_site(db, e, sites["网点02"], by=SYSTEM) == {}
    summary = {s.site: s for s in site_summary(db, e, by=users["client"])}
    assert set(summary) == {"总部", "网点01"}
    assert summary["总部"].visited == "2026-03-02 张审查；2026-03-04 李评审"  # by day; a withdrawn visit is gone
    assert (summary["总部"].findings, summary["总部"].nonconformities, summary["总部"].evidence) == (0, 0, 0)
    row = summary["网点01"]
    assert (row.findings, row.against, row.nonconformities, row.evidence) == (1, 1, 1, 1)


def test_a_surveillance_samples_fewer_and_suggests_new_outlets_and_those_not_visited_last_time(db, world):
    from records.models import CertificationCycle, Engagement
    e, sites, users = world
    v = save(db, e, sites, users["zhang"])
    visited = [r["site_id"] for r in v.sites][1:3]
    for site_id in visited:
        record_visit(db, engagement_id=e, site_id=site_id, visited_on=date(2026, 3, 2), visited_by="张审查",
                     by=users["zhang"])
    initial = db.get(Engagement, e)
    cycle = CertificationCycle(company_id=initial.company_id, opened_by_engagement_id=e)
    db.add(cycle)
    db.flush()
    initial.cycle_id = cycle.id
    db.add(initial)
    db.commit()
    new = add_site(db, company_id=initial.company_id, data={"name": "新网点", "kind": "outlet"}, by=SYSTEM).id
    surveillance = create_engagement(db, data={"company_id": initial.company_id, "kind": "surveillance"}, tree=TREE,
                                     by=SYSTEM, team=[], cycle_id=cycle.id, previous_id=e).id
    proposal = propose(db, surveillance, tree=TREE, by=SYSTEM)
    assert (len(proposal.outlets), proposal.size, proposal.random_count) == (11, 2, 1)   # ceil(0.6 x sqrt(11))
    hints = {s.site_id: s.reason for s in proposal.suggestions}
    assert hints[new] == "新设网点；上次评价未访问"
    assert set(hints) == {s.id for s in proposal.outlets} - set(visited)
