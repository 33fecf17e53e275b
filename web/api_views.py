"""What each API endpoint answers, as plain JSON-ready data read through the services (which check access).

Values keep their stored codes (`kind`, `status`, ...) for programs, each beside its label as the product shows
it (`kind_label`, ...), so an integration neither parses Chinese nor guesses a label.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from sqlmodel import Session

from accounts.actor import Actor
from audits.engagements import EngagementRow, engagement_overview, get_engagement, list_engagements
from config import settings
from criteria.model import Tree
from criteria.registry import TreeRegistry
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_reads import certificate_by_number
from cycle.certificate_rules import shown_state
from dossier.assessment import assessment_document, engagement_result
from dossier.snapshot import build_snapshot
from nonconformities.services import register
from scoring.stars import DECISION_LABELS
from timefmt import local_today
from vocabulary import (
    CERTIFICATE_STATE_LABELS,
    KIND_LABELS,
    NC_STATE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TEAM_ROLE_LABELS,
)


@lru_cache
def _registry(folder) -> TreeRegistry:
    return TreeRegistry([folder])


def _tree(session: Session, engagement_id: int, by: Actor) -> Tree:
    return _registry(settings().extra_trees_dir).get(get_engagement(session, engagement_id, by=by).tree_ref)


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _engagement(row: EngagementRow) -> dict:
    e = row.engagement
    return {"id": e.id, "title": e.title, "company": row.company_name, "kind": e.kind, "kind_label": KIND_LABELS[e.kind],
            "status": e.status, "status_label": STATUS_LABELS[e.status], "start_date": _day(e.start_date),
            "end_date": _day(e.end_date), "criteria": e.tree_ref, "rated": row.rated,
            "applicable_clauses": row.applicable_clauses}


def engagements(session: Session, by: Actor) -> dict:
    return {"engagements": [_engagement(row) for row in list_engagements(session, by=by)]}


def engagement(session: Session, by: Actor, engagement_id: int) -> dict:
    tree = _tree(session, engagement_id, by)
    overview = engagement_overview(session, engagement_id, by=by)
    e, result = overview.engagement, engagement_result(session, engagement_id, tree, by=by)
    return {
        "id": e.id, "title": e.title, "company": overview.company.name, "kind": e.kind,
        "kind_label": KIND_LABELS[e.kind], "status": e.status, "status_label": STATUS_LABELS[e.status],
        "start_date": _day(e.start_date), "end_date": _day(e.end_date), "revision": e.revision,
        "team": [{"name": m.name, "role": m.role, "role_label": TEAM_ROLE_LABELS[m.role]} for m in overview.team],
        "result": {"score": str(result.score), "star": result.star, "star_label": STAR_LABELS[result.star],
                   "decision": result.decision, "decision_label": DECISION_LABELS[result.decision],
                   "complete": result.complete, "rated": result.rated,
                   "applicable_clauses": result.applicable_clauses},
        "assessment": assessment_document(session, engagement_id, tree, by=by),
    }


def snapshot(session: Session, by: Actor, engagement_id: int) -> dict:
    return build_snapshot(session, engagement_id, _tree(session, engagement_id, by), by=by)


def nonconformities(session: Session, by: Actor, engagement_id: int) -> dict:
    get_engagement(session, engagement_id, by=by)  # refuses before the list (which would only come back empty)
    return {"nonconformities": [
        {"number": r.number, "code": r.code, "severity": r.severity, "severity_label": SEVERITY_LABELS[r.severity],
         "state": r.state, "state_label": NC_STATE_LABELS[r.state], "due_date": _day(r.due_date),
         "overdue": r.overdue}
        for r in sorted(register(session, by=by, engagement_id=engagement_id), key=lambda r: r.number)]}


def certificate(session: Session, by: Actor, number: str) -> dict:
    c = certificate_by_number(session, number, by=by)
    state = shown_state(c.state, c.expires_on, local_today())
    return {"number": c.number, "company": c.company_name, "star": c.star, "star_label": STAR_LABELS[Star(c.star)],
            "state": state, "state_label": CERTIFICATE_STATE_LABELS[state], "state_since": _day(c.state_since),
            "issued_on": _day(c.issued_on), "expires_on": _day(c.expires_on), "engagement_id": c.engagement_id}
