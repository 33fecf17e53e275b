"""Changing a certificate after issue: suspend, restore, withdraw, expire when due, and amend its printed fields.

Each is one transaction holding the change, a certificate event (before/after, reason, who, effective date) and
its audit-log row (CERTIFICATE_CHANGED). The moves and their rules are the table in cycle/certificate_rules.py.
Expiry applies the date rule only, so anyone who opens the certificates page (and the daily command) runs it;
its events name the system, not the person who happened to open the page.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.companies import validated
from audits.credit_code import credit_code_problem
from criteria.registry import TreeRegistry
from cycle.certificate_rules import LIVE, check_move, check_suspension, expiry_day
from cycle.certificate_store import CertificateScope, add_event, certificate_scope, move_state, scheme_of
from cycle.models import Certificate
from cycle.schedule import suspension_ends
from errors import InvalidInput
from records.models import CompanyBase
from textclean import clean_text
from timefmt import local_today
from vocabulary import CERTIFICATE_MOVE_LABELS, CertificateMove, Limit

SYSTEM_NAME = "系统"
AMENDABLE = {"company_name": "企业名称", "address": "地址", "credit_code": "统一社会信用代码",
             "services": "认证的服务", "product_types": "产品类别", "sites": "覆盖场所"}


def suspend_certificate(session: Session, *, certificate_id: int, reason: str, by: Actor, until: date | None = None,
                        today: date | None = None, trees: TreeRegistry | None = None) -> Certificate:
    """Suspend a valid certificate with a reason, until a day no later than the scheme allows (default: the limit)."""
    today = today or local_today()
    with certificate_scope(session, certificate_id, Action.MANAGE_CERTIFICATES, by=by) as scope:
        scheme = scheme_of(session, scope.certificate, trees)
        until = until or suspension_ends(today, scheme)
        reason = clean_text(reason)
        check_move(scope.certificate.state, CertificateMove.SUSPEND, reason=reason, today=today,
                   expires_on=scope.certificate.expires_on)
        check_suspension(today, until, scheme)
        move_state(session, scope.certificate, CertificateMove.SUSPEND, reason=reason, today=today, by=by,
                   scheme=scheme, after={"until": until.isoformat()})
        scope.audit(Event.CERTIFICATE_CHANGED, f"暂停至 {until:%Y-%m-%d}：{reason}")
    return scope.certificate


def restore_certificate(session: Session, *, certificate_id: int, reason: str, by: Actor, today: date | None = None,
                        trees: TreeRegistry | None = None) -> Certificate:
    """Restore a suspended certificate (within the suspension limit) with a reason."""
    return _move(session, certificate_id, CertificateMove.RESTORE, reason, by, today, trees)


def withdraw_certificate(session: Session, *, certificate_id: int, reason: str, by: Actor, today: date | None = None,
                         trees: TreeRegistry | None = None) -> Certificate:
    """Withdraw a valid or suspended certificate with a reason; it never moves again."""
    return _move(session, certificate_id, CertificateMove.WITHDRAW, reason, by, today, trees)


def _move(session, certificate_id, move, reason, by, today, trees) -> Certificate:
    today = today or local_today()
    with certificate_scope(session, certificate_id, Action.MANAGE_CERTIFICATES, by=by) as scope:
        scheme = scheme_of(session, scope.certificate, trees)
        move_state(session, scope.certificate, move, reason=clean_text(reason), today=today, by=by, scheme=scheme)
        scope.audit(Event.CERTIFICATE_CHANGED, f"{CERTIFICATE_MOVE_LABELS[move]}：{clean_text(reason)}")
    return scope.certificate


def expire_due_certificates(session: Session, today: date, by: Actor) -> list[Certificate]:
    """Move every valid or suspended certificate past its expiry date to expired (one transaction)."""
    due = list(session.exec(select(Certificate).where(Certificate.state.in_(sorted(LIVE)), Certificate.expires_on < today)))
    try:
        for certificate in due:  # the query keeps only those past their last valid day
            move_state(session, certificate, CertificateMove.EXPIRE, today=today, by=SYSTEM_NAME,
                       reason=f"有效期至 {certificate.expires_on:%Y-%m-%d}，已到期", effective_on=expiry_day(certificate.expires_on))
            audit(session, username=by.username or by.name, action=Event.CERTIFICATE_CHANGED,
                  target=f"证书 {certificate.number}（{certificate.company_name}）", detail="有效期满，证书到期失效")
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return due


def amend_certificate(session: Session, *, certificate_id: int, changes: dict, reason: str, by: Actor,
                      today: date | None = None) -> Certificate:
    """Update printed fields after a reported change (name, address, credit code, services, product types, sites)."""
    with certificate_scope(session, certificate_id, Action.MANAGE_CERTIFICATES, by=by) as scope:
        apply_amendment(scope, changes, reason, today or local_today())
    return scope.certificate


def apply_amendment(scope: CertificateScope, changes: dict, reason: str, today: date) -> None:
    """The amendment inside the caller's transaction (a reported change's answer amends with its own)."""
    reason, certificate = clean_text(reason), scope.certificate
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise InvalidInput(f"证书不能变更这些内容：{'、'.join(sorted(unknown))}")
    check_move(certificate.state, CertificateMove.AMEND, reason=reason, today=today, expires_on=certificate.expires_on)
    new = _checked_changes(changes)
    before = {k: getattr(certificate, k) for k in new if getattr(certificate, k) != new[k]}
    if not before:
        raise InvalidInput("没有需要变更的证书内容")
    after = {k: new[k] for k in before}
    add_event(scope.session, certificate, CertificateMove.AMEND, certificate.state, certificate.state, today,
              by=scope.by, reason=reason, before=before, after=after)
    for field, value in after.items():
        setattr(certificate, field, value)
    certificate.version += 1
    scope.session.add(certificate)
    scope.audit(Event.CERTIFICATE_CHANGED, f"变更{'、'.join(AMENDABLE[k] for k in after)}：{reason}")


def _checked_changes(changes: dict) -> dict:
    out = {k: clean_text(v) for k, v in changes.items() if k != "sites"}
    if "credit_code" in out:
        out["credit_code"] = out["credit_code"].upper()
        if problem := credit_code_problem(out["credit_code"]):
            raise InvalidInput(problem)
    company = {"name": out.get("company_name", "名称"), "credit_code": out.get("credit_code", ""),
               "address": out.get("address", "")}
    validated(CompanyBase, company)
    for field in ("services", "product_types"):
        if len(out.get(field, "")) > Limit.REASON:
            raise InvalidInput(f"{AMENDABLE[field]}不能超过 {Limit.REASON} 字")
    if "sites" in changes:
        out["sites"] = _checked_sites(changes["sites"])
    return out


def _checked_sites(sites) -> list[dict]:
    if not isinstance(sites, list):
        raise InvalidInput("覆盖场所应为场所列表")
    cleaned = []
    for site in sites:
        row = {k: clean_text(str(site.get(k, ""))) for k in ("name", "kind", "address")} if isinstance(site, dict) \
            else {}
        if not row.get("name") or len(row["name"]) > Limit.NAME or len(row["address"]) > 300:
            raise InvalidInput("每个覆盖场所须有名称（不超过 200 字），地址不超过 300 字")
        cleaned.append(row)
    return cleaned

