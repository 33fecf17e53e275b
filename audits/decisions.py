"""The team's recommendation and the certification decision: the rules, reopening, the decision, the freeze.

The team does not certify (domain brief A4). The lead assessor records the team's recommendation: 推荐 at a star
no higher than the rules allow (which needs the rules to allow certification now), 整改验证后推荐 at such a star
with written conditions (the rules may still withhold for open nonconformities, never for an incomplete
assessment), or 不推荐. Recording it issues the result (dossier/recommendation.py, which gathers the score and
the nonconformity reports): the engagement moves to reported and its ratings, exclusions and special items refuse
changes until the lead reopens it with a written reason, which withdraws the recommendation. A decision maker
who was not on the team and has not consulted for the company within the scheme's impartiality window then
records the decision: 批准 at a star no higher than recommended, or 不批准, with its date and reasons; the
engagement moves to decided. Every refusal names the rule and changes nothing; refusals of a person are audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from accounts.access import refuse
from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import change_status, consulted_for, get_engagement, status_history
from audits.scope import Scope, engagement_scope
from audits.status_workflow import Move
from criteria.model import Tree
from criteria.scheme import STAR_LABELS, Scheme, Star
from errors import InvalidInput, NotFound
from records.models import CertificationDecision, Recommendation, StatusChange, utcnow
from scoring.stars import Decision
from textclean import clean_text
from timefmt import local_today
from vocabulary import (
    CERTIFICATION_OUTCOME_LABELS,
    RECOMMENDATION_LABELS,
    RESULT_ISSUED,
    STATUS_LABELS,
    CertificationOutcome,
    Limit,
    RecommendationKind,
)

WITH_STAR = frozenset({RecommendationKind.RECOMMEND, RecommendationKind.AFTER_VERIFICATION})


@dataclass(frozen=True)
class ResultRecord:
    """What the dashboard shows: the standing recommendation and decision, and everything before them."""

    recommendation: Recommendation | None
    decision: CertificationDecision | None
    recommendations: list[Recommendation]  # all of them, withdrawn ones included, oldest first
    moves: list[StatusChange]


def higher(star: str, than: str, scheme: Scheme) -> bool:
    """Whether `star` is a higher level than `than` under the scheme (not passed is the lowest)."""
    floors = dict(scheme.thresholds)
    return floors.get(Star(star), -1) > floors.get(Star(than), -1)


def recommendation_problem(kind: str, star: str | None, conditions: str, *, allowed: Star, decision: Decision,
                           complete: bool, scheme: Scheme) -> str:
    """The first rule a recommendation breaks against what the rules allow, or ""."""
    if kind not in set(RecommendationKind):
        return "请选择推荐意见（推荐、不推荐或整改验证后推荐）"
    label = RECOMMENDATION_LABELS[RecommendationKind(kind)]
    if kind not in WITH_STAR:
        return ""
    if star not in set(Star) or star == Star.NOT_PASSED:
        return f"“{label}”须选择推荐的星级"
    if not complete:
        return f"评价尚未完成（仍有条款未评分），不能“{label}”"
    if decision == Decision.NOT_PASSED:
        return f"按评价规则结果为不予通过（{STAR_LABELS[allowed]}），不能“{label}”，只能“不推荐”"
    if higher(star, allowed, scheme):
        return f"推荐星级 {STAR_LABELS[Star(star)]} 高于评价规则允许的 {STAR_LABELS[allowed]}"
    if kind == RecommendationKind.RECOMMEND and decision != Decision.GRANTED:
        return "仍有未关闭的严重不符合或未接受整改的一般不符合，不能直接“推荐”，可选“整改验证后推荐”并写明条件"
    if kind == RecommendationKind.AFTER_VERIFICATION and not conditions:
        return "“整改验证后推荐”须写明推荐的条件"
    return ""


def standing_recommendation(session: Session, engagement_id: int) -> Recommendation | None:
    """The engagement's recommendation not withdrawn, for a use case that has checked access."""
    return session.exec(select(Recommendation).where(Recommendation.engagement_id == engagement_id,
                                                     Recommendation.withdrawn_at.is_(None))
                        .order_by(Recommendation.id.desc())).first()


def refuse_if_issued(scope: Scope, what: str) -> None:
    """Ratings, exclusions and special items refuse changes while the result is issued (audited)."""
    status = scope.engagement.status
    if status in RESULT_ISSUED:
        refuse(scope.session, scope.by,
               f"不能修改{what}：评价项目 {scope.engagement.id} 的评价结果已出具（{STATUS_LABELS[status]}），"
               "评分、删减和特别项已锁定。如需修改，请审查组长写明理由撤回推荐意见、重新开放。",
               target=f"评价项目 {scope.engagement.id}《{scope.engagement.title}》", detail=f"结果已出具，拒绝修改{what}")


