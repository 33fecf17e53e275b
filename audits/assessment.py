"""An engagement as the scoring engine sees it: the assessment JSON built from the database, and its score."""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import get_engagement
from audits.models import ClauseRating
from audits.ratings import list_ratings
from audits.special_items import list_special_items
from audits.vocabulary import ClauseStatus, EngagementKind, SpecialKind
from criteria.model import Tree
from scoring.assessment import parse_assessment
from scoring.engine import ScoreResult, score


def assessment_document(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> dict:
    """The assessment JSON (docs/assessment-format.md) of an engagement: what the download holds."""
    engagement = get_engagement(session, engagement_id, by=by)
    order = {leaf.code: i for i, leaf in enumerate(tree.leaves())}
    rows = sorted(list_ratings(session, engagement_id, by=by), key=lambda r: order.get(r.code, len(order)))
    specials = list_special_items(session, engagement_id, by=by)
    return {
        "criteria": engagement.tree_ref,
        "engagement": {"id": engagement.id, "kind": engagement.kind, "title": engagement.title},
        "ratings": [_rating_item(r) for r in rows if r.status not in (ClauseStatus.UNRATED, ClauseStatus.EXCLUDED)],
        "exclusions": [{"code": r.code, "reason": r.exclusion_reason} for r in rows
                       if r.status == ClauseStatus.EXCLUDED],
        "special_deductions": [_special(i) for i in specials if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [_special(i) for i in specials if i.kind == SpecialKind.BONUS],
        "nonconformities": [{"number": nc.number, "code": nc.code, "severity": nc.severity, "status": nc.state}
                            for nc in _nonconformities(session, engagement_id)],
    }


def _nonconformities(session: Session, engagement_id: int) -> list:
    from nonconformities.models import Nonconformity  # the audit core does not otherwise depend on them
    return list(session.exec(select(Nonconformity).where(Nonconformity.engagement_id == engagement_id)
                             .order_by(Nonconformity.number)))


def engagement_result(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> ScoreResult:
    document = assessment_document(session, engagement_id, tree, by=by)
    kind = document["engagement"]["kind"]
    return score(tree, parse_assessment(document, tree), first_certification=kind == EngagementKind.INITIAL)


def _rating_item(row: ClauseRating) -> dict:
    item = {"code": row.code, "result": row.status}
    if row.status == ClauseStatus.SAMPLED:
        item |= {"sampled": row.sampled, "nonconforming": row.nonconforming}
    if row.finding:
        item["finding"] = row.finding
    return item


def _special(item) -> dict:
    out = {"reason": item.reason}
    if item.code:
        out["code"] = item.code
    if item.category:
        out["category"] = item.category
    return out
