"""The project snapshot: an engagement gathered completely into plain JSON (docs/snapshot-format.md).

It extends the assessment JSON, so `python -m scoring` reads a snapshot, and reports are built from it by
pure code. Every key beyond the assessment JSON's is optional. Nothing in it is a database id: sites are named
by name, special items by a key of the snapshot (S1, S2, … in the order they were added), evidence records by
the file's SHA-256 and the time of the upload, so a backup restores into any installation whole.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.companies import list_sites
from audits.engagements import engagement_overview
from audits.ratings import list_ratings
from audits.special_items import list_special_items
from criteria.model import Tree
from dossier.assessment import assessment_document
from evidence.models import GENERAL, Evidence, EvidenceLink
from nonconformities.models import NcEvent, Nonconformity
from records.models import ClauseRating, RatingChange, SpecialItem
from samples.plain import samples_plain
from sampling.plain import sampling_plain
from vocabulary import ClauseStatus, SpecialKind

FORMAT = "gbt27922-snapshot/2"
FORMAT_1 = "gbt27922-snapshot/1"


def build_snapshot(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> dict:
    overview = engagement_overview(session, engagement_id, by=by)
    e, company = overview.engagement, overview.company
    document = assessment_document(session, engagement_id, tree, by=by)
    order = {leaf.code: i for i, leaf in enumerate(tree.leaves())}
    rows = sorted(list_ratings(session, engagement_id, by=by), key=lambda r: order.get(r.code, len(order)))
    stamped = {r.code: r for r in rows}
    for item in document["ratings"] + document["exclusions"]:
        item |= _stamp(stamped[item["code"]])
    sites = list_sites(session, company.id, by=by)
    site_names = {s.id: s.name for s in sites}
    specials = list_special_items(session, engagement_id, by=by, include_withdrawn=True)
    keys = {item.id: f"S{n}" for n, item in enumerate(specials, 1)}
    records = list(session.exec(select(Evidence).where(Evidence.engagement_id == engagement_id)
                                .order_by(Evidence.id)))
    refs = {ev.id: evidence_ref(ev) for ev in records}
    return {
        "format": FORMAT,
        **document,
        "unrated": [{"code": r.code} | _stamp(r) for r in rows
                    if r.status == ClauseStatus.UNRATED and (r.version or r.finding)],
        "tree": {"id": tree.id, "version": tree.version, "title": tree.title},
        "engagement": {"id": e.id, "kind": e.kind, "title": e.title, "status": e.status,
                       "start_date": _day(e.start_date), "end_date": _day(e.end_date),
                       "created_by": e.created_by, "created_at": _time(e.created_at)},
        "company": {"name": company.name, "credit_code": company.credit_code, "address": company.address,
                    "industry": company.industry, "scope": company.scope, "contact": company.contact},
        "sites": [{"name": s.name, "kind": s.kind, "address": s.address, "contracted": s.contracted} for s in sites],
        "team": [{"name": m.name, "role": m.role} for m in overview.team],
        **_special_items(specials, keys),
        "nonconformities": _nonconformities(session, engagement_id, keys, site_names, refs),
        **_evidence(session, records, site_names),
        "rating_history": _rating_history(session, engagement_id),
        **sampling_plain(session, engagement_id),
        **samples_plain(session, engagement_id),
    }


def evidence_ref(evidence: Evidence) -> dict:
    """How a snapshot names one evidence record: the file's hash and the moment of that upload."""
    return {"sha256": evidence.sha256, "uploaded_at": _time(evidence.uploaded_at)}


def _stamp(row: ClauseRating) -> dict:
    return {"finding": row.finding, "rated_by": row.updated_by, "rated_at": _time(row.updated_at)}


def _special_items(specials: list[SpecialItem], keys: dict[int, str]) -> dict:
    active = [i for i in specials if i.withdrawn_at is None]
    return {
        "special_deductions": [_special(i, keys) for i in active if i.kind == SpecialKind.DEDUCTION],
        "special_bonus": [_special(i, keys) for i in active if i.kind == SpecialKind.BONUS],
        "withdrawn_special_items": [_special(i, keys) | {"kind": i.kind, "withdrawn_by": i.withdrawn_by,
                                                         "withdrawn_at": _time(i.withdrawn_at),
                                                         "withdrawn_reason": i.withdrawn_reason}
                                    for i in specials if i.withdrawn_at is not None],
    }


