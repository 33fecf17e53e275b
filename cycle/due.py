"""What is due across companies (domain brief A6, A7), as plain items: the programme manager's view, each user's
attention list and the e-mail reminders all read `due_items`.

Items: the surveillance windows of valid certificates (from the decision date; a window is done once a
surveillance of the cycle covers it, by the company timeline's rule, timeline.assign_windows: decided, or before
its decision starting, from the window's opening until the next window opens), the recertification application
before expiry (done once a recertification engagement follows the cycle), plans not sent by their last day (the
latest version of a planned engagement's plan), suspensions near their limit, certificates expiring, and the
deadlines of nonconformities still waiting for the company. The dates are cycle/schedule.py's rules.

Who sees an item: whoever may see its engagement (a certificate's item, the engagement it was issued on), the
rule of accounts.access.visible_engagements, so a client never sees another company's items. Who is responsible:
the administrators (programme managers) for certificate and cycle items, and the company's client users too for
surveillance and recertification; the lead assessor for a plan; the company's client users and the team for a
nonconformity's deadline.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from accounts.access import require, visible_engagements
from accounts.actor import Actor
from accounts.models import User
from accounts.policy import Action
from criteria.registry import TreeRegistry
from criteria.scheme import DEFAULT_SCHEME, Scheme
from cycle import schedule
from cycle.certificate_store import default_trees
from cycle.models import Certificate, EvaluationPlan, PlanVersion
from cycle.timeline import DatedEngagement, assign_windows
from errors import TreeNotFound
from nonconformities.attention import SOON
from nonconformities.models import Nonconformity
from nonconformities.workflow import OPEN_FOR_CLIENT
from records.models import CertificationDecision, Company, Engagement, TeamMember
from vocabulary import (
    CertificateState,
    DueKind,
    DueState,
    EngagementKind,
    EngagementStatus,
    Role,
    TeamRole,
)

CERTIFICATE_KINDS = frozenset({DueKind.SURVEILLANCE, DueKind.RECERTIFICATION, DueKind.SUSPENSION_ENDING,
                               DueKind.CERTIFICATE_EXPIRY})


@dataclass(frozen=True)
class DueItem:
    key: str                      # stable: the same item has the same key every day (reminders, widget keys)
    kind: DueKind
    state: DueState
    due: date
    company_id: int
    company: str
    description: str
    responsible: frozenset[int]   # user ids
    engagement_id: int | None = None
    engagement: str = ""
    certificate_id: int | None = None
    certificate: str = ""


def due_items(session: Session, *, by: Actor, today: date, horizon_days: int = 60,
              trees: TreeRegistry | None = None) -> list[DueItem]:
    """Every item the actor may see that is due, overdue, or due within `horizon_days` (a surveillance window
    opening within it), soonest first."""
    context = _Context(session, by, trees or default_trees())
    limit = today + timedelta(days=horizon_days)
    items = [*_certificate_items(context, today, limit), *_plan_items(context, today),
             *_nonconformity_items(context, today, limit)]
    return sorted(items, key=lambda i: (i.due, i.kind, i.company, i.key))


def programme_items(session: Session, *, by: Actor, today: date, horizon_days: int = 60,
                    trees: TreeRegistry | None = None) -> list[DueItem]:
    """The programme manager's view: due_items, for those who may view the programme."""
    require(session, by, Action.VIEW_PROGRAMME)
    return due_items(session, by=by, today=today, horizon_days=horizon_days, trees=trees)


def responsible_for(items: Iterable[DueItem], user_id: int) -> list[DueItem]:
    return [i for i in items if user_id in i.responsible]


def filtered(items: Iterable[DueItem], *, kinds: Iterable[str] = (), company_ids: Iterable[int] = (),
             states: Iterable[str] = (), since: date | None = None, until: date | None = None) -> list[DueItem]:
    """The items of the chosen kinds, companies and states (none chosen: all) due within [since, until]."""
    kinds, company_ids, states = set(kinds), set(company_ids), set(states)
    return [i for i in items if (not kinds or i.kind in kinds) and (not company_ids or i.company_id in company_ids)
            and (not states or i.state in states) and (since is None or i.due >= since)
            and (until is None or i.due <= until)]


def per_month(items: Iterable[DueItem]) -> dict[tuple[str, DueKind], int]:
    """How many items fall due per month ("2026-12") and kind."""
    counts: dict[tuple[str, DueKind], int] = defaultdict(int)
    for item in items:
        counts[(item.due.strftime("%Y-%m"), item.kind)] += 1
    return dict(sorted(counts.items()))


