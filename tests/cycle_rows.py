"""Rows of the certification cycle written straight into the tables (a decision, a certificate, a plan, a
nonconformity), for tests of what reads them: due items, reminders and the regulator's sheets."""
from __future__ import annotations

import secrets
from datetime import date

from accounts.users import actor_of, create_user
from audits.engagements import create_engagement
from cycle.models import Certificate, CertificationCycle, EvaluationPlan, PlanVersion
from nonconformities.models import Nonconformity
from records.models import CertificationDecision, Engagement, Recommendation
from tests.factories import VALID_CODES, actor, default_tree, make_company

PASSWORD = "a-long-password-1"


def user(db, username, role, *, company=None, email=""):
    made = create_user(db, username=username, display_name=username, role=role, password=PASSWORD,
                       company_id=company.id if company else None, by=actor())
    if email:
        made.email = email
        db.add(made)
        db.commit()
    return made


def company(db, number=0, **overrides):
    return make_company(db, name=f"示例服务有限公司{number}", credit_code=VALID_CODES[number], **overrides)


def engagement(db, company, *, kind="initial", lead=None, members=(), cycle=None, previous=None, **data):
    team = ([{"role": "lead_assessor", "user_id": lead.id}] if lead else [{"name": "张审查", "role": "lead_assessor"}])
    team += [{"role": "assessor", "user_id": m.id} for m in members]
    cycle_id = cycle.id if cycle else previous.cycle_id if previous else None  # a link names both (audits/chain.py)
    return create_engagement(db, data={"company_id": company.id, "kind": kind, "title": f"{kind}评价", **data},
                             tree=default_tree(), team=team, by=actor(), cycle_id=cycle_id,
                             previous_id=previous.id if previous else None)


def decision(db, engagement: Engagement, decided_on: date, star="four_star") -> CertificationDecision:
    recommendation = Recommendation(engagement_id=engagement.id, kind="recommend", star=star, allowed_star=star,
                                    score="92", revision=0, recorded_by="张审查")
    db.add(recommendation)
    db.flush()
    made = CertificationDecision(engagement_id=engagement.id, recommendation_id=recommendation.id,
                                 outcome="approve", star=star, decided_on=decided_on, reasons="符合要求",
                                 decided_by="赵决定")
    db.add(made)
    db.commit()
    return made


def cycle_of(db, engagement: Engagement) -> CertificationCycle:
    made = CertificationCycle(company_id=engagement.company_id, opened_by_engagement_id=engagement.id)
    db.add(made)
    db.flush()
    engagement.cycle_id = made.id
    db.add(engagement)
    db.commit()
    return made


def certificate(db, engagement: Engagement, decided_on: date, *, number=None, cycle=None, expires_on=None,
                state="valid", state_since=None, **fields) -> Certificate:
    """A certificate on a new approving decision of `decided_on`, issued that day for three years."""
    made_decision = decision(db, engagement, decided_on)
    company = engagement_company(db, engagement)
    printed = {"services": "家用电器的安装及维修服务", "product_types": "家用电器", "standard": "GB/T 27922-2011",
               "scheme": "商品售后服务评价", "star": "four_star", "sites": []} | fields
    made = Certificate(
        number=number or f"GBT27922-{decided_on.year}-{made_decision.id:04d}", check_code=secrets.token_hex(4),
        decision_id=made_decision.id, engagement_id=engagement.id, company_id=engagement.company_id,
        cycle_id=cycle.id if cycle else engagement.cycle_id, company_name=company.name, address=company.address,
        credit_code=company.credit_code, issued_on=decided_on,
        expires_on=expires_on or date(decided_on.year + 3, decided_on.month, decided_on.day),
        state=state, state_since=state_since or decided_on, issued_by="赵决定", **printed)
    db.add(made)
    db.commit()
    return made


def engagement_company(db, engagement: Engagement):
    from records.models import Company
    return db.get(Company, engagement.company_id)


def plan(db, engagement: Engagement, *, visit_start: date, sent_on: date | None = None, versions=1) -> EvaluationPlan:
    made = EvaluationPlan(engagement_id=engagement.id, number=f"JH-{engagement.id:04d}", created_by="张审查")
    db.add(made)
    db.flush()
    for version in range(1, versions + 1):
        last = version == versions
        db.add(PlanVersion(plan_id=made.id, version=version, visit_start=visit_start, created_by="张审查",
                           sent_on=sent_on if last else visit_start.replace(day=1)))
    db.commit()
    return made


def nonconformity(db, engagement: Engagement, due_date: date, *, state="raised", number=1, code="5.1.6.b"):
    made = Nonconformity(engagement_id=engagement.id, number=number, code=code, severity="general", state=state,
                         finding="改进措施未验证效果", due_date=due_date, raised_by="张审查")
    db.add(made)
    db.commit()
    return made


def as_actor(made_user):
    return actor_of(made_user)
