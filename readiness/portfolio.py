"""The consultant's portfolio (客户总览): every assigned client with its readiness, next audit date and overdue
tasks; and, once the certification body has decided on a company, the pre-audit's predicted score per indicator
beside the body's actual one.

Independence: a consultant never sees a certification engagement (accounts/policy.py). What this module reads of
one is only what the client is told of its result: the decision (star, date) and the score per indicator, once a
decision is recorded; never the team's findings, evidence, recommendation or notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from accounts.access import acting_role, refuse, require
from accounts.actor import Actor
from accounts.models import ConsultantCompany
from accounts.policy import Action
from criteria.registry import TreeRegistry
from cycle.schedule import expiry, recertification_due, surveillances_in_validity
from dossier.assessment import engagement_result
from readiness.documents import readiness_of, score_text
from readiness.models import PreparationTask
from readiness.readiness import indicator_percents
from readiness.workflow import is_overdue
from records.models import CertificationDecision, Company, Engagement
from vocabulary import KIND_LABELS, CertificationOutcome, EngagementKind, Role

CYCLE_OPENERS = (EngagementKind.INITIAL, EngagementKind.RECERTIFICATION)

RESULT_AS_THE_CLIENT_SEES_IT = Actor("企业可见的认证结果", role=Role.SYSTEM)


@dataclass(frozen=True)
class ClientRow:
    company_id: int
    company: str
    pre_audit_id: int | None
    ready_share: float | None
    predicted: str
    tasks: int
    open_tasks: int
    overdue: int
    next_audit: date | None
    next_audit_what: str


@dataclass(frozen=True)
class Comparison:
    """`rows`: (indicator code, name, predicted %, actual %), None where nothing in it applies."""
    pre_audit_id: int
    engagement_id: int
    engagement: str
    decided_on: date
    predicted: str
    actual: str
    rows: list[tuple[str, str, Decimal | None, Decimal | None]]


def _consultant(session: Session, by: Actor):
    role, user = acting_role(session, by)
    if role != Role.CONSULTANT:
        refuse(session, by, "您没有权限查看客户总览（仅咨询师）。", detail="客户总览")
    return user


def _latest_pre_audit(session: Session, company_id: int) -> Engagement | None:
    return session.exec(select(Engagement).where(Engagement.company_id == company_id,
                                                 Engagement.kind == EngagementKind.PRE_AUDIT)
                        .order_by(Engagement.id.desc())).first()


def portfolio(session: Session, registry: TreeRegistry, *, by: Actor, today: date) -> list[ClientRow]:
    """The consultant's assigned companies, each with the readiness of its latest pre-audit."""
    user = _consultant(session, by)
    companies = session.exec(select(Company).join(ConsultantCompany, ConsultantCompany.company_id == Company.id)
                             .where(ConsultantCompany.user_id == user.id).order_by(Company.name)).all()
    return [_row(session, registry, company, by, today) for company in companies]


def _row(session: Session, registry: TreeRegistry, company: Company, by: Actor, today: date) -> ClientRow:
    pre = _latest_pre_audit(session, company.id)
    next_audit = _next_audit(session, registry, company.id, today)
    if pre is None:
        return ClientRow(company.id, company.name, None, None, "尚无预评价", 0, 0, 0, *next_audit)
    found = readiness_of(session, pre.id, registry.get(pre.tree_ref), by=by)
    tasks = session.exec(select(PreparationTask.state, PreparationTask.due)
                         .where(PreparationTask.engagement_id == pre.id)).all()
    overdue = sum(1 for state, due in tasks if is_overdue(state, due, today))
    return ClientRow(company.id, company.name, pre.id, found.ready_share,
                     score_text(found.predicted.score, found.predicted.star_by_score), found.tasks, found.open_tasks,
                     overdue, *next_audit)


def _next_audit(session: Session, registry: TreeRegistry, company_id: int, today: date) -> tuple[date | None, str]:
    """The earliest of: a certification engagement starting today or later, and the cycle's next surveillance or
    recertification application due after the latest approving decision (cycle/schedule.py)."""
    found = []
    upcoming = session.exec(select(Engagement).where(Engagement.company_id == company_id,
                                                     Engagement.kind != EngagementKind.PRE_AUDIT,
                                                     Engagement.start_date >= today)
                            .order_by(Engagement.start_date)).first()
    if upcoming is not None:
        found.append((upcoming.start_date, KIND_LABELS[upcoming.kind]))
    opened = session.exec(select(Engagement.tree_ref, CertificationDecision.decided_on)
                          .join(CertificationDecision, CertificationDecision.engagement_id == Engagement.id)
                          .where(Engagement.company_id == company_id, Engagement.kind.in_(CYCLE_OPENERS),
                                 CertificationDecision.outcome == CertificationOutcome.APPROVE)
                          .order_by(CertificationDecision.decided_on.desc())).first()
    if opened is not None:
        scheme = registry.get(opened.tree_ref).scheme
        ends = expiry(opened.decided_on, scheme)
        found += [(w.due, "监督评价（按认证周期）") for w in surveillances_in_validity(opened.decided_on, ends, scheme)
                  if w.due >= today][:1]
        if (due := recertification_due(ends, scheme)) >= today:
            found.append((due, "再认证申请（按认证周期）"))
    return min(found) if found else (None, "")


def predicted_against_actual(session: Session, company_id: int, registry: TreeRegistry, *,
                             by: Actor) -> Comparison | None:
    """The latest pre-audit's prediction per indicator beside the certification body's result on the latest
    decided certification engagement of the company; None until both exist."""
    _consultant(session, by)
    require(session, by, Action.VIEW_COMPANY, company_id=company_id)  # an assigned client only
    pre = _latest_pre_audit(session, company_id)
    decided = session.exec(select(Engagement, CertificationDecision)
                           .join(CertificationDecision, CertificationDecision.engagement_id == Engagement.id)
                           .where(Engagement.company_id == company_id, Engagement.kind != EngagementKind.PRE_AUDIT)
                           .order_by(CertificationDecision.decided_on.desc(), CertificationDecision.id.desc())).first()
    if pre is None or decided is None:
        return None
    engagement, decision = decided
    predicted = readiness_of(session, pre.id, registry.get(pre.tree_ref), by=by).predicted
    actual = engagement_result(session, engagement.id, registry.get(engagement.tree_ref),
                               by=RESULT_AS_THE_CLIENT_SEES_IT)
    actual_by_code = {code: percent for code, _, percent in indicator_percents(actual)}
    rows = [(code, name, percent, actual_by_code.get(code)) for code, name, percent in indicator_percents(predicted)]
    return Comparison(pre.id, engagement.id, f"{KIND_LABELS[engagement.kind]}《{engagement.title}》",
                      decision.decided_on, score_text(predicted.score, predicted.star_by_score),
                      score_text(actual.score, actual.star_by_score), rows)
