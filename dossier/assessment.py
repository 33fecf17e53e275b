"""An engagement as the scoring engine sees it, and its score; the assessment JSON for downloads."""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import get_engagement
from criteria.model import Tree
from records.models import ClauseRating, Engagement, SpecialItem
from scoring.assessment import Assessment, NonconformityState, RatingEntry, assessment_from_entries
from scoring.assessment import SpecialItem as ScoredItem
from scoring.engine import ScoreResult, score
from vocabulary import RATED, ClauseStatus, EngagementKind, Severity, SpecialKind


def assessment_document(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> dict:
    """The assessment JSON (docs/assessment-format.md) of an engagement: what the download holds.

    One access check, then only the columns the document needs: the dashboard and the workspace build this on
    every rerun, and whole ORM rows (hundreds of nonconformities) were most of its cost."""
    return _document(get_engagement(session, engagement_id, by=by), tree, *_rows(session, engagement_id))


def document_and_result(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> tuple[dict, ScoreResult]:
    """The assessment JSON and the score from one read of the rows: the pages show the one and offer the other."""
    engagement = get_engagement(session, engagement_id, by=by)
    rows = _rows(session, engagement_id)
    return _document(engagement, tree, *rows), _score(tree, engagement, _assessment(tree, engagement, *rows))


def engagement_assessment(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> Assessment:
    """The engagement as the scoring engine sees it, built from the stored rows (no file format in between)."""
    return _assessment(tree, get_engagement(session, engagement_id, by=by), *_rows(session, engagement_id))


def engagement_result(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> ScoreResult:
    """The engagement's score, star and decision."""
    engagement = get_engagement(session, engagement_id, by=by)
    return _score(tree, engagement, _assessment(tree, engagement, *_rows(session, engagement_id)))


NC_KEYS = ("number", "code", "severity", "status")


def _rows(session: Session, engagement_id: int) -> tuple[list, list, list]:
    """The columns of the clause ratings, the standing special items (in order) and the nonconformities that
    both the document and the score are built from."""
    r, item = ClauseRating, SpecialItem
    ratings = _columns(session, select(r.code, r.status, r.sampled, r.nonconforming, r.finding, r.exclusion_reason)
                       .where(r.engagement_id == engagement_id))
    specials = _columns(session, select(item.kind, item.reason, item.code, item.category)
                        .where(item.engagement_id == engagement_id, item.withdrawn_at.is_(None)).order_by(item.id))
    return ratings, specials, _nonconformities(session, engagement_id)


def _columns(session: Session, query) -> list:
    return session.connection().execute(query).all()


def _nonconformities(session: Session, engagement_id: int) -> list:
    from nonconformities.models import Nonconformity as nc  # the audit core does not otherwise depend on them
    return _columns(session, select(nc.number, nc.code, nc.severity, nc.state)
                    .where(nc.engagement_id == engagement_id).order_by(nc.number))


def _document(engagement: Engagement, tree: Tree, ratings: list, specials: list, ncs: list) -> dict:
    order = {leaf.code: i for i, leaf in enumerate(tree.leaves())}
    rows = sorted(ratings, key=lambda row: order.get(row.code, len(order)))
    return {
        "criteria": engagement.tree_ref,
        "engagement": {"id": engagement.id, "kind": engagement.kind, "title": engagement.title},
        "ratings": [_rating_item(r) for r in rows if r.status in RATED],
        "exclusions": [{"code": r.code, "reason": r.exclusion_reason} for r in rows
                       if r.status == ClauseStatus.EXCLUDED],
        "not_covered": [{"code": r.code} | ({"finding": r.finding} if r.finding else {}) for r in rows
                        if r.status == ClauseStatus.NOT_COVERED],
        "special_deductions": [_special(i) for i in specials if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [_special(i) for i in specials if i.kind == SpecialKind.BONUS],
        "nonconformities": [dict(zip(NC_KEYS, row, strict=True)) for row in ncs],
    }


def _assessment(tree: Tree, engagement: Engagement, ratings: list, specials: list, ncs: list) -> Assessment:
    entries = {row.code: RatingEntry(row.status, row.sampled, row.nonconforming, row.exclusion_reason)
               for row in ratings}
    return assessment_from_entries(
        tree, entries, criteria=engagement.tree_ref, kind=engagement.kind,
        nonconformities=tuple(NonconformityState(Severity(severity), state, code) for _, code, severity, state in ncs),
        special_deductions=tuple(ScoredItem(i.reason, i.code) for i in specials if i.kind == SpecialKind.DEDUCTION),
        special_bonus=tuple(ScoredItem(i.reason, i.code) for i in specials if i.kind == SpecialKind.BONUS))


def _score(tree: Tree, engagement: Engagement, assessment: Assessment) -> ScoreResult:
    return score(tree, assessment, first_certification=engagement.kind == EngagementKind.INITIAL)


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
