"""Reading certificates: a company's, the ones a user may see, one certificate's history, the document's plain
context, and the public verification (no login).

Certificates are seen by the administrator, the decision maker and the client of the company (its own only);
assessors and consultants see none. The public verification answers only the number, the company's name, the
star, the state as of today with its label, the issue and expiry dates and, when suspended or withdrawn, the day
since; a wrong code gets the same answer as an unknown number (None), and codes are compared in constant time.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from sqlmodel import Session, select

from accounts.access import acting_role, require
from accounts.actor import Actor
from accounts.policy import Action
from config import settings
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_changes import AMENDABLE
from cycle.certificate_rules import CODE_LENGTH, normal_code, shown_state
from cycle.certificate_store import checked_certificate
from cycle.models import Certificate, CertificateEvent
from errors import NotFound
from timefmt import local_time, local_today
from vocabulary import CERTIFICATE_MOVE_LABELS, CERTIFICATE_STATE_LABELS, CertificateMove, CertificateState, Role

SINCE_SHOWN = frozenset({CertificateState.SUSPENDED, CertificateState.WITHDRAWN})
VALIDITY_STATEMENT = "本证书有效期内须通过年度监督评价，证书方持续有效；证书状态以认证机构公开查询结果为准。"


@dataclass(frozen=True)
class PublicCertificate:
    """What the public verification page may show, nothing more."""

    number: str
    company_name: str
    star: str
    star_label: str
    state: CertificateState
    state_label: str
    issued_on: date
    expires_on: date
    since: date | None  # suspended or withdrawn since


def verification_url(number: str, code: str) -> str:
    """The public verification address the certificate's QR code carries."""
    return f"{settings().public_url}/verify?{urlencode({'no': number, 'code': code})}"


def verify(session: Session, number: str, code: str, *, today: date | None = None) -> PublicCertificate | None:
    """The public facts of the certificate with this number and code, or None (unknown number or wrong code alike)."""
    number, code = str(number or "").strip()[:60], normal_code(code)
    certificate = session.exec(select(Certificate).where(Certificate.number == number)).first() if number else None
    expected = certificate.check_code if certificate is not None else "#" * CODE_LENGTH
    matches = hmac.compare_digest(code.encode(), expected.encode())
    if certificate is None or not matches:
        return None
    state = shown_state(certificate.state, certificate.expires_on, today or local_today())
    since = certificate.state_since if state in SINCE_SHOWN else None
    return PublicCertificate(certificate.number, certificate.company_name, certificate.star,
                             STAR_LABELS[Star(certificate.star)], state, CERTIFICATE_STATE_LABELS[state],
                             certificate.issued_on, certificate.expires_on, since)


def company_certificates(session: Session, company_id: int, *, by: Actor) -> list[Certificate]:
    """A company's certificates, newest first."""
    require(session, by, Action.VIEW_CERTIFICATES, company_id=company_id)
    return list(session.exec(select(Certificate).where(Certificate.company_id == company_id)
                             .order_by(Certificate.id.desc())))


def visible_certificates(session: Session, *, by: Actor, state: str | None = None) -> list[Certificate]:
    """The certificates the user may see (all for administrators and decision makers, a client's own company's),
    newest first; `state` keeps one state."""
    role, user = acting_role(session, by)
    query = select(Certificate).order_by(Certificate.id.desc())
    if role == Role.CLIENT and user is not None and user.company_id:
        query = query.where(Certificate.company_id == user.company_id)
    elif role not in (Role.ADMIN, Role.DECISION_MAKER, Role.SYSTEM):
        return []
    if state:
        query = query.where(Certificate.state == state)
    return list(session.exec(query))


def get_certificate(session: Session, certificate_id: int, *, by: Actor) -> Certificate:
    return checked_certificate(session, certificate_id, Action.VIEW_CERTIFICATES, by=by)


