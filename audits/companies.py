"""Use cases for client companies and their sites (headquarters and service outlets): register, list, edit,
deactivate and reactivate. Each change is one transaction holding the change, a row of the company's history
(audits/company_history.py) and its audit-log event. A deactivated company gets no new engagements; a
deactivated site is not offered for new records but stays on the old ones."""
from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.access import require, visible_company_ids
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.company_history import HistoryLine, describe, differences, history_line, record_change
from audits.credit_code import credit_code_problem
from errors import InvalidInput, NotFound, StaleEdit
from records.models import Company, CompanyBase, CompanyChange, Site, SiteBase
from textclean import clean_text
from vocabulary import LIVE_CERTIFICATE, SiteKind

FIELD_LABELS = {"name": "名称", "credit_code": "统一社会信用代码", "address": "地址", "industry": "行业",
                "scope": "认证范围", "contact": "联系人", "kind": "类型", "title": "标题"}
COMPANY_FIELDS, SITE_FIELDS = tuple(CompanyBase.model_fields), tuple(SiteBase.model_fields)


def validated(model: type, data: dict):
    """Build a model from form data, turning pydantic's complaints into one Chinese message."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = FIELD_LABELS.get(str(first["loc"][0]), str(first["loc"][0]))
        limits = first.get("ctx") or {}
        if first["type"] == "string_too_short":
            raise InvalidInput(f"请填写{field}") from None
        if first["type"] == "string_too_long":
            raise InvalidInput(f"{field}过长（上限 {limits.get('max_length')} 字）") from None
        if first["type"] == "enum":
            raise InvalidInput(f"请选择{field}") from None
        raise InvalidInput(f"{field}的值无效") from None


def _cleaned(data: dict) -> dict:
    return {k: (clean_text(v) if isinstance(v, str) else v) for k, v in data.items()}


@contextmanager
def _committed(session: Session, duplicate: str):
    """Commit what the block adds; a unique key it breaks (someone else committed the same first) is `duplicate`."""
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidInput(duplicate) from None


def _values(record: Company | Site, fields: tuple[str, ...]) -> dict:
    return {field: getattr(record, field) for field in fields}


def _actor_name(by: Actor) -> str:
    return by.username or by.name


def _company_fields(data: dict) -> CompanyBase:
    fields = _cleaned(data)
    fields["credit_code"] = fields.get("credit_code", "").upper()
    base = validated(CompanyBase, fields)
    if problem := credit_code_problem(base.credit_code):
        raise InvalidInput(problem)
    return base


def create_company(session: Session, *, data: dict, by: Actor) -> Company:
    require(session, by, Action.MANAGE_COMPANIES)
    company = Company.model_validate(_company_fields(data))
    with _committed(session, f"统一社会信用代码 {company.credit_code} 已登记过"):
        session.add(company)
        session.flush()
        record_change(session, company_id=company.id, before={}, after=_values(company, COMPANY_FIELDS),
                      by=by)
        audit(session, username=_actor_name(by), action=Event.COMPANY_CREATED, target=company.name,
              detail=f"统一社会信用代码 {company.credit_code}")
    session.refresh(company)
    return company


def update_company(session: Session, *, company_id: int, data: dict, expected_version: int, by: Actor,
                   through_change: int | None = None) -> Company:
    """Change a company's details; `expected_version` is the version the editor saw (a newer one is refused).
    `through_change`: the reported change (变更, cycle/changes.py) this edit applies; see change_company."""
    company = _company(session, company_id)
    require(session, by, Action.MANAGE_COMPANIES, company_id=company_id)
    _check_version(session, company, expected_version, "该企业的信息", company_id=company_id)
    code = str(data.get("credit_code") or company.credit_code).strip().upper()
    with _committed(session, f"统一社会信用代码 {code} 已登记过"):
        change_company(session, company, data, by=by, through_change=through_change)
    return company


def company_changes(session: Session, company: Company, data: dict) -> tuple[dict, dict]:
    """The company fields `data` changes, checked as a registration checks them: (values before, values after).
    A credit code another company holds is refused."""
    current = _values(company, COMPANY_FIELDS)
    before, after = differences(current, _company_fields({**current, **data}).model_dump())
    if "credit_code" in after and session.exec(select(Company.id).where(
            Company.credit_code == after["credit_code"], Company.id != company.id)).first() is not None:
        raise InvalidInput(f"统一社会信用代码 {after['credit_code']} 已登记过")
    return before, after


# A company holding a certificate (states LIVE_CERTIFICATE) changes what its certificate prints only through a
# reported change (变更): the change flow (cycle/changes.py) passes its record's id as `through_change`, applies
# the new values and amends the certificate, so the certificate's history shows what changed when. The table is
# named here rather than imported: the cycle package that owns it builds on this one.
PRINTED_FIELDS = ("name", "credit_code", "address")
_CERTIFICATE = sa.table("certificate", sa.column("company_id"), sa.column("state"))


def holds_certificate(session: Session, company_id: int) -> bool:
    return session.exec(select(_CERTIFICATE.c.company_id).where(
        _CERTIFICATE.c.company_id == company_id,
        _CERTIFICATE.c.state.in_([str(s) for s in LIVE_CERTIFICATE]))).first() is not None


def change_company(session: Session, company: Company, data: dict, *, by: Actor,
                   through_change: int | None = None) -> dict:
    """Apply an edit inside the caller's transaction (the caller checked access): the company's new values, a
    history row and the audit-log row. Returns the values after (empty when nothing changed). Refuses a printed
    field of a company holding a certificate unless `through_change` names the reported change it applies."""
    before, after = company_changes(session, company, data)
    if not after:
        return after
    printed = [FIELD_LABELS[f] for f in PRINTED_FIELDS if f in after]
    if printed and through_change is None and holds_certificate(session, company.id):
        raise InvalidInput(f"{company.name} 持有认证证书，{'、'.join(printed)}的修改须作为企业变更登记并处理"
                           "（“认证周期”页面的“企业变更”），证书随之更新并留下记录")
    company.sqlmodel_update(after)
    company.version += 1
    session.add(company)
    record_change(session, company_id=company.id, before=before, after=after, by=by)
    audit(session, username=_actor_name(by), action=Event.COMPANY_CHANGED, target=company.name,
          detail=describe(before, after) + (f"（企业变更 {through_change}）" if through_change else ""))
    return after


def set_company_active(session: Session, *, company_id: int, active: bool, by: Actor) -> Company:
    """Deactivate a company (it keeps its engagements and gets no new ones) or reactivate it."""
    company = _company(session, company_id)
    require(session, by, Action.MANAGE_COMPANIES, company_id=company_id)
    if company.active == active:
        return company
    company.active = active
    session.add(company)
    record_change(session, company_id=company_id, before={"active": not active}, after={"active": active}, by=by)
    audit(session, username=_actor_name(by), target=company.name,
          action=Event.COMPANY_REACTIVATED if active else Event.COMPANY_DEACTIVATED)
    session.commit()
    return company


def add_site(session: Session, *, company_id: int, data: dict, by: Actor) -> Site:
    company = get_company(session, company_id, by=by)
    require(session, by, Action.MANAGE_COMPANIES, company_id=company_id)
    site = Site(company_id=company_id, **_site_fields(data).model_dump())
    _check_unique_name(session, company, site.name)
    with _committed(session, _duplicate_name(company, site.name)):
        session.add(site)
        session.flush()
        record_change(session, company_id=company_id, site_id=site.id, by=by, before={},
                      after=_values(site, SITE_FIELDS))
        audit(session, username=_actor_name(by), action=Event.SITE_ADDED, target=f"{company.name} / {site.name}",
              detail=describe({}, _values(site, ("kind", "address", "contracted"))))
    session.refresh(site)
    return site


def update_site(session: Session, *, site_id: int, data: dict, expected_version: int, by: Actor) -> Site:
    """Change a site's name, kind, address or contracting; `expected_version` as in update_company."""
    site = _site(session, site_id)
    require(session, by, Action.MANAGE_COMPANIES, company_id=site.company_id)
    company = session.get(Company, site.company_id)
    _check_version(session, site, expected_version, "该场所", company_id=company.id, site_id=site_id)
    current = _values(site, SITE_FIELDS)
    before, after = differences(current, _site_fields({**current, **data}).model_dump())
    if not after:
        return site
    if "name" in after:
        _check_unique_name(session, company, after["name"])
    with _committed(session, _duplicate_name(company, after.get("name", site.name))):
        site.sqlmodel_update(after)
        site.version += 1
        session.add(site)
        record_change(session, company_id=company.id, site_id=site_id, before=before, after=after, by=by)
        audit(session, username=_actor_name(by), action=Event.SITE_CHANGED, target=f"{company.name} / {site.name}",
              detail=describe(before, after))
    return site


