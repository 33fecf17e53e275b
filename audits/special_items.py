"""Use cases for special deductions (特别扣分项, −1 each) and the special bonus (特别加分项, +1, at most one)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from records.models import SpecialItem, utcnow
from textclean import clean_text
from vocabulary import SPECIAL_KIND_LABELS, DeductionCategory, Limit, SpecialKind


def add_special_item(session: Session, *, engagement_id: int, kind: str, reason: str, tree: Tree,
                     category: str = "", code: str | None = None, by: Actor) -> SpecialItem:
    reason = clean_text(reason)
    if kind not in set(SpecialKind):
        raise InvalidInput("特别项类型无效")
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"{SPECIAL_KIND_LABELS[kind]}必须写明理由（不超过 {Limit.REASON} 字）")
    if kind == SpecialKind.DEDUCTION and category not in set(DeductionCategory):
        raise InvalidInput("请选择特别扣分项的类别")
    if code and tree.node(code) is None:
        raise InvalidInput(f"未知的条款代码 {code}")
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        item = SpecialItem(engagement_id=engagement_id, kind=kind, reason=reason, code=code or None,
                           category=category if kind == SpecialKind.DEDUCTION else "", created_by=by.name)
        session.add(item)
        try:
            session.flush()
        except IntegrityError:
            raise InvalidInput("特别加分项最多 1 项：本项目已有一项有效的特别加分") from None
        scope.result_changed()
    return item


def withdraw_special_item(session: Session, *, item_id: int, reason: str, by: Actor) -> SpecialItem:
    """Withdrawn items stay in the record with who withdrew them, when and why."""
    item = session.get(SpecialItem, item_id)
    if item is None or item.withdrawn_at is not None:
        raise NotFound("未找到该特别项，或它已被撤销")
    reason = clean_text(reason)
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"撤销特别项必须写明理由（不超过 {Limit.REASON} 字）")
    with engagement_scope(session, item.engagement_id, Action.RATE, by=by) as scope:
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
