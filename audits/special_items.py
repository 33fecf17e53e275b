"""Use cases for special deductions (特别扣分项, −1 each) and the special bonus (特别加分项, +1, at most one)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.policy import Action
from audits.decisions import refuse_if_issued
from audits.engagements import get_engagement
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from records.models import SpecialItem, utcnow
from textclean import clean_text
from vocabulary import SPECIAL_KIND_LABELS, DeductionCategory, Limit, SpecialKind


def check_special_item(*, kind: str, reason: str, tree: Tree, category: str = "", code: str | None = None) -> str:
    """What may be recorded as a special item; returns the cleaned reason. Raises the first broken rule."""
    reason = clean_text(reason)
    if kind not in set(SpecialKind):
        raise InvalidInput("特别项类型无效")
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"{SPECIAL_KIND_LABELS[kind]}必须写明理由（不超过 {Limit.REASON} 字）")
    if kind == SpecialKind.DEDUCTION and category not in set(DeductionCategory):
        raise InvalidInput("请选择特别扣分项的类别")
    if code and tree.node(code) is None:
        raise InvalidInput(f"未知的条款代码 {code}")
    return reason


def place_special_item(scope: Scope, *, kind: str, reason: str, category: str = "",
                       code: str | None = None) -> SpecialItem:
    """Add a checked item inside the caller's transaction (no commit): the caller owns the scope."""
    refuse_if_issued(scope, SPECIAL_KIND_LABELS[SpecialKind(kind)])
    item = SpecialItem(engagement_id=scope.engagement.id, kind=kind, reason=reason, code=code or None,
                       category=category if kind == SpecialKind.DEDUCTION else "", created_by=scope.by.name)
    scope.session.add(item)
    try:
        scope.session.flush()
    except IntegrityError:
        raise InvalidInput("特别加分项最多 1 项：本项目已有一项有效的特别加分") from None
    scope.result_changed()
    return item


def add_special_item(session: Session, *, engagement_id: int, kind: str, reason: str, tree: Tree,
                     category: str = "", code: str | None = None, by: Actor) -> SpecialItem:
    """The special bonus. A deduction must be rectified, so it is recorded together with its own nonconformity
    (nonconformities.services.record_special_item, which audits may not import); here it is refused."""
    reason = check_special_item(kind=kind, reason=reason, tree=tree, category=category, code=code)
    if kind == SpecialKind.DEDUCTION:
        raise InvalidInput("特别扣分项须同时开具不符合项，请通过评分工作台的“新增特别扣分项”记录")
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        return place_special_item(scope, kind=kind, reason=reason)


def withdraw_special_item(session: Session, *, item_id: int, reason: str, by: Actor) -> SpecialItem:
    """Withdrawn items stay in the record with who withdrew them, when and why."""
    item = session.get(SpecialItem, item_id)
    if item is None or item.withdrawn_at is not None:
        raise NotFound("未找到该特别项，或它已被撤销")
    reason = clean_text(reason)
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"撤销特别项必须写明理由（不超过 {Limit.REASON} 字）")
    with engagement_scope(session, item.engagement_id, Action.RATE, by=by) as scope:
        refuse_if_issued(scope, f"{SPECIAL_KIND_LABELS[SpecialKind(item.kind)]}“{item.reason[:30]}”")
        item.withdrawn_by, item.withdrawn_at, item.withdrawn_reason = by.name, utcnow(), reason
        session.add(item)
        scope.result_changed()
    return item


def list_special_items(session: Session, engagement_id: int, *, by: Actor,
                       include_withdrawn: bool = False) -> list[SpecialItem]:
    get_engagement(session, engagement_id, by=by)
    query = select(SpecialItem).where(SpecialItem.engagement_id == engagement_id)
    if not include_withdrawn:
        query = query.where(SpecialItem.withdrawn_at.is_(None))
    return list(session.exec(query.order_by(SpecialItem.id)))