def set_site_active(session: Session, *, site_id: int, active: bool, by: Actor) -> Site:
    """Deactivate a site (old evidence and nonconformities keep it; new ones are not offered it) or reactivate it."""
    site = _site(session, site_id)
    require(session, by, Action.MANAGE_COMPANIES, company_id=site.company_id)
    if site.active == active:
        return site
    company = session.get(Company, site.company_id)
    site.active = active
    session.add(site)
    record_change(session, company_id=company.id, site_id=site_id, before={"active": not active},
                  after={"active": active}, by=by)
    audit(session, username=_actor_name(by), target=f"{company.name} / {site.name}",
          action=Event.SITE_REACTIVATED if active else Event.SITE_DEACTIVATED)
    session.commit()
    return site


def _site_fields(data: dict) -> SiteBase:
    base = validated(SiteBase, _cleaned(data))
    if base.kind not in set(SiteKind):
        raise InvalidInput("场所类型只能是总部或服务网点")
    return base


def _check_unique_name(session: Session, company: Company, name: str) -> None:
    if session.exec(select(Site.id).where(Site.company_id == company.id, Site.name == name)).first() is not None:
        raise InvalidInput(_duplicate_name(company, name))


def _duplicate_name(company: Company, name: str) -> str:
    return f"{company.name} 已有名为“{name}”的场所（停用的场所也算在内，可在场所列表中重新启用）"


