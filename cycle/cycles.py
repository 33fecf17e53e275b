"""A company's certification cycles (domain brief A7): creating an engagement in a cycle, reading the cycles with
their engagements, decisions and certificates, and the surveillance schedule of a cycle.

A cycle is opened by the certificate of an initial certification or a recertification (cycle/certificates.py).
A surveillance is created in one of the company's cycles and follows the cycle's latest engagement; a
recertification may name the cycle it renews, a special audit the cycle it examines (audits/chain.py keeps the
link consistent). What a later engagement starts from (open nonconformities, last scores, evidence) is
cycle/carry_over.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from accounts.access import permits, require, visible_engagements
from accounts.actor import Actor
from accounts.policy import Action
from audits.companies import get_company
from audits.engagements import create_engagement
from criteria.model import Tree
from criteria.registry import TreeRegistry
from cycle.certificate_store import default_trees
from cycle.models import Certificate, CertificationCycle
from cycle.schedule import Window, surveillances_in_validity
from cycle.timeline import DatedEngagement, assign_windows
from errors import InvalidInput, NotFound
from records.models import CertificationDecision, Company, Engagement
from timefmt import local_today
from vocabulary import CertificationOutcome, EngagementKind


@dataclass(frozen=True)
class EngagementLine:
    """An engagement of the company with its standing decision, as the cycle page shows it."""

    engagement: Engagement
    decision: CertificationDecision | None


@dataclass(frozen=True)
class CycleView:
    cycle: CertificationCycle
    number: int                          # the company's first, second, ... cycle
    engagements: list[EngagementLine]    # in the order they follow one another
    certificates: list[Certificate]


@dataclass(frozen=True)
class CompanyCycles:
    company: Company
    cycles: list[CycleView]
    outside: list[EngagementLine]        # pre-audits, and certifications not (yet) in a cycle


@dataclass(frozen=True)
class ScheduledSurveillance:
    number: int
    window: Window
    state: str                           # Window.state: early, open or overdue
    done_by: int | None                  # the surveillance engagement that covers it


@dataclass(frozen=True)
class CycleChoice:
    """A cycle offered for a new engagement, with the company it belongs to."""

    cycle_id: int
    company_id: int
    label: str


def create_in_cycle(session: Session, *, cycle_id: int, data: dict, tree: Tree, team: list[dict],
                    by: Actor) -> Engagement:
    """Create a surveillance, recertification or special audit in the company's cycle `cycle_id`, following the
    cycle's latest engagement. The company is the cycle's (a different one named in `data` is refused)."""
    cycle = session.get(CertificationCycle, cycle_id)
    if cycle is None:
        raise NotFound(f"未找到认证周期 {cycle_id}")
    named = data.get("company_id")
    if named is not None and named != cycle.company_id:
        raise InvalidInput("所选认证周期不属于该企业：监督评价必须属于该企业的一个认证周期")
    return create_engagement(session, data={**data, "company_id": cycle.company_id}, tree=tree, team=team, by=by,
                             cycle_id=cycle.id, previous_id=latest_engagement(session, cycle.id).id)


def latest_engagement(session: Session, cycle_id: int) -> Engagement:
    """The engagement a new one of the cycle follows: the cycle's most recently created."""
    latest = session.exec(select(Engagement).where(Engagement.cycle_id == cycle_id)
                          .order_by(col(Engagement.id).desc())).first()
    if latest is None:
        raise InvalidInput(f"认证周期 {cycle_id} 尚无评价项目")
    return latest


def cycle_choices(session: Session, *, by: Actor, kind: str = EngagementKind.SURVEILLANCE) -> list[CycleChoice]:
    """The cycles of active companies in which `by` may create an engagement of `kind`, newest first."""
    rows = session.exec(select(CertificationCycle, Company).join(Company, Company.id == CertificationCycle.company_id)
                        .where(Company.active).order_by(Company.name, col(CertificationCycle.id).desc())).all()
    numbers = _cycle_numbers(session, {company.id for _, company in rows})
    choices = []
    for cycle, company in rows:
        if not permits(session, by, Action.CREATE_ENGAGEMENT, company_id=company.id, kind=kind):
            continue
        certificate = session.exec(select(Certificate.number).where(Certificate.cycle_id == cycle.id)
                                   .order_by(Certificate.id)).first()
        choices.append(CycleChoice(cycle.id, company.id, f"{company.name} · 第 {numbers[cycle.id]} 个认证周期"
                                   + (f"（证书 {certificate}）" if certificate else "")))
    return choices


