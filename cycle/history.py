"""What the company page of the cycle draws: the timeline's spans (engagements, certificates, surveillance windows)
and the score of each first-level indicator over the company's engagements, both as plain data
(cycle/timeline.py) gathered from the cycles the actor may see."""
from __future__ import annotations

from sqlmodel import Session

from accounts.actor import Actor
from criteria.registry import TreeRegistry
from cycle.certificate_store import default_trees
from cycle.cycles import CompanyCycles, surveillance_schedule
from cycle.timeline import (
    CertificateDates,
    EngagementDates,
    ScoredEngagement,
    Span,
    WindowDates,
    timeline_spans,
)
from dossier.assessment import engagement_result
from errors import TreeNotFound
from vocabulary import KIND_LABELS, EngagementKind


def company_timeline(session: Session, seen: CompanyCycles, *, by: Actor, trees: TreeRegistry | None = None,
                     today=None) -> list[Span]:
    """The spans of the company's timeline, from its cycles as `cycles_of_company` gave them to the actor."""
    lines = [line for view in seen.cycles for line in view.engagements] + seen.outside
    engagements = [EngagementDates(e.id, e.kind, e.title, e.start_date, e.end_date, e.created_at.date(),
                                   d.decided_on if d else None) for e, d in ((x.engagement, x.decision) for x in lines)]
    certificates = [CertificateDates(c.number, c.issued_on, c.expires_on, c.state)
                    for view in seen.cycles for c in view.certificates]
    windows = [WindowDates(s.number, s.window, s.done_by) for view in seen.cycles
               for s in surveillance_schedule(session, view.cycle.id, by=by, trees=trees, today=today)]
    return timeline_spans(sorted(engagements, key=lambda e: e.engagement_id), certificates, windows)


def indicator_history(session: Session, seen: CompanyCycles, *, by: Actor,
                      trees: TreeRegistry | None = None) -> list[ScoredEngagement]:
    """Each certification engagement the actor sees that has a rating: its percent per first-level indicator,
    dated by its decision, else its end, start or creation day."""
    trees = trees or default_trees()
    scored = []
    for line in [line for view in seen.cycles for line in view.engagements] + seen.outside:
        e = line.engagement
        if e.kind == EngagementKind.PRE_AUDIT:
            continue
        try:
            result = engagement_result(session, e.id, trees.get(e.tree_ref), by=by)
        except TreeNotFound:
            continue
        if not result.rated:
            continue
        on = line.decision.decided_on if line.decision else e.end_date or e.start_date or e.created_at.date()
        scored.append(ScoredEngagement(f"{KIND_LABELS[EngagementKind(e.kind)]}（项目 {e.id}）", on,
                                       {f"{s.code} {s.name}": s.percent for s in result.subtotals_at(1)
                                        if s.applicable}))
    return scored
