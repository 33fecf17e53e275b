"""The project snapshot: an engagement gathered completely into plain JSON (docs/snapshot-format.md).

It extends the assessment JSON, so `python -m scoring` reads a snapshot, and reports are built from it by
pure code. Every key beyond the assessment JSON's is optional.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.companies import list_sites
from audits.engagements import engagement_overview
from audits.ratings import list_ratings
from audits.special_items import list_special_items
from criteria.model import Tree
from dossier.assessment import assessment_document
from evidence.models import Evidence, EvidenceLink
from nonconformities.models import NcEvent, Nonconformity
from records.models import RatingChange
from vocabulary import SpecialKind

FORMAT = "gbt27922-snapshot/1"


def build_snapshot(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> dict:
    overview = engagement_overview(session, engagement_id, by=by)
    e, company = overview.engagement, overview.company
    document = assessment_document(session, engagement_id, tree, by=by)
    rows = {r.code: r for r in list_ratings(session, engagement_id, by=by)}
    for item in document["ratings"]:
        row = rows[item["code"]]
        item |= {"finding": row.finding, "rated_by": row.updated_by, "rated_at": _time(row.updated_at)}
    specials = list_special_items(session, engagement_id, by=by)
    return {
        "format": FORMAT,
        **document,
        "tree": {"id": tree.id, "version": tree.version, "title": tree.title},
        "engagement": {"id": e.id, "kind": e.kind, "title": e.title, "status": e.status,
                       "start_date": _day(e.start_date), "end_date": _day(e.end_date)},
        "company": {"name": company.name, "credit_code": company.credit_code, "address": company.address,
                    "industry": company.industry, "scope": company.scope, "contact": company.contact},
        "sites": [{"name": s.name, "kind": s.kind, "address": s.address, "contracted": s.contracted}
                  for s in list_sites(session, company.id, by=by)],
        "team": [{"name": m.name, "role": m.role} for m in overview.team],
        "special_deductions": [_special(i) for i in specials if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [_special(i) for i in specials if i.kind == SpecialKind.BONUS],
        "nonconformities": _nonconformities(session, engagement_id),
        "evidence": _evidence(session, engagement_id),
        "rating_history": [{"code": c.code, "version": c.version, "before": c.before, "after": c.after,
                            "by": c.changed_by, "at": _time(c.changed_at)}
                           for c in session.exec(select(RatingChange).where(RatingChange.engagement_id == engagement_id)
                                                 .order_by(RatingChange.id))],
    }


def _special(item) -> dict:
    return {"reason": item.reason, "code": item.code, "category": item.category, "by": item.created_by,
            "at": _time(item.created_at)}


def _nonconformities(session: Session, engagement_id: int) -> list[dict]:
    out = []
    for nc in session.exec(select(Nonconformity).where(Nonconformity.engagement_id == engagement_id)
                           .order_by(Nonconformity.number)):
        events = session.exec(select(NcEvent).where(NcEvent.nonconformity_id == nc.id).order_by(NcEvent.id))
        out.append({"number": nc.number, "code": nc.code, "severity": nc.severity, "status": nc.state,
                    "finding": nc.finding, "requirement": nc.requirement, "evidence_seen": nc.evidence_seen,
                    "due_date": _day(nc.due_date), "raised_by": nc.raised_by, "raised_at": _time(nc.raised_at),
                    "history": [{"event": ev.event, "from": ev.from_state, "to": ev.to_state, "by": ev.by,
                                 "at": _time(ev.at), "comment": ev.comment, "details": ev.details} for ev in events]})
    return out


def _evidence(session: Session, engagement_id: int) -> list[dict]:
    out = []
    for ev in session.exec(select(Evidence).where(Evidence.engagement_id == engagement_id,
                                                  Evidence.removed_at.is_(None)).order_by(Evidence.id)):
        codes = sorted(set(session.exec(select(EvidenceLink.code).where(EvidenceLink.evidence_id == ev.id,
                                                                        EvidenceLink.unlinked_at.is_(None)))))
        out.append({"name": ev.name, "sha256": ev.sha256, "size": ev.size, "kind": ev.kind, "codes": codes,
                    "uploaded_by": ev.uploaded_by, "uploaded_at": _time(ev.uploaded_at), "note": ev.note})
    return out


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