def _check_version(session: Session, record: Company | Site, expected: int, what: str, *, company_id: int,
                   site_id: int | None = None) -> None:
    if record.version == expected:
        return
    last = session.exec(select(CompanyChange.changed_by)
                        .where(CompanyChange.company_id == company_id, CompanyChange.site_id == site_id)
                        .order_by(CompanyChange.id.desc())).first()
    raise StaleEdit(f"{last or '其他用户'} 在您打开之后修改了{what}，您的修改未保存；现在显示的是最新内容。",
                    current=record)


def _company(session: Session, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("未找到该企业")
    return company


def _site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound("未找到该场所")
    return site


def get_company(session: Session, company_id: int, *, by: Actor) -> Company:
    company = _company(session, company_id)
    require(session, by, Action.VIEW_COMPANY, company_id=company_id)
    return company


def list_companies(session: Session, *, by: Actor, active_only: bool = False) -> list[Company]:
    visible = visible_company_ids(session, by)
    query = select(Company).order_by(Company.name)
    if visible is not None:
        query = query.where(Company.id.in_(visible or {-1}))
    if active_only:
        query = query.where(Company.active)
    return list(session.exec(query))


def list_sites(session: Session, company_id: int, *, by: Actor, active_only: bool = False) -> list[Site]:
    """The company's sites; `active_only` for whatever offers a site for a new record."""
    get_company(session, company_id, by=by)
    query = select(Site).where(Site.company_id == company_id).order_by(Site.kind, Site.name)
    return list(session.exec(query.where(Site.active) if active_only else query))


def company_history(session: Session, company_id: int, *, by: Actor) -> list[HistoryLine]:
    """Every change of the company and its sites, newest first."""
    get_company(session, company_id, by=by)
    names = {s.id: s.name for s in session.exec(select(Site).where(Site.company_id == company_id))}
    changes = session.exec(select(CompanyChange).where(CompanyChange.company_id == company_id)
                           .order_by(CompanyChange.id.desc()))
    return [history_line(change, names) for change in changes]
