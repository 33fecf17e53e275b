"""Issuing a certificate on an approving decision, and what a surveillance's decision does to the current one.

A decision of 批准 on an initial certification or a recertification issues one certificate (refused when the
decision already has one; the unique column on the decision protects it too). The certificate copies the
company's name, address and credit code, the approved star, the standard, the scheme (the engagement's tree and
version) and the company's active sites; it is issued on the day of issue (never before the decision date) and
is valid for the scheme's `validity_years` (cycle.schedule.expiry). It opens the company's certification cycle
(the engagement and the certificate point at it). A recertification's certificate replaces the company's earlier
live one, which ends as expired with a 再认证换证 event (cycle/certificate_rules.py).

A decision on a surveillance (or a special audit) issues nothing: the cycle's current certificate gets a
监督评价结果 event, with the star change when the approved star differs (the star may change at surveillance).

Numbers follow the settings' pattern ({year}, {seq}): `seq` counts the certificates issued that year. Two issuing
at once may pick the same number; the unique index refuses the second and the use case runs again with the next.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.scope import Scope, engagement_scope
from config import settings
from criteria.registry import TreeRegistry
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_rules import (
    ISSUED,
    LIVE,
    certificate_number,
    check_dates,
    check_move,
    new_check_code,
)
from cycle.certificate_store import add_event, default_trees, move_state
from cycle.models import Certificate, CertificateEvent, CertificationCycle
from cycle.schedule import expiry
from errors import InvalidInput, NotFound
from records.models import CertificationDecision, Company, Engagement, Site
from textclean import clean_text
from timefmt import local_today
from vocabulary import (
    KIND_LABELS,
    SITE_LABELS,
    CertificateMove,
    CertificationOutcome,
    EngagementKind,
    Limit,
    SiteKind,
)

STANDARD = "GB/T 27922-2011 商品售后服务评价体系"
NEW_CYCLE = frozenset({EngagementKind.INITIAL, EngagementKind.RECERTIFICATION})
ON_CURRENT = frozenset({EngagementKind.SURVEILLANCE, EngagementKind.SPECIAL})
NUMBER_ATTEMPTS = 20


def issue_certificate(session: Session, *, decision_id: int, services: str, product_types: str, by: Actor,
                      today: date | None = None, trees: TreeRegistry | None = None) -> Certificate:
    """Issue the certificate of an approving decision (or record a surveillance's result on the current one)."""
    services, product_types = clean_text(services), clean_text(product_types)
    for name, value in (("认证的服务", services), ("产品类别", product_types)):
        if len(value) > Limit.REASON:
            raise InvalidInput(f"{name}不能超过 {Limit.REASON} 字")
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            return _issue(session, decision_id, services, product_types, by, today or local_today(),
                          trees or default_trees(), attempt)
        except IntegrityError:  # rolled back by the scope: another certificate took the number (or the decision)
            if certificate_of_decision(session, decision_id) is not None:
                raise InvalidInput(_already(certificate_of_decision(session, decision_id))) from None
    raise InvalidInput("证书编号连续冲突，未能颁发证书，请检查证书编号格式设置后重试")


def certificate_of_decision(session: Session, decision_id: int) -> Certificate | None:
    return session.exec(select(Certificate).where(Certificate.decision_id == decision_id)).first()


def _already(certificate: Certificate) -> str:
    return f"该认证决定已颁发证书 {certificate.number}，不能重复颁发"


def _issue(session: Session, decision_id: int, services: str, product_types: str, by: Actor, today: date,
           trees: TreeRegistry, attempt: int) -> Certificate:
    decision = session.get(CertificationDecision, decision_id)
    if decision is None:
        raise NotFound(f"未找到认证决定 {decision_id}")
    with engagement_scope(session, decision.engagement_id, Action.MANAGE_CERTIFICATES, by=by) as scope:
        engagement = scope.engagement
        if decision.outcome != CertificationOutcome.APPROVE or not decision.star:
            raise InvalidInput("只有“批准”的认证决定才能颁发证书")
        issued_on = max(today, decision.decided_on)
        tree = trees.get(engagement.tree_ref)
        if engagement.kind in ON_CURRENT:
            return _record_on_current(scope, decision, issued_on)
        if engagement.kind not in NEW_CYCLE:
            raise InvalidInput(f"{KIND_LABELS[EngagementKind(engagement.kind)]}不颁发证书")
        if (existing := certificate_of_decision(session, decision.id)) is not None:
            raise InvalidInput(_already(existing))
        expires_on = expiry(issued_on, tree.scheme)
        check_dates(issued_on, expires_on, decision.decided_on)
        company = session.get(Company, engagement.company_id)
        replaced = _live_certificates(session, company.id) if engagement.kind == EngagementKind.RECERTIFICATION else []
        cycle = _open_cycle(session, engagement)
        certificate = Certificate(
            number=_next_number(session, issued_on.year, attempt), check_code=new_check_code(),
            decision_id=decision.id, engagement_id=engagement.id, company_id=company.id, cycle_id=cycle.id,
            company_name=company.name, address=company.address, credit_code=company.credit_code, services=services,
            product_types=product_types, standard=STANDARD, scheme=f"{tree.title}（版本 {tree.version}）"[:200],
            star=decision.star, sites=company_sites(session, company.id), issued_on=issued_on,
            expires_on=expires_on, state=ISSUED, state_since=issued_on, issued_by=by.name)
        session.add(certificate)
        session.flush()
        add_event(session, certificate, CertificateMove.ISSUE, "", ISSUED, issued_on, by=by,
                  reason=f"{KIND_LABELS[EngagementKind(engagement.kind)]}认证决定批准（{decision.decided_on:%Y-%m-%d}）",
                  after={"star": decision.star, "expires_on": expires_on.isoformat(), "decision_id": decision.id})
        for old in replaced:
            move_state(session, old, CertificateMove.REPLACE, reason=f"由再认证证书 {certificate.number} 取代",
                       today=issued_on, by=by, after={"replaced_by": certificate.number})
        scope.audit(Event.CERTIFICATE_ISSUED, detail=f"证书 {certificate.number}，{STAR_LABELS[Star(decision.star)]}，"
                                                     f"有效期至 {expires_on:%Y-%m-%d}")
    return certificate


def _record_on_current(scope: Scope, decision: CertificationDecision, on: date) -> Certificate:
    """A surveillance's (or special audit's) approval is recorded on the cycle's current certificate."""
    session, engagement = scope.session, scope.engagement
    kind = KIND_LABELS[EngagementKind(engagement.kind)]
    current = None
    if engagement.cycle_id is not None:
        current = session.exec(select(Certificate).where(Certificate.cycle_id == engagement.cycle_id,
                                                         Certificate.state.in_(sorted(LIVE)))
                               .order_by(Certificate.id.desc())).first()
    if current is None:
        raise InvalidInput(f"{kind}项目 {engagement.id} 所属的认证周期没有有效或暂停中的证书，无法记录评价结果")
    for event in session.exec(select(CertificateEvent).where(CertificateEvent.certificate_id == current.id)):
        if event.event == CertificateMove.SURVEILLANCE and event.after.get("decision_id") == decision.id:
            raise InvalidInput(f"该认证决定已记录到证书 {current.number}，不能重复记录")
    check_move(current.state, CertificateMove.SURVEILLANCE, today=on, expires_on=current.expires_on)
    changed = current.star != decision.star
    reason = f"{kind}通过（评价项目 {engagement.id}，认证决定 {decision.decided_on:%Y-%m-%d}）" + (
        f"，星级由{STAR_LABELS[Star(current.star)]}变为{STAR_LABELS[Star(decision.star)]}" if changed else "，星级不变")
    add_event(session, current, CertificateMove.SURVEILLANCE, current.state, current.state, on, by=scope.by,
              reason=reason, before={"star": current.star},
              after={"star": decision.star, "decision_id": decision.id, "engagement_id": engagement.id})
    current.star, current.version = decision.star, current.version + 1
    session.add(current)
    scope.audit(Event.CERTIFICATE_CHANGED, detail=f"证书 {current.number}：{reason}")
    return current


def _open_cycle(session: Session, engagement: Engagement) -> CertificationCycle:
    """The cycle this engagement opens (made once; the engagement points at it)."""
    cycle = session.exec(select(CertificationCycle)
                         .where(CertificationCycle.opened_by_engagement_id == engagement.id)).first()
    if cycle is None:
        cycle = CertificationCycle(company_id=engagement.company_id, opened_by_engagement_id=engagement.id)
        session.add(cycle)
        session.flush()
    engagement.cycle_id = cycle.id
    session.add(engagement)
    return cycle


def _live_certificates(session: Session, company_id: int) -> list[Certificate]:
    return list(session.exec(select(Certificate).where(Certificate.company_id == company_id,
                                                      Certificate.state.in_(sorted(LIVE)))))


def _next_number(session: Session, year: int, attempt: int) -> str:
    issued = session.exec(select(func.count()).select_from(Certificate)
                          .where(Certificate.issued_on >= date(year, 1, 1),
                                 Certificate.issued_on <= date(year, 12, 31))).one()
    return certificate_number(settings().certificate_pattern, year, issued + 1 + attempt)


def company_sites(session: Session, company_id: int) -> list[dict]:
    """The company's active sites as a certificate lists them: headquarters first, then outlets by name."""
    sites = session.exec(select(Site).where(Site.company_id == company_id, Site.active)).all()
    ordered = sorted(sites, key=lambda s: (s.kind != SiteKind.HEADQUARTERS, s.name))
    return [{"name": s.name, "kind": SITE_LABELS[SiteKind(s.kind)], "address": s.address} for s in ordered]
