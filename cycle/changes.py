"""A company's reported changes (变更, domain brief A7) and the certification body's response.

A company (its client user) or the programme manager reports what changed: its name, credit code or address
(with the new value, checked as a registration checks it), a major change of its organisation, facilities or
processes, or the certified services (with the new wording for the certificate). The record keeps the values
before and after. The body (MANAGE_COMPANIES or MANAGE_CERTIFICATES) answers once:
- 更新证书 applies the new company values through audits.companies.change_company (so the company's history has
  them, marked with the change) and amends each certificate the company holds (valid or suspended) through
  cycle.certificate_changes.apply_amendment, whose events show what changed when, all in one transaction;
- 安排特殊评价 links a special engagement: one already created, or one opened here in the company's latest cycle;
- 无需处理 records the note, which is then required.
A company holding a certificate changes its printed data only this way (audits/companies.py refuses the plain
edit). Each report and answer is audited.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from accounts.access import permits, require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.companies import change_company, company_changes, get_company
from audits.engagements import create_engagement
from criteria.model import Tree
from cycle.certificate_changes import apply_amendment
from cycle.certificate_store import CertificateScope
from cycle.cycles import create_in_cycle
from cycle.models import Certificate, CertificationCycle, ReportedChange
from errors import InvalidInput, NotFound
from records.models import Company, Engagement, utcnow
from textclean import clean_text
from timefmt import local_today
from vocabulary import (
    CHANGE_KIND_LABELS,
    CHANGE_RESPONSE_LABELS,
    LIVE_CERTIFICATE,
    ChangeKind,
    ChangeResponse,
    EngagementKind,
    Limit,
)

COMPANY_VALUES = {ChangeKind.NAME: "name", ChangeKind.CREDIT_CODE: "credit_code", ChangeKind.ADDRESS: "address"}
SERVICE_VALUES = ("services", "product_types")
VALUE_LABELS = {"name": "企业名称", "credit_code": "统一社会信用代码", "address": "地址", "services": "认证的服务",
                "product_types": "产品类别"}
ON_CERTIFICATE = {"name": "company_name", "credit_code": "credit_code", "address": "address",
                  "services": "services", "product_types": "product_types"}


def report_change(session: Session, *, company_id: int, kind: ChangeKind, description: str,
                  new_values: dict | None, reported_on: date, by: Actor) -> ReportedChange:
    company = get_company(session, company_id, by=by)
    require(session, by, Action.REPORT_CHANGE, company_id=company_id)
    if kind not in set(ChangeKind):
        raise InvalidInput("请选择变更类型")
    kind = ChangeKind(kind)
    description = clean_text(description)
    if not description:
        raise InvalidInput("请填写变更说明")
    if len(description) > Limit.TEXT:
        raise InvalidInput(f"变更说明过长（上限 {Limit.TEXT} 字）")
    if reported_on > local_today():
        raise InvalidInput("报告日期不能晚于今天")
    before, after = _values(session, company, kind, new_values or {})
    change = ReportedChange(company_id=company_id, kind=kind, description=description, before=before, after=after,
                            reported_on=reported_on, recorded_by=by.name)
    session.add(change)
    session.flush()
    audit(session, username=by.username or by.name, action=Event.CHANGE_REPORTED, target=company.name,
          detail=f"变更 {change.id}：{CHANGE_KIND_LABELS[kind]}；{_shown(before, after) or description[:200]}")
    session.commit()
    session.refresh(change)
    return change


def _values(session: Session, company: Company, kind: ChangeKind, values: dict) -> tuple[dict, dict]:
    """The values the change sets, before and after: a company field for a name, code or address change, the
    certificate's wording for a change of services; none for the other kinds."""
    wanted = {COMPANY_VALUES[kind]} if kind in COMPANY_VALUES else set(SERVICE_VALUES) \
        if kind == ChangeKind.SERVICES else set()
    given = {k: v for k, v in values.items() if str(v or "").strip()}
    if unknown := set(given) - wanted:
        raise InvalidInput(f"{CHANGE_KIND_LABELS[kind]}变更不能登记这些新值：{'、'.join(sorted(unknown))}")
    if kind in COMPANY_VALUES:
        field = COMPANY_VALUES[kind]
        if field not in given:
            raise InvalidInput(f"请填写新的{VALUE_LABELS[field]}")
        before, after = company_changes(session, company, {field: given[field]})
        if not after:
            raise InvalidInput(f"新的{VALUE_LABELS[field]}与现有的相同")
        return before, after
    after = {k: clean_text(v) for k, v in given.items()}
    if any(len(v) > Limit.REASON for v in after.values()):
        raise InvalidInput(f"认证的服务或产品类别过长（上限 {Limit.REASON} 字）")
    held = _held(session, company.id)
    return {k: getattr(held[0], ON_CERTIFICATE[k]) if held else "" for k in after}, after


