"""Use cases for client companies and their sites (headquarters and service outlets)."""
from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.access import require, visible_company_ids
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.credit_code import credit_code_problem
from errors import InvalidInput, NotFound
from records.models import Company, CompanyBase, Site, SiteBase
from textclean import clean_text
from vocabulary import SITE_LABELS, SiteKind

FIELD_LABELS = {"name": "名称", "credit_code": "统一社会信用代码", "address": "地址", "industry": "行业",
                "scope": "认证范围", "contact": "联系人", "kind": "类型", "title": "标题"}


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


def create_company(session: Session, *, data: dict, by: Actor) -> Company:
    require(session, by, Action.MANAGE_COMPANIES)
    fields = {k: (clean_text(v) if isinstance(v, str) else v) for k, v in data.items()}
    fields["credit_code"] = fields.get("credit_code", "").upper()
    base = validated(CompanyBase, fields)
    problem = credit_code_problem(base.credit_code)
    if problem:
        raise InvalidInput(problem)
    company = Company.model_validate(base)
    session.add(company)
    audit(session, username=by.username or by.name, action=Event.COMPANY_CREATED, target=company.name,
          detail=f"统一社会信用代码 {company.credit_code}")
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidInput(f"统一社会信用代码 {base.credit_code} 已登记过") from None
    session.refresh(company)
    return company


def add_site(session: Session, *, company_id: int, data: dict, by: Actor) -> Site:
    company = get_company(session, company_id, by=by)
    require(session, by, Action.MANAGE_COMPANIES, company_id=company_id)
    base = validated(SiteBase, {k: (clean_text(v) if isinstance(v, str) else v) for k, v in data.items()})
    if base.kind not in set(SiteKind):
        raise InvalidInput("场所类型只能是总部或服务网点")
    site = Site(company_id=company_id, **base.model_dump())
    session.add(site)
    audit(session, username=by.username or by.name, action=Event.SITE_ADDED, target=f"{company.name} / {site.name}",
          detail=SITE_LABELS[site.kind] + ("（委托）" if site.contracted else ""))
    session.commit()
    session.refresh(site)
    return site


def get_company(session: Session, company_id: int, *, by: Actor) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("未找到该企业")
    require(session, by, Action.VIEW_COMPANY, company_id=company_id)
    return company


def list_companies(session: Session, *, by: Actor) -> list[Company]:
    visible = visible_company_ids(session, by)
    query = select(Company).order_by(Company.name)
    if visible is not None:
        query = query.where(Company.id.in_(visible or {-1}))
    return list(session.exec(query))


def list_sites(session: Session, company_id: int, *, by: Actor) -> list[Site]:
    get_company(session, company_id, by=by)
    return list(session.exec(select(Site).where(Site.company_id == company_id).order_by(Site.kind, Site.name)))