class _Context:
    """What every kind of item reads: the engagements the actor may see, names, schemes and the people."""

    def __init__(self, session: Session, by: Actor, trees: TreeRegistry):
        self.session, self.trees = session, trees
        self.visible = select(Engagement.id).where(visible_engagements(session, by))
        self.companies = dict(session.exec(select(Company.id, Company.name)).all())
        self.admins = frozenset(session.exec(select(User.id).where(User.role == Role.ADMIN, User.active)))
        self.clients: dict[int, set[int]] = defaultdict(set)
        for user_id, company_id in session.exec(select(User.id, User.company_id).where(
                User.role == Role.CLIENT, User.active)):
            self.clients[company_id].add(user_id)
        self._schemes: dict[str, Scheme] = {}

    def scheme(self, tree_ref: str) -> Scheme:
        if tree_ref not in self._schemes:
            try:
                self._schemes[tree_ref] = self.trees.get(tree_ref).scheme
            except TreeNotFound:  # a tree file removed since: its engagements keep the standard's periods
                self._schemes[tree_ref] = DEFAULT_SCHEME
        return self._schemes[tree_ref]

    def team(self, engagement_ids: Iterable[int], *, leads_only: bool = False) -> dict[int, set[int]]:
        query = select(TeamMember.engagement_id, TeamMember.user_id).where(
            col(TeamMember.engagement_id).in_(list(engagement_ids)), col(TeamMember.user_id).is_not(None))
        if leads_only:
            query = query.where(TeamMember.role == TeamRole.LEAD_ASSESSOR)
        members: dict[int, set[int]] = defaultdict(set)
        for engagement_id, user_id in self.session.exec(query):
            members[engagement_id].add(user_id)
        return members


def _certificate_items(context: _Context, today: date, limit: date) -> list[DueItem]:
    rows = context.session.exec(
        select(Certificate, CertificationDecision.decided_on, Engagement)
        .join(CertificationDecision, CertificationDecision.id == Certificate.decision_id)
        .join(Engagement, Engagement.id == Certificate.engagement_id)
        .where(col(Certificate.state).in_([CertificateState.VALID, CertificateState.SUSPENDED]),
               col(Certificate.engagement_id).in_(context.visible))).all()
    if not rows:
        return []
    cycle = _CycleFacts(context.session, [certificate for certificate, _, _ in rows])
    items = []
    for certificate, decided_on, engagement in rows:
        scheme = context.scheme(engagement.tree_ref)
        base = _Base(context, certificate, engagement)
        if certificate.state == CertificateState.VALID:
            items += _surveillance(base, decided_on, cycle.surveillances(certificate), scheme, today, limit)
            items += _recertification(base, cycle.recertified(certificate), scheme, today, limit)
        else:
            items += _suspension(base, scheme, today)
        if certificate.expires_on <= limit:
            items.append(base.item(DueKind.CERTIFICATE_EXPIRY, certificate.expires_on,
                                   schedule.deadline_state(certificate.expires_on, today, SOON),
                                   f"证书 {certificate.number} 有效期至 {certificate.expires_on}", context.admins))
    return items


@dataclass(frozen=True)
class _Base:
    context: _Context
    certificate: Certificate
    engagement: Engagement

    def item(self, kind: DueKind, due: date, state: DueState, description: str, responsible: Iterable[int],
             suffix: str = "") -> DueItem:
        c = self.certificate
        return DueItem(key=f"{kind}-c{c.id}{suffix}", kind=kind, state=state, due=due, company_id=c.company_id,
                       company=self.context.companies.get(c.company_id, c.company_name), description=description,
                       responsible=frozenset(responsible), engagement_id=self.engagement.id,
                       engagement=self.engagement.title, certificate_id=c.id, certificate=c.number)

    @property
    def with_clients(self) -> frozenset[int]:
        return self.context.admins | self.context.clients.get(self.certificate.company_id, set())


def _surveillance(base: _Base, decided_on: date, surveillances: list[DatedEngagement], scheme: Scheme, today: date,
                  limit: date) -> list[DueItem]:
    windows = schedule.surveillances_in_validity(decided_on, base.certificate.expires_on, scheme)
    items = []
    for number, (window, cover) in enumerate(zip(windows, assign_windows(windows, surveillances), strict=True), 1):
        if cover is not None or window.opens > limit:
            continue
        items.append(base.item(
            DueKind.SURVEILLANCE, window.due, schedule.window_state(window, today),
            f"证书 {base.certificate.number} 第 {number} 次监督评价：应于 {window.opens} 至 {window.closes} 之间完成"
            f"（到期日 {window.due}）", base.with_clients, suffix=f"-{number}"))
    return items


def _recertification(base: _Base, done: bool, scheme: Scheme, today: date, limit: date) -> list[DueItem]:
    due = schedule.recertification_due(base.certificate.expires_on, scheme)
    if done or due > limit:
        return []
    return [base.item(DueKind.RECERTIFICATION, due, schedule.deadline_state(due, today, SOON),
                      f"证书 {base.certificate.number} 将于 {base.certificate.expires_on} 到期，"
                      f"再认证申请应于 {due} 前提出", base.with_clients)]


def _suspension(base: _Base, scheme: Scheme, today: date) -> list[DueItem]:
    since = base.certificate.state_since
    if not schedule.suspension_listed(since, today, scheme):
        return []
    ends = schedule.suspension_ends(since, scheme)
    return [base.item(DueKind.SUSPENSION_ENDING, ends, schedule.deadline_state(ends, today, SOON),
                      f"证书 {base.certificate.number} 自 {since} 暂停，暂停期最长至 {ends}，到期前应恢复或撤销",
                      base.context.admins)]


