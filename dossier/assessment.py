"""An engagement as the scoring engine sees it: the assessment JSON built from the database, and its score."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import get_engagement
from audits.score_history import history_stamp
from criteria.model import Tree
from records.models import ClauseRating, SpecialItem
from scoring.assessment import parse_assessment
from scoring.engine import ScoreResult, score
from vocabulary import ClauseStatus, EngagementKind, SpecialKind


def assessment_document(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> dict:
    """The assessment JSON (docs/assessment-format.md) of an engagement: what the download holds.

    One access check, then only the columns the document needs: the dashboard and the workspace build this on
    every rerun, and whole ORM rows (hundreds of nonconformities) were most of its cost."""
    engagement = get_engagement(session, engagement_id, by=by)
    order = {leaf.code: i for i, leaf in enumerate(tree.leaves())}
    r, item = ClauseRating, SpecialItem
    rows = sorted(_columns(session, select(r.code, r.status, r.sampled, r.nonconforming, r.finding, r.exclusion_reason)
                           .where(r.engagement_id == engagement_id)), key=lambda row: order.get(row.code, len(order)))
    specials = _columns(session, select(item.kind, item.reason, item.code, item.category)
                        .where(item.engagement_id == engagement_id, item.withdrawn_at.is_(None)).order_by(item.id))
    return {
        "criteria": engagement.tree_ref,
        "engagement": {"id": engagement.id, "kind": engagement.kind, "title": engagement.title},
        "ratings": [_rating_item(r) for r in rows if r.status not in (ClauseStatus.UNRATED, ClauseStatus.EXCLUDED)],
        "exclusions": [{"code": r.code, "reason": r.exclusion_reason} for r in rows
                       if r.status == ClauseStatus.EXCLUDED],
        "special_deductions": [_special(i) for i in specials if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [_special(i) for i in specials if i.kind == SpecialKind.BONUS],
        "nonconformities": [dict(zip(NC_KEYS, row, strict=True)) for row in _nonconformities(session, engagement_id)],
    }


NC_KEYS = ("number", "code", "severity", "status")


def _columns(session: Session, query) -> list:
    return session.connection().execute(query).all()


def _nonconformities(session: Session, engagement_id: int) -> list:
    from nonconformities.models import Nonconformity as nc  # the audit core does not otherwise depend on them
    return _columns(session, select(nc.number, nc.code, nc.severity, nc.state)
                    .where(nc.engagement_id == engagement_id).order_by(nc.number))


class ResultStamp(NamedTuple):
    """Changes whenever the engagement's score or decision can. A key for keeping a computed result while a page
    reruns; `history` alone keys the score history."""
    history: tuple[int, int, int]  # the score history's stamp: ratings, special items
    raised: int                    # nonconformities raised
    steps: int                     # the steps they took (each step adds one to a version)


def result_stamp(session: Session, engagement_id: int, *, by: Actor) -> ResultStamp:
    from nonconformities.models import Nonconformity as nc
    raised, steps = session.exec(select(func.count(nc.id), func.coalesce(func.sum(nc.version), 0))
                                 .where(nc.engagement_id == engagement_id)).one()
    return ResultStamp(history_stamp(session, engagement_id, by=by), raised, steps)


def engagement_result(session: Session, engagement_id: int, tree: Tree, *, by: Actor,
                      document: dict | None = None) -> ScoreResult:
    """The engagement's score; pass the `document` already built on this rerun to skip building it again."""
    document = document or assessment_document(session, engagement_id, tree, by=by)
    kind = document["engagement"]["kind"]
    return score(tree, parse_assessment(document, tree), first_certification=kind == EngagementKind.INITIAL)


def _rating_item(row) -> dict:
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