def certificate_by_number(session: Session, number: str, *, by: Actor) -> Certificate:
    """The certificate with this number, once the actor may see it; NotFound for an unknown number."""
    number = str(number or "").strip()[:60]
    certificate = session.exec(select(Certificate).where(Certificate.number == number)).first() if number else None
    if certificate is None:
        raise NotFound(f"未找到证书 {number}")
    require(session, by, Action.VIEW_CERTIFICATES, company_id=certificate.company_id)
    return certificate


def certificate_history(session: Session, certificate_id: int, *, by: Actor) -> list[CertificateEvent]:
    """Every event of the certificate, oldest first."""
    checked_certificate(session, certificate_id, Action.VIEW_CERTIFICATES, by=by)
    return list(session.exec(select(CertificateEvent).where(CertificateEvent.certificate_id == certificate_id)
                             .order_by(CertificateEvent.id)))


def describe_event(event: CertificateEvent) -> dict:
    """One history row as people read it."""
    def state(value: str) -> str:
        return CERTIFICATE_STATE_LABELS[CertificateState(value)] if value else "—"
    return {"日期": f"{event.effective_on:%Y-%m-%d}", "事项": CERTIFICATE_MOVE_LABELS[CertificateMove(event.event)],
            "状态": f"{state(event.from_state)} → {state(event.to_state)}", "理由": event.reason,
            "变更前": _changes(event.before), "变更后": _changes(event.after), "办理人": event.by,
            "记录时间": local_time(event.at)}


EVENT_FIELDS = {"state": "状态", "state_reason": "理由", "until": "暂停至", "star": "星级", "expires_on": "有效期至",
                "replaced_by": "由此证书取代", **AMENDABLE}


def _changes(values: dict) -> str:
    return "；".join(f"{EVENT_FIELDS[k]}：{_value(k, v)}" for k, v in values.items()
                     if k in EVENT_FIELDS and v not in ("", None))


def _value(key: str, value) -> str:
    if key == "star" and value in set(Star):
        return STAR_LABELS[Star(value)]
    if key == "state" and value in set(CertificateState):
        return CERTIFICATE_STATE_LABELS[CertificateState(value)]
    if key == "sites" and isinstance(value, list):
        return "、".join(str(site.get("name", "")) for site in value)
    return str(value)


def certificate_context(session: Session, certificate_id: int, *, by: Actor) -> dict:
    """The certificate as plain data for exports/certificate.py."""
    c = get_certificate(session, certificate_id, by=by)
    return {"body_name": settings().body_name, "number": c.number, "company_name": c.company_name,
            "address": c.address, "credit_code": c.credit_code, "services": c.services,
            "product_types": c.product_types, "standard": c.standard, "scheme": c.scheme,
            "star_label": STAR_LABELS[Star(c.star)], "sites": [dict(site) for site in c.sites],
            "issued_on": f"{c.issued_on:%Y-%m-%d}", "expires_on": f"{c.expires_on:%Y-%m-%d}",
            "state_label": CERTIFICATE_STATE_LABELS[CertificateState(c.state)], "statement": VALIDITY_STATEMENT,
            "verify_address": f"{settings().public_url}/verify", "check_code": c.check_code,
            "verification_url": verification_url(c.number, c.check_code)}



def decision_certificate(session: Session, decision_id: int, *, by: Actor) -> Certificate | None:
    """The certificate issued on this decision, or the one a surveillance's decision was recorded on; None when
    nothing is recorded yet."""
    found = session.exec(select(Certificate).where(Certificate.decision_id == decision_id)).first()
    if found is None:
        for event in session.exec(select(CertificateEvent).where(CertificateEvent.event == CertificateMove.SURVEILLANCE)):
            if event.after.get("decision_id") == decision_id:
                found = session.get(Certificate, event.certificate_id)
    if found is not None:
        require(session, by, Action.VIEW_CERTIFICATES, company_id=found.company_id)
    return found
