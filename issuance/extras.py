"""What an engagement's documents print beyond its snapshot, gathered as plain values (exports/report_extras.py
prints them): the plan's objectives and criteria, the sites visited and when, the team's recommendation, the
scheme rules that applied, and for a surveillance what was verified since the last visit, the reported changes
and the previous scores. The caller has checked that the actor may see the engagement."""
from __future__ import annotations

from sqlmodel import Session, col, select

from audits.chain import predecessors
from audits.decisions import describe_decision, describe_recommendation, standing_recommendation
from criteria.model import Tree
from cycle.models import EvaluationPlan, PlanVersion, ReportedChange
from evidence.models import Evidence, EvidenceLink
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.workflow import DONE, EVENT_LABELS
from nonconformities.workflow import Event as NcMove
from records.models import CertificationDecision, ClauseRating, Engagement, Site
from sampling.visits import visit_lines
from timefmt import local_date
from vocabulary import (
    CHANGE_KIND_LABELS,
    CHANGE_RESPONSE_LABELS,
    NC_STATE_LABELS,
    SEVERITY_LABELS,
    ClauseStatus,
    EngagementKind,
    Severity,
)


def document_extras(session: Session, engagement: Engagement, tree: Tree, *, previous_scores: dict) -> dict:
    """`previous_scores`: code -> (earned, applicable) in the engagement this one follows (cycle.carry_over)."""
    scheme = tree.scheme
    extras = {
        "plan": _plan(session, engagement.id),
        "visits": [{"site": v.site.name, "day": v.visited_on.isoformat(), "by": v.visited_by}
                   for v in visit_lines(session, engagement.id)],
        "recommendation": _recommendation(session, engagement.id),
        "decision": _decision(session, engagement.id),
        "rules": [f"特别扣分项达到 {scheme.failing_deductions} 项及以上为评价不合格",
                  f"删减条款的分值不超过指标体系总分的 {float(scheme.exclusion_cap_percent):g}%"]
        + (["初次认证星级以达标级为上限（认证方案规定）"] if scheme.cap_first_certification
           and engagement.kind == EngagementKind.INITIAL else []),
        "carried": [], "changes": [], "previous": previous_scores,
    }
    if engagement.kind == EngagementKind.PRE_AUDIT:
        extras["missing"] = _missing(session, engagement.id, tree)
    if engagement.previous_id is not None:
        extras["carried"] = _carried(session, engagement)
        extras["changes"] = _changes(session, engagement)
    return extras


def _missing(session: Session, engagement_id: int, tree: Tree) -> list[dict]:
    """Each item of a clause's evidence checklist that no file covers yet (a file linked to the clause as a whole
    covers none of its items): the documents and records a pre-audit still misses. Excluded clauses are left out."""
    covered: dict[str, set[int]] = {}
    for code, item in session.exec(select(EvidenceLink.code, EvidenceLink.item)
                                   .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
                                   .where(Evidence.engagement_id == engagement_id, col(Evidence.removed_at).is_(None),
                                          col(EvidenceLink.unlinked_at).is_(None))):
        covered.setdefault(code, set()).add(item)
    excluded = set(session.exec(select(ClauseRating.code).where(ClauseRating.engagement_id == engagement_id,
                                                                ClauseRating.status == ClauseStatus.EXCLUDED)))
    return [{"code": leaf.code, "name": leaf.name, "item": text} for leaf in tree.leaves() if leaf.code not in excluded
            for number, text in enumerate(leaf.evidence) if number not in covered.get(leaf.code, set())]


def _plan(session: Session, engagement_id: int) -> dict | None:
    found = session.exec(select(PlanVersion, EvaluationPlan.number)
                         .join(EvaluationPlan, EvaluationPlan.id == PlanVersion.plan_id)
                         .where(EvaluationPlan.engagement_id == engagement_id, col(PlanVersion.sent_on).is_not(None))
                         .order_by(col(PlanVersion.version).desc())).first()
    if found is None:
        return None
    version, number = found
    sites = {s.id: s.name for s in session.exec(select(Site).where(col(Site.id).in_(version.site_ids or [-1])))}
    return {"number": number, "version": version.version, "sent_on": f"{version.sent_on:%Y-%m-%d}",
            "sent_by": version.sent_by or "", "objectives": version.objectives, "scope": version.scope,
            "criteria": version.criteria,
            "visit": " 至 ".join(d.isoformat() for d in (version.visit_start, version.visit_end) if d),
            "sites": [sites[i] for i in version.site_ids if i in sites]}


def _recommendation(session: Session, engagement_id: int) -> dict | None:
    standing = standing_recommendation(session, engagement_id)
    if standing is None:
        return None
    return {"text": describe_recommendation(standing), "conditions": standing.conditions,
            "by": standing.recorded_by, "day": local_date(standing.recorded_at).isoformat()}


def _decision(session: Session, engagement_id: int) -> dict | None:
    """The certification decision once taken (the result letter prints it)."""
    decision = session.exec(select(CertificationDecision).where(CertificationDecision.engagement_id == engagement_id)
                            .order_by(col(CertificationDecision.id).desc())).first()
    if decision is None:
        return None
    return {"text": describe_decision(decision), "day": decision.decided_on.isoformat(), "by": decision.decided_by,
            "reasons": decision.reasons}


def _carried(session: Session, engagement: Engagement) -> list[dict]:
    """The earlier engagements' nonconformities this visit had to verify: open when it began, or moved since."""
    earlier = {e.id: e for e in predecessors(session, engagement)}
    rows = []
    ncs = session.exec(select(Nonconformity).where(col(Nonconformity.engagement_id).in_(list(earlier) or [-1]),
                                                   Nonconformity.severity != Severity.OBSERVATION)
                       .order_by(Nonconformity.engagement_id, Nonconformity.number))
    for nc in ncs:
        last = session.exec(select(NcEvent).where(NcEvent.nonconformity_id == nc.id)
                            .order_by(col(NcEvent.id).desc())).first()
        moved_since = last is not None and last.at >= engagement.created_at
        if nc.state in DONE and not moved_since:
            continue
        rows.append({"number": f"NC-{nc.number:02d}", "from": earlier[nc.engagement_id].title, "code": nc.code or "",
                     "severity": SEVERITY_LABELS[nc.severity], "finding": nc.finding,
                     "status": NC_STATE_LABELS[nc.state],
                     "verification": _verification(last) if moved_since else "尚未验证"})
    return rows


def _verification(event: NcEvent) -> str:
    move = EVENT_LABELS.get(NcMove(event.event), event.event) if event.event in set(NcMove) else event.event
    return "，".join(part for part in (f"{move}（{event.by}，{local_date(event.at).isoformat()}）", event.comment)
                     if part)


def _changes(session: Session, engagement: Engagement) -> list[dict]:
    previous = session.get(Engagement, engagement.previous_id)
    since = previous.created_at if previous else engagement.created_at
    changes = session.exec(select(ReportedChange).where(ReportedChange.company_id == engagement.company_id,
                                                        ReportedChange.recorded_at >= since)
                           .order_by(ReportedChange.reported_on))
    return [{"kind": CHANGE_KIND_LABELS[c.kind], "description": c.description, "day": c.reported_on.isoformat(),
             "response": CHANGE_RESPONSE_LABELS[c.response], "note": c.response_note} for c in changes]
