"""Recording the team's recommendation, which issues the result: it needs the score and the nonconformity reports,
so it sits above audits and nonconformities (the rules themselves are in audits/decisions.py).

A recommendation needs a written nonconformity report for every nonconforming clause, every sampled clause with
nonconforming samples and every special deduction in force; without them it is refused naming what is missing.
"""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.policy import Action
from audits.decisions import WITH_STAR, recommendation_problem
from audits.engagements import change_status
from audits.scope import engagement_scope
from audits.status_workflow import Move, check_move
from criteria.model import Tree
from dossier.assessment import engagement_result
from errors import InvalidInput
from nonconformities.models import Nonconformity
from records.models import ClauseRating, Recommendation, SpecialItem
from textclean import clean_text
from vocabulary import DEDUCTION_LABELS, Limit, SpecialKind, finds_against


def missing_reports(session: Session, engagement_id: int) -> list[str]:
    """What still needs a nonconformity report, as users name it: clause codes, then special deductions."""
    reported_codes = set(session.exec(select(Nonconformity.code).where(Nonconformity.engagement_id == engagement_id,
                                                                       Nonconformity.code.is_not(None))))
    reported_items = set(session.exec(select(Nonconformity.special_item_id)
                                      .where(Nonconformity.engagement_id == engagement_id,
                                             Nonconformity.special_item_id.is_not(None))))
    rows = session.exec(select(ClauseRating.code, ClauseRating.status, ClauseRating.nonconforming)
                        .where(ClauseRating.engagement_id == engagement_id).order_by(ClauseRating.id)).all()
    missing = [f"条款 {code}" for code, status, bad in rows if finds_against(status, bad) and code not in reported_codes]
    items = session.exec(select(SpecialItem).where(SpecialItem.engagement_id == engagement_id,
                                                   SpecialItem.kind == SpecialKind.DEDUCTION,
                                                   SpecialItem.withdrawn_at.is_(None)).order_by(SpecialItem.id))
    missing += [f"特别扣分项“{DEDUCTION_LABELS.get(i.category, i.category)}：{i.reason[:30]}”"
                for i in items if i.id not in reported_items]
    return missing


def record_recommendation(session: Session, *, engagement_id: int, kind: str, star: str | None, conditions: str,
                          tree: Tree, by: Actor) -> Recommendation:
    """The lead assessor records the team's recommendation; the engagement moves to reported."""
    conditions = clean_text(conditions)
    if len(conditions) > Limit.TEXT:
        raise InvalidInput(f"推荐条件不超过 {Limit.TEXT} 字")
    with engagement_scope(session, engagement_id, Action.RECOMMEND, by=by) as scope:
        engagement = scope.engagement
        if engagement.tree_ref != tree.ref:
            raise InvalidInput(f"评价项目使用指标树 {engagement.tree_ref}，而不是 {tree.ref}")
        check_move(engagement.status, Move.ISSUE, kind=engagement.kind)
        if missing := missing_reports(session, engagement_id):
            raise InvalidInput("还不能记录推荐意见：以下不符合条款或特别扣分项尚无书面不符合报告："
                               + "、".join(missing[:10]) + (f" 等 {len(missing)} 项" if len(missing) > 10 else ""))
        result = engagement_result(session, engagement_id, tree, by=by)
        if problem := recommendation_problem(kind, star, conditions, allowed=result.star, decision=result.decision,
                                             complete=result.complete, scheme=result.scheme):
            raise InvalidInput(problem)
        recommendation = Recommendation(
            engagement_id=engagement_id, kind=kind, star=star if kind in WITH_STAR else None, conditions=conditions,
            allowed_star=result.star, score=str(result.score), revision=engagement.revision, recorded_by=by.name)
        session.add(recommendation)
        change_status(scope, Move.ISSUE, reason=conditions)
        session.flush()
    return recommendation
