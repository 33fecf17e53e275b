"""How a company's engagements follow one another in its certification cycles (domain brief A7): the check of a
new engagement's link, and the engagements before and after one (`Engagement.previous_id`).

A surveillance belongs to a cycle: it names the cycle and the cycle's latest engagement, which it follows. A
recertification may name the cycle it renews, and a special audit the cycle it examines; an initial certification
or a pre-audit follows nothing. cycle/cycles.py chooses the cycle and its latest engagement (it owns the cycle
table); this check only keeps the link consistent with the rows it points at.
"""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event, audit
from errors import InvalidInput
from records.models import Company, Engagement, EngagementBase
from vocabulary import KIND_LABELS, EngagementKind

IN_CYCLE = frozenset({EngagementKind.SURVEILLANCE, EngagementKind.RECERTIFICATION, EngagementKind.SPECIAL})
OUTSIDE_CYCLE = "监督评价必须属于该企业的一个认证周期：请先选择认证周期（企业获证后才有认证周期）"
LONGEST_CHAIN = 1000  # a guard against a broken chain, far beyond any company's history


def checked_link(session: Session, base: EngagementBase, company: Company, cycle_id: int | None,
                 previous_id: int | None) -> Engagement | None:
    """The engagement a new one follows, once the link is allowed; None when it follows none."""
    if cycle_id is None and previous_id is None:
        if base.kind == EngagementKind.SURVEILLANCE:
            raise InvalidInput(OUTSIDE_CYCLE)
        return None
    if base.kind not in IN_CYCLE:
        raise InvalidInput(f"{KIND_LABELS[EngagementKind(base.kind)]}不接续已有的认证周期")
    previous = session.get(Engagement, previous_id) if previous_id is not None else None
    if previous is None or cycle_id is None or previous.cycle_id != cycle_id or previous.company_id != company.id:
        raise InvalidInput(f"所选认证周期不属于 {company.name}")
    return previous


def audit_link(session: Session, engagement: Engagement, previous: Engagement, by: Actor) -> None:
    """The link, in the audit log, in the transaction that creates the engagement."""
    audit(session, username=by.username or by.name, action=Event.CYCLE_LINKED,
          target=f"评价项目 {engagement.id}《{engagement.title}》",
          detail=f"认证周期 {engagement.cycle_id}，接续评价项目 {previous.id}《{previous.title}》"
                 f"（{KIND_LABELS[EngagementKind(previous.kind)]}）")


def followers(session: Session, engagement_id: int) -> list[Engagement]:
    """The engagements that follow this one (transitively), oldest first."""
    found: list[Engagement] = []
    frontier = [engagement_id]
    while frontier and len(found) < LONGEST_CHAIN:
        later = list(session.exec(select(Engagement).where(Engagement.previous_id.in_(frontier))
                                  .order_by(Engagement.id)))
        found += later
        frontier = [e.id for e in later]
    return found


def predecessors(session: Session, engagement: Engagement) -> list[Engagement]:
    """The engagements this one follows (transitively), the nearest first."""
    found: list[Engagement] = []
    while engagement.previous_id is not None and len(found) < LONGEST_CHAIN:
        engagement = session.get(Engagement, engagement.previous_id)
        found.append(engagement)
    return found