def _cycle_numbers(session: Session, company_ids: set[int]) -> dict[int, int]:
    """Each cycle's place among its company's cycles (1 for the first)."""
    numbers, counts = {}, {}
    for cycle in session.exec(select(CertificationCycle).where(col(CertificationCycle.company_id).in_(company_ids))
                              .order_by(CertificationCycle.id)):
        counts[cycle.company_id] = counts.get(cycle.company_id, 0) + 1
        numbers[cycle.id] = counts[cycle.company_id]
    return numbers


def cycles_of_company(session: Session, company_id: int, *, by: Actor) -> CompanyCycles:
    """The company's cycles, oldest first, each with the engagements the actor may see (in the order they follow
    one another), their decisions and the cycle's certificates; and the engagements in no cycle."""
    company = get_company(session, company_id, by=by)
    engagements = list(session.exec(select(Engagement).where(Engagement.company_id == company_id,
                                                             visible_engagements(session, by))
                                    .order_by(Engagement.id)))
    decisions = _decisions(session, [e.id for e in engagements])
    lines = [EngagementLine(e, decisions.get(e.id)) for e in engagements]
    cycles = list(session.exec(select(CertificationCycle).where(CertificationCycle.company_id == company_id)
                               .order_by(CertificationCycle.id)))
    views = []
    for number, cycle in enumerate(cycles, 1):
        certificates = list(session.exec(select(Certificate).where(Certificate.cycle_id == cycle.id)
                                         .order_by(Certificate.id)))
        views.append(CycleView(cycle, number, [line for line in lines if line.engagement.cycle_id == cycle.id],
                               certificates))
    return CompanyCycles(company, views, [line for line in lines if line.engagement.cycle_id is None])


def _decisions(session: Session, engagement_ids: list[int]) -> dict[int, CertificationDecision]:
    """Each engagement's latest decision."""
    found = {}
    for decision in session.exec(select(CertificationDecision)
                                 .where(col(CertificationDecision.engagement_id).in_(engagement_ids))
                                 .order_by(CertificationDecision.id)):
        found[decision.engagement_id] = decision
    return found


def surveillance_schedule(session: Session, cycle_id: int, *, by: Actor, trees: TreeRegistry | None = None,
                          today: date | None = None) -> list[ScheduledSurveillance]:
    """The surveillance windows of the cycle's certificate (cycle/schedule.py, counted from the approving decision
    that opened the cycle, under the scheme of its engagement's tree) and which surveillance covers each: one
    decided (or, before its decision, starting) from the window's opening until the next window opens."""
    cycle = session.get(CertificationCycle, cycle_id)
    if cycle is None:
        raise NotFound(f"未找到认证周期 {cycle_id}")
    require(session, by, Action.VIEW_COMPANY, company_id=cycle.company_id)
    opening = session.get(Engagement, cycle.opened_by_engagement_id)
    decision = _decisions(session, [opening.id]).get(opening.id) if opening else None
    certificate = session.exec(select(Certificate).where(Certificate.cycle_id == cycle_id)
                               .order_by(Certificate.id)).first()
    if decision is None or decision.outcome != CertificationOutcome.APPROVE or certificate is None:
        return []
    scheme = (trees or default_trees()).get(opening.tree_ref).scheme
    windows = surveillances_in_validity(decision.decided_on, certificate.expires_on, scheme)
    surveillances = session.exec(select(Engagement).where(Engagement.cycle_id == cycle_id,
                                                          Engagement.kind == EngagementKind.SURVEILLANCE)
                                 .order_by(Engagement.id)).all()
    decided = _decisions(session, [e.id for e in surveillances])
    dated = [DatedEngagement(e.id, decided[e.id].decided_on if e.id in decided else e.start_date)
             for e in surveillances]
    today = today or local_today()
    return [ScheduledSurveillance(n, w, w.state(today), done)
            for n, (w, done) in enumerate(zip(windows, assign_windows(windows, dated), strict=True), 1)]
