"""What the certificate use cases share: the one way to reach a certificate (load it, check the action, own the
transaction), its history rows, the one way its state moves, and the trees its scheme comes from."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from accounts.access import require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from config import settings
from criteria.registry import TreeRegistry
from criteria.scheme import Scheme
from cycle.certificate_rules import check_move
from cycle.models import Certificate, CertificateEvent
from errors import NotFound
from records.models import Engagement
from vocabulary import CertificateMove


def default_trees() -> TreeRegistry:
    """The trees the app uses (built in plus the settings' folder), read once per folder."""
    return _registry(settings().extra_trees_dir)


@lru_cache
def _registry(folder: Path) -> TreeRegistry:
    return TreeRegistry([folder])


def scheme_of(session: Session, certificate: Certificate, trees: TreeRegistry | None) -> Scheme:
    """The scheme of the tree the certificate's engagement was evaluated on."""
    engagement = session.get(Engagement, certificate.engagement_id)
    return (trees or default_trees()).get(engagement.tree_ref).scheme


@dataclass
class CertificateScope:
    session: Session
    by: Actor
    certificate: Certificate

    def audit(self, action: Event, detail: str) -> None:
        audit(self.session, username=self.by.username or self.by.name, action=action,
              target=f"证书 {self.certificate.number}（{self.certificate.company_name}）", detail=detail)


def checked_certificate(session: Session, certificate_id: int, action: Action, *, by: Actor) -> Certificate:
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(f"未找到证书 {certificate_id}")
    require(session, by, action, company_id=certificate.company_id)
    return certificate


@contextmanager
def certificate_scope(session: Session, certificate_id: int, action: Action, *, by: Actor) -> Iterator[CertificateScope]:
    """A use case's transaction on one certificate: committed when the block ends, rolled back when it raises."""
    try:
        yield CertificateScope(session, by, checked_certificate(session, certificate_id, action, by=by))
        session.commit()
    except BaseException:
        session.rollback()
        raise


def add_event(session: Session, certificate: Certificate, move: CertificateMove, from_state: str, to_state: str,
              effective_on: date, *, by: Actor | str, reason: str = "", before: dict | None = None,
              after: dict | None = None) -> CertificateEvent:
    event = CertificateEvent(certificate_id=certificate.id, event=move, from_state=from_state, to_state=to_state,
                             effective_on=effective_on, reason=reason, before=before or {}, after=after or {},
                             by=by if isinstance(by, str) else by.name)
    session.add(event)
    return event


def move_state(session: Session, certificate: Certificate, move: CertificateMove, *, reason: str, today: date,
               by: Actor | str, scheme: Scheme | None = None, effective_on: date | None = None,
               after: dict | None = None) -> CertificateEvent:
    """Move the certificate through the table (cycle/certificate_rules.py), keeping the event."""
    before_state = certificate.state
    target = check_move(before_state, move, reason=reason, today=today, expires_on=certificate.expires_on,
                        state_since=certificate.state_since, scheme=scheme)
    effective_on = effective_on or today
    event = add_event(session, certificate, move, before_state, target, effective_on, by=by, reason=reason,
                      before={"state": before_state, "state_reason": certificate.state_reason,
                              "state_since": certificate.state_since.isoformat()},
                      after={"state": target, **(after or {})})
    certificate.state, certificate.state_reason, certificate.state_since = target, reason, effective_on
    certificate.version += 1
    session.add(certificate)
    return event