def reopen_result(session: Session, *, engagement_id: int, reason: str, by: Actor) -> Recommendation:
    """The lead reopens an issued result with a written reason: the recommendation is withdrawn (kept)."""
    reason = clean_text(reason)
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"重新开放评价结果必须写明理由（不超过 {Limit.REASON} 字）")
    with engagement_scope(session, engagement_id, Action.RECOMMEND, by=by) as scope:
        current = standing_recommendation(session, engagement_id)
        change_status(scope, Move.REOPEN, reason=reason)
        if current is None:
            raise NotFound("本项目没有可撤回的推荐意见")
        current.withdrawn_by, current.withdrawn_at, current.withdrawn_reason = by.name, utcnow(), reason
        session.add(current)
    return current


def record_decision(session: Session, *, engagement_id: int, outcome: str, star: str | None, decided_on: date,
                    reasons: str, tree: Tree, by: Actor, today: date | None = None) -> CertificationDecision:
    """The certification decision, by a decision maker who was not on the team and is impartial."""
    reasons = clean_text(reasons)
    with engagement_scope(session, engagement_id, Action.DECIDE, by=by) as scope:
        engagement = scope.engagement
        years = tree.scheme.impartiality_years
        if by.user_id is not None and (why := consulted_for(session, by.user_id, engagement.company_id, years)):
            refuse(session, by, f"您不能对评价项目 {engagement.id} 作出认证决定：{why}（公正性要求：{years} 年内"
                                "为该企业提供过咨询的人员不得作出认证决定）",
                   target=f"评价项目 {engagement.id}《{engagement.title}》", detail="公正性回避：拒绝作出认证决定")
        change_status(scope, Move.DECIDE, reason=reasons)
        recommendation = standing_recommendation(session, engagement_id)
        if recommendation is None:
            raise InvalidInput("本项目尚无推荐意见，不能作出认证决定")
        _check_decision(outcome, star, decided_on, reasons, recommendation, tree.scheme, today or local_today())
        decision = CertificationDecision(
            engagement_id=engagement_id, recommendation_id=recommendation.id, outcome=outcome,
            star=star if outcome == CertificationOutcome.APPROVE else None, decided_on=decided_on, reasons=reasons,
            decided_by=by.name, decided_by_user_id=by.user_id)
        session.add(decision)
        session.flush()
    return decision


def _check_decision(outcome: str, star: str | None, decided_on: date, reasons: str, recommendation: Recommendation,
                    scheme: Scheme, today: date) -> None:
    if outcome not in set(CertificationOutcome):
        raise InvalidInput("请选择认证决定（批准或不批准）")
    if not reasons or len(reasons) > Limit.TEXT:
        raise InvalidInput(f"认证决定必须写明理由（不超过 {Limit.TEXT} 字）")
    if not isinstance(decided_on, date) or decided_on > today:
        raise InvalidInput("决定日期不能晚于今天")
    if outcome != CertificationOutcome.APPROVE:
        return
    if recommendation.kind not in WITH_STAR or not recommendation.star:
        raise InvalidInput("评价组的推荐意见为“不推荐”，不能批准认证")
    if star not in set(Star) or star == Star.NOT_PASSED:
        raise InvalidInput("批准认证须选择批准的星级")
    if higher(star, recommendation.star, scheme):
        raise InvalidInput(f"批准星级 {STAR_LABELS[Star(star)]} 高于评价组推荐的 "
                           f"{STAR_LABELS[Star(recommendation.star)]}")


def result_record(session: Session, engagement_id: int, *, by: Actor) -> ResultRecord:
    """The recommendation and decision of an engagement with their history, for whoever may see it."""
    get_engagement(session, engagement_id, by=by)
    recommendations = list(session.exec(select(Recommendation).where(Recommendation.engagement_id == engagement_id)
                                        .order_by(Recommendation.id)))
    decision = session.exec(select(CertificationDecision).where(CertificationDecision.engagement_id == engagement_id)
                            .order_by(CertificationDecision.id.desc())).first()
    standing = next((r for r in reversed(recommendations) if r.withdrawn_at is None), None)
    return ResultRecord(standing, decision, recommendations, status_history(session, engagement_id, by=by))


def describe_recommendation(r: Recommendation) -> str:
    star = f"（{STAR_LABELS[Star(r.star)]}）" if r.star else ""
    return RECOMMENDATION_LABELS[RecommendationKind(r.kind)] + star


def describe_decision(d: CertificationDecision) -> str:
    star = f"（{STAR_LABELS[Star(d.star)]}）" if d.star else ""
    return CERTIFICATION_OUTCOME_LABELS[CertificationOutcome(d.outcome)] + star