def _special(item: SpecialItem, keys: dict[int, str]) -> dict:
    return {"key": keys[item.id], "reason": item.reason, "code": item.code, "category": item.category,
            "by": item.created_by, "at": _time(item.created_at)}


def _nonconformities(session: Session, engagement_id: int, keys: dict[int, str], site_names: dict[int, str],
                     refs: dict[int, dict]) -> list[dict]:
    ncs = list(session.exec(select(Nonconformity).where(Nonconformity.engagement_id == engagement_id)
                            .order_by(Nonconformity.number)))
    events = defaultdict(list)
    for ev in session.exec(select(NcEvent).where(NcEvent.nonconformity_id.in_([nc.id for nc in ncs] or [-1]))
                           .order_by(NcEvent.id)):
        events[ev.nonconformity_id].append(ev)
    return [{"number": nc.number, "code": nc.code, "severity": nc.severity, "status": nc.state,
             "special_item": keys.get(nc.special_item_id), "site": site_names.get(nc.site_id),
             "finding": nc.finding, "requirement": nc.requirement, "evidence_seen": nc.evidence_seen,
             "due_date": _day(nc.due_date), "raised_by": nc.raised_by, "raised_at": _time(nc.raised_at),
             "acknowledged_by": nc.acknowledged_by, "acknowledged_on": _day(nc.acknowledged_on),
             "acknowledgement_note": nc.acknowledgement_note,
             "acknowledgement_entered_by": nc.acknowledgement_entered_by,
             "planned_completion": _day(nc.planned_completion),
             "history": [{"event": ev.event, "from": ev.from_state, "to": ev.to_state, "by": ev.by,
                          "at": _time(ev.at), "comment": ev.comment, "details": _details(ev.details, refs)}
                         for ev in events[nc.id]]} for nc in ncs]


def _details(details: dict, refs: dict[int, dict]) -> dict:
    """A history step's details; the rectification's evidence ids become the records' names."""
    if "evidence_ids" not in details:
        return details
    named = sorted((refs[i] for i in details["evidence_ids"] if i in refs),
                   key=lambda r: (r["uploaded_at"], r["sha256"]))
    return {k: v for k, v in details.items() if k != "evidence_ids"} | {"evidence": named}


def _evidence(session: Session, records: list[Evidence], site_names: dict[int, str]) -> dict:
    links = defaultdict(list)
    for link in session.exec(select(EvidenceLink).where(EvidenceLink.evidence_id.in_([e.id for e in records] or [-1]))
                             .order_by(EvidenceLink.id)):
        links[link.evidence_id].append(link)
    out = {"evidence": [], "removed_evidence": []}
    for ev in records:
        item = {"name": ev.name, "sha256": ev.sha256, "size": ev.size, "kind": ev.kind,
                "codes": sorted({link.code for link in links[ev.id] if link.unlinked_at is None}),
                "links": [_link(link) for link in links[ev.id]], "site": site_names.get(ev.site_id),
                "uploaded_by": ev.uploaded_by, "uploaded_at": _time(ev.uploaded_at), "note": ev.note}
        if ev.removed_at is None:
            out["evidence"].append(item)
        else:
            out["removed_evidence"].append(item | {"removed_by": ev.removed_by, "removed_at": _time(ev.removed_at),
                                                   "removed_reason": ev.removed_reason})
    return out


def _link(link: EvidenceLink) -> dict:
    """A link to the clause as a whole (item null) or to the n-th item (from 1) of its evidence checklist."""
    out = {"code": link.code, "item": None if link.item == GENERAL else link.item + 1, "by": link.linked_by,
           "at": _time(link.linked_at)}
    if link.unlinked_at is not None:
        out |= {"unlinked_by": link.unlinked_by, "unlinked_at": _time(link.unlinked_at)}
    return out


def _rating_history(session: Session, engagement_id: int) -> list[dict]:
    return [{"code": c.code, "version": c.version, "before": c.before, "after": c.after, "by": c.changed_by,
             "at": _time(c.changed_at), **({"reason": c.reason} if c.reason else {})}
            for c in session.exec(select(RatingChange).where(RatingChange.engagement_id == engagement_id)
                                  .order_by(RatingChange.id))]


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