def answer_change(session: Session, *, change_id: int, response: ChangeResponse, note: str, by: Actor,
                  tree: Tree | None = None, special_engagement_id: int | None = None) -> ReportedChange:
    """The body's response to a reported change (once). For a special audit, `special_engagement_id` names a
    special engagement of the company already created; otherwise one is opened in the company's latest cycle on
    `tree` (whoever answers must then be allowed to create engagements)."""
    change = session.get(ReportedChange, change_id)
    if change is None:
        raise NotFound(f"未找到企业变更 {change_id}")
    company = get_company(session, change.company_id, by=by)
    needed = Action.MANAGE_CERTIFICATES if response == ChangeResponse.CERTIFICATE_UPDATED else None
    if needed or not permits(session, by, Action.MANAGE_COMPANIES, company_id=company.id):
        require(session, by, needed or Action.MANAGE_CERTIFICATES, company_id=company.id)
    if change.response != ChangeResponse.PENDING:
        raise InvalidInput(f"变更 {change.id} 已处理（{CHANGE_RESPONSE_LABELS[ChangeResponse(change.response)]}）")
    if response not in set(ChangeResponse) - {ChangeResponse.PENDING}:
        raise InvalidInput("请选择处理方式")
    note = clean_text(note)
    if len(note) > Limit.REASON:
        raise InvalidInput(f"处理说明过长（上限 {Limit.REASON} 字）")
    if response == ChangeResponse.NO_ACTION and not note:
        raise InvalidInput("选择“无需处理”时请写明理由")
    certificates = _held(session, company.id)
    if response == ChangeResponse.CERTIFICATE_UPDATED and not certificates:
        raise InvalidInput(f"{company.name} 没有有效或暂停中的证书，无需更新证书")
    special = _special(session, change, company, tree, by, special_engagement_id) \
        if response == ChangeResponse.SPECIAL_AUDIT else None
    try:
        if response == ChangeResponse.CERTIFICATE_UPDATED:
            company_values = {k: v for k, v in change.after.items() if k in COMPANY_VALUES.values()}
            change_company(session, company, company_values, by=by, through_change=change.id)
        change.response, change.response_note = ChangeResponse(response), note
        change.special_engagement_id = special.id if special else None
        change.responded_by, change.responded_at = by.name, utcnow()
        session.add(change)
        if response == ChangeResponse.CERTIFICATE_UPDATED:
            _amend(session, change, certificates, by)
        audit(session, username=by.username or by.name, action=Event.CHANGE_ANSWERED, target=company.name,
              detail=f"变更 {change.id}（{CHANGE_KIND_LABELS[ChangeKind(change.kind)]}）："
                     f"{CHANGE_RESPONSE_LABELS[ChangeResponse(response)]}"
                     + (f"，特殊评价项目 {special.id}" if special else "") + (f"；{note}" if note else ""))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    session.refresh(change)
    return change


def _amend(session: Session, change: ReportedChange, certificates: list[Certificate], by: Actor) -> None:
    """Each held certificate takes the new values it does not print yet, in the answer's transaction (a
    certificate already printing them is left as it is)."""
    reason = f"企业变更 {change.id}（{CHANGE_KIND_LABELS[ChangeKind(change.kind)]}）：{change.description}"[:Limit.REASON]
    for certificate in certificates:
        values = {ON_CERTIFICATE[k]: v for k, v in change.after.items()
                  if getattr(certificate, ON_CERTIFICATE[k]) != v}
        if values:
            require(session, by, Action.MANAGE_CERTIFICATES, company_id=certificate.company_id)
            apply_amendment(CertificateScope(session, by, certificate), values, reason, local_today())


def _special(session: Session, change: ReportedChange, company: Company, tree: Tree | None, by: Actor,
             engagement_id: int | None) -> Engagement:
    """The special engagement the change leads to: the one named, or a new one in the company's latest cycle."""
    if engagement_id is not None:
        engagement = session.get(Engagement, engagement_id)
        if engagement is None or engagement.company_id != company.id or engagement.kind != EngagementKind.SPECIAL:
            raise InvalidInput(f"请选择 {company.name} 的一个特殊评价项目")
        return engagement
    if tree is None:
        raise InvalidInput("请选择特殊评价所用的指标树")
    cycle = session.exec(select(CertificationCycle).where(CertificationCycle.company_id == company.id)
                         .order_by(col(CertificationCycle.id).desc())).first()
    data = {"company_id": company.id, "kind": EngagementKind.SPECIAL,
            "title": f"变更特殊评价：{CHANGE_KIND_LABELS[ChangeKind(change.kind)]}"[:Limit.NAME]}
    if cycle is None:
        return create_engagement(session, data=data, tree=tree, team=[], by=by)
    return create_in_cycle(session, cycle_id=cycle.id, data=data, tree=tree, team=[], by=by)


def _held(session: Session, company_id: int) -> list[Certificate]:
    """The company's certificates in force (valid or suspended), oldest first."""
    return list(session.exec(select(Certificate).where(Certificate.company_id == company_id,
                                                       col(Certificate.state).in_([str(s) for s in LIVE_CERTIFICATE]))
                             .order_by(Certificate.id)))


def reported_changes(session: Session, company_id: int, *, by: Actor) -> list[ReportedChange]:
    """The company's reported changes, newest first."""
    get_company(session, company_id, by=by)
    return list(session.exec(select(ReportedChange).where(ReportedChange.company_id == company_id)
                             .order_by(col(ReportedChange.id).desc())))


def _shown(before: dict, after: dict) -> str:
    """`企业名称：旧 → 新；…` for the values a change sets."""
    return "；".join(f"{VALUE_LABELS[k]}：{before.get(k) or '（空）'} → {v}" for k, v in after.items())
