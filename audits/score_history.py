"""How an engagement's score moved: the rating history and the special items replayed through the engine."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import get_engagement
from audits.ratings import describe
from criteria.model import Tree
from records.models import RatingChange, SpecialItem
from scoring.assessment import parse_assessment
from scoring.engine import score
from vocabulary import RATED, SPECIAL_KIND_LABELS, ClauseStatus, SpecialKind


@dataclass(frozen=True)
class ScorePoint:
    at: datetime
    score: Decimal
    by: str
    change: str


def score_history(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> list[ScorePoint]:
    """The score after each saved rating and each special item added or withdrawn, oldest first."""
    engagement = get_engagement(session, engagement_id, by=by)
    changes = session.exec(select(RatingChange).where(RatingChange.engagement_id == engagement_id)
                           .order_by(RatingChange.id)).all()
    items = session.exec(select(SpecialItem).where(SpecialItem.engagement_id == engagement_id)).all()
    steps = [(c.changed_at, 0, c) for c in changes] + [(i.created_at, 1, i) for i in items] + \
        [(i.withdrawn_at, 2, i) for i in items if i.withdrawn_at]
    ratings: dict[str, dict] = {}
    specials: dict[int, SpecialItem] = {}
    points = []
    for at, kind, row in sorted(steps, key=lambda s: (s[0], s[1])):
        if kind == 0:
            ratings[row.code] = row.after
            who, what = row.changed_by, f"{row.code} {describe(row.after)}"
        elif kind == 1:
            specials[row.id] = row
            who, what = row.created_by, SPECIAL_KIND_LABELS[row.kind] + f"：{row.reason[:30]}"
        else:
            specials.pop(row.id, None)
            who, what = row.withdrawn_by or "", f"撤销特别项：{row.reason[:30]}"
        document = _document(engagement.tree_ref, ratings, specials.values()) | {"kind": engagement.kind}
        points.append(ScorePoint(at, score(tree, parse_assessment(document, tree), subtotals=False).score, who, what))
    return points


def _document(tree_ref: str, ratings: dict[str, dict], specials) -> dict:
    rated = {c: v for c, v in ratings.items() if v["status"] in RATED}
    return {
        "criteria": tree_ref,
        "ratings": [{"code": c, "result": v["status"], "sampled": v["sampled"], "nonconforming": v["nonconforming"]}
                    for c, v in rated.items()],
        "exclusions": [{"code": c, "reason": v["exclusion_reason"]} for c, v in ratings.items()
                       if v["status"] == ClauseStatus.EXCLUDED],
        "not_covered": [c for c, v in ratings.items() if v["status"] == ClauseStatus.NOT_COVERED],
        "special_deductions": [{"reason": i.reason} for i in specials if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [{"reason": i.reason} for i in specials if i.kind == SpecialKind.BONUS],
    }
