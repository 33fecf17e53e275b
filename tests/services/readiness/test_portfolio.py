"""The consultant's portfolio: assigned clients only, readiness and overdue tasks, the next audit, and the prediction
beside the body's result once decided; independence kept (no one else reads it, no consultant on a team)."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from audits.engagements import create_engagement
from criteria.registry import TreeRegistry
from errors import AccessDenied, InvalidInput
from readiness.models import PreparationTask
from readiness.portfolio import portfolio, predicted_against_actual
from tests.services.readiness.conftest import SYSTEM, TODAY, TREE, certified, generate

REGISTRY = TreeRegistry()


def test_the_consultant_sees_each_assigned_client_with_its_readiness(db, plan):
    pre, who, users, _ = plan
    generate(db, pre, who["chen"])
    task = db.exec(select(PreparationTask).where(PreparationTask.source == "5.1.2.2")).one()
    task.due = TODAY - timedelta(days=2)  # the plan was made long ago
    db.add(task)
    db.commit()
    company = users["client"].company_id
    create_engagement(db, data={"company_id": company, "kind": "initial", "start_date": TODAY + timedelta(days=20)},
                      tree=TREE, by=SYSTEM, team=[])
    rows = portfolio(db, REGISTRY, by=who["chen"], today=TODAY)
    assert [r.company_id for r in rows] == [company]
    row = rows[0]
    assert (row.pre_audit_id, row.overdue, row.next_audit, row.next_audit_what) == (
        pre, 1, TODAY + timedelta(days=20), "初次认证")
    assert row.open_tasks == row.tasks > 30 and "分" in row.predicted


def test_a_client_without_a_pre_audit_is_listed_as_such(db, plan):
    _, who, users, _ = plan
    rows = portfolio(db, REGISTRY, by=who["wu"], today=TODAY)
    assert [(r.company_id, r.pre_audit_id, r.predicted) for r in rows] == [(users["client2"].company_id, None,
                                                                             "尚无预评价")]


def test_the_prediction_stands_beside_the_bodys_result_once_it_has_decided(db, plan):
    pre, who, users, _ = plan
    company = users["client"].company_id
    assert predicted_against_actual(db, company, REGISTRY, by=who["chen"]) is None
    decided = certified(db, company)
    found = predicted_against_actual(db, company, REGISTRY, by=who["chen"])
    assert (found.pre_audit_id, found.engagement_id, found.decided_on) == (pre, decided, TODAY)
    rows = {code: (predicted, actual) for code, _, predicted, actual in found.rows}
    assert rows["5.1.2"] == (0, 100)  # 5.1.2.2 nonconform in the pre-audit, 5.1.2.1 not rated there
    assert rows["5.1.1"] == (100, 100) and rows["5.3.2"] == (None, 100)  # nothing rated there in the pre-audit


@pytest.mark.parametrize("who_reads", ["client", "zhang"])
def test_only_consultants_read_the_portfolio(db, plan, who_reads):
    _, who, users, _ = plan
    with pytest.raises(AccessDenied, match="您没有权限查看客户总览"):
        portfolio(db, REGISTRY, by=who[who_reads], today=TODAY)
    with pytest.raises(AccessDenied, match="您没有权限"):
        predicted_against_actual(db, users["client"].company_id, REGISTRY, by=who[who_reads])


def test_a_consultant_reads_no_other_clients_result(db, plan):
    _, who, users, _ = plan
    certified(db, users["client"].company_id)
    with pytest.raises(AccessDenied, match="您没有权限"):
        predicted_against_actual(db, users["client"].company_id, REGISTRY, by=who["wu"])


def test_the_clients_consultant_is_never_on_its_certification_team(db, plan):
    """The impartiality rule (audits/engagements.check_impartial) refuses the company's consultant in any team role;
    no consultant account may take an assessor's place."""
    _, _, users, _ = plan
    company = users["client"].company_id
    for role, message in (("consultant", "指定咨询师"), ("assessor", "账户角色不能担任")):
        with pytest.raises(InvalidInput, match=message):
            create_engagement(db, data={"company_id": company, "kind": "initial"}, tree=TREE, by=SYSTEM,
                              team=[{"role": role, "user_id": users["chen"].id}])


def test_after_an_approving_decision_the_next_audit_is_the_cycles_surveillance(db, plan):
    _, who, users, _ = plan
    company = users["client"].company_id
    certified(db, company, decided_on=TODAY - timedelta(days=10))
    row = portfolio(db, REGISTRY, by=who["chen"], today=TODAY)[0]
    assert (row.next_audit, row.next_audit_what) == (date(2027, 11, 21), "监督评价（按认证周期）")
    create_engagement(db, data={"company_id": company, "kind": "special", "start_date": TODAY + timedelta(days=5)},
                      tree=TREE, by=SYSTEM, team=[])
    row = portfolio(db, REGISTRY, by=who["chen"], today=TODAY)[0]
    assert (row.next_audit, row.next_audit_what) == (TODAY + timedelta(days=5), "特殊评价")