class _CycleFacts:
    """The engagements that follow each certificate in its cycle, and their decisions."""

    def __init__(self, session: Session, certificates: list[Certificate]):
        cycles = {c.cycle_id for c in certificates if c.cycle_id is not None}
        companies = {c.company_id for c in certificates}
        self.engagements = list(session.exec(select(Engagement).where(col(Engagement.company_id).in_(companies))))
        self.decided: dict[int, list[date]] = defaultdict(list)
        for engagement_id, decided_on in session.exec(
                select(CertificationDecision.engagement_id, CertificationDecision.decided_on).join(
                    Engagement, Engagement.id == CertificationDecision.engagement_id).where(
                    col(Engagement.company_id).in_(companies))):
            self.decided[engagement_id].append(decided_on)
        self.members = {cycle: {e.id for e in self.engagements if e.cycle_id == cycle} for cycle in cycles}

    def _following(self, certificate: Certificate, kind: EngagementKind) -> list[Engagement]:
        """Engagements of `kind` in the certificate's cycle, or following one of its engagements."""
        members = {certificate.engagement_id} | self.members.get(certificate.cycle_id, set())
        return [e for e in self.engagements if e.kind == kind and e.id != certificate.engagement_id
                and ((certificate.cycle_id is not None and e.cycle_id == certificate.cycle_id)
                     or e.previous_id in members)]

    def surveillances(self, certificate: Certificate) -> list[DatedEngagement]:
        """Each surveillance dated by its decision, or by its start before it is decided."""
        return [DatedEngagement(e.id, min(self.decided[e.id]) if self.decided[e.id] else e.start_date)
                for e in self._following(certificate, EngagementKind.SURVEILLANCE)]

    def recertified(self, certificate: Certificate) -> bool:
        return bool(self._following(certificate, EngagementKind.RECERTIFICATION))


def _plan_items(context: _Context, today: date) -> list[DueItem]:
    """Planned certification engagements whose latest plan version (or no plan at all) is unsent on or after
    its last day."""
    engagements = list(context.session.exec(select(Engagement).where(
        col(Engagement.id).in_(context.visible), Engagement.status == EngagementStatus.PLANNED,
        Engagement.kind != EngagementKind.PRE_AUDIT)))
    latest = _latest_versions(context.session, [e.id for e in engagements])
    leads = context.team([e.id for e in engagements], leads_only=True)
    items = []
    for engagement in engagements:
        version = latest.get(engagement.id)
        visit = (version.visit_start if version else None) or engagement.start_date
        if visit is None or (version is not None and version.sent_on is not None):
            continue
        scheme = context.scheme(engagement.tree_ref)
        state = schedule.plan_state(visit, today, scheme)
        if state is None:
            continue
        deadline = schedule.plan_deadline(visit, scheme)
        what = "评价计划尚未编制" if version is None else f"评价计划第 {version.version} 版尚未发送"
        items.append(DueItem(
            key=f"{DueKind.PLAN_NOT_SENT}-e{engagement.id}", kind=DueKind.PLAN_NOT_SENT, state=state, due=deadline,
            company_id=engagement.company_id, company=context.companies.get(engagement.company_id, ""),
            description=f"《{engagement.title}》现场评价 {visit} 开始，计划应于 {deadline} 前送达企业：{what}",
            responsible=frozenset(leads.get(engagement.id, ())), engagement_id=engagement.id,
            engagement=engagement.title))
    return items


def _latest_versions(session: Session, engagement_ids: list[int]) -> dict[int, PlanVersion]:
    latest: dict[int, PlanVersion] = {}
    for engagement_id, version in session.exec(
            select(EvaluationPlan.engagement_id, PlanVersion).join(PlanVersion, PlanVersion.plan_id == EvaluationPlan.id)
            .where(col(EvaluationPlan.engagement_id).in_(engagement_ids)).order_by(PlanVersion.version)):
        latest[engagement_id] = version
    return latest


def _nonconformity_items(context: _Context, today: date, limit: date) -> list[DueItem]:
    rows = context.session.exec(
        select(Nonconformity, Engagement).join(Engagement, Engagement.id == Nonconformity.engagement_id).where(
            col(Nonconformity.state).in_(list(OPEN_FOR_CLIENT)), col(Nonconformity.due_date).is_not(None),
            col(Nonconformity.due_date) <= limit, col(Nonconformity.engagement_id).in_(context.visible))).all()
    team = context.team({e.id for _, e in rows})
    return [DueItem(
        key=f"{DueKind.NC_DEADLINE}-n{nc.id}", kind=DueKind.NC_DEADLINE,
        state=schedule.deadline_state(nc.due_date, today, SOON), due=nc.due_date, company_id=engagement.company_id,
        company=context.companies.get(engagement.company_id, ""),
        description=f"不符合项 NC-{nc.number:02d}（{nc.code or '特别扣分项'}）应于 {nc.due_date} 前完成整改",
        responsible=frozenset(context.clients.get(engagement.company_id, set()) | team.get(engagement.id, set())),
        engagement_id=engagement.id, engagement=engagement.title) for nc, engagement in rows]
