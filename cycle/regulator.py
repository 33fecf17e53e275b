"""The regulator's monthly report (CNCA unified platform) as plain rows: the plans whose visit falls in the month,
the certificates issued or changed in it, and the decisions taken in it. Pre-audits are never reported.

Each row is a dict with exactly the fields exports/regulator.py lists for its sheet (FIELDS); the mapping file
decides which of them become columns, in which order and format.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from accounts.access import require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from criteria.registry import TreeRegistry
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_store import default_trees
from cycle.models import Certificate, CertificateEvent, EvaluationPlan, PlanVersion
from errors import InvalidInput, TreeNotFound
from records.models import CertificationDecision, Company, Engagement, Recommendation, Site, TeamMember
from vocabulary import (
    CERTIFICATE_MOVE_LABELS,
    CERTIFICATE_STATE_LABELS,
    CERTIFICATION_OUTCOME_LABELS,
    KIND_LABELS,
    RECOMMENDATION_LABELS,
    EngagementKind,
    TeamRole,
)


def regulator_rows(session: Session, *, year: int, month: int, by: Actor,
                   trees: TreeRegistry | None = None) -> dict[str, list[dict]]:
    """The month's three sheets as rows, for those who may view the programme; the export is audited."""
    require(session, by, Action.VIEW_PROGRAMME)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise InvalidInput("请选择有效的月份")
    first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    facts = _Facts(session, trees or default_trees())
    data = {"plans": _plans(facts, first, last), "certificates": _certificates(facts, first, last),
            "results": _results(facts, first, last)}
    audit(session, username=by.username or by.name, action=Event.REGULATOR_EXPORTED, target=f"{year}-{month:02d}",
          detail=f"审核计划 {len(data['plans'])} 条，证书 {len(data['certificates'])} 条，"
                 f"审核结果 {len(data['results'])} 条")
    session.commit()
    return data


class _Facts:
    """The engagements (not pre-audits) with their company, plan, team and tree, read once."""

    def __init__(self, session: Session, trees: TreeRegistry):
        self.session, self.trees = session, trees
        self.engagements = {e.id: e for e in session.exec(
            select(Engagement).where(Engagement.kind != EngagementKind.PRE_AUDIT))}
        self.companies = {c.id: c for c in session.exec(select(Company))}
        self.sites = dict(session.exec(select(Site.id, Site.name)).all())
        self.plans: dict[int, tuple[EvaluationPlan, PlanVersion, date | None]] = {}
        for plan, version in session.exec(select(EvaluationPlan, PlanVersion).join(
                PlanVersion, PlanVersion.plan_id == EvaluationPlan.id).order_by(PlanVersion.version)):
            sent = version.sent_on or (self.plans[plan.engagement_id][2] if plan.engagement_id in self.plans else None)
            self.plans[plan.engagement_id] = (plan, version, sent)
        self.team: dict[int, list[TeamMember]] = defaultdict(list)
        for member in session.exec(select(TeamMember).order_by(TeamMember.id)):
            self.team[member.engagement_id].append(member)

    def visit(self, engagement: Engagement) -> tuple[date | None, date | None]:
        """The visit's dates: the latest plan version's, else the engagement's."""
        version = self.plans.get(engagement.id, (None, None, None))[1]
        if version is not None and version.visit_start is not None:
            return version.visit_start, version.visit_end or version.visit_start
        return engagement.start_date, engagement.end_date or engagement.start_date

    def engagement_fields(self, engagement: Engagement) -> dict:
        company = self.companies[engagement.company_id]
        plan, version, sent = self.plans.get(engagement.id, (None, None, None))
        start, end = self.visit(engagement)
        members = self.team[engagement.id]
        try:
            tree = self.trees.get(engagement.tree_ref)
            standard, scheme = tree.standard, tree.title
        except TreeNotFound:
            standard, scheme = "", engagement.tree_ref
        return {"engagement_id": engagement.id, "plan_number": plan.number if plan else "",
                "company_name": company.name, "credit_code": company.credit_code,
                "company_address": company.address, "standard": standard, "scheme": scheme,
                "kind": KIND_LABELS[engagement.kind], "visit_start": start, "visit_end": end,
                "lead_assessor": "、".join(m.name for m in members if m.role == TeamRole.LEAD_ASSESSOR),
                "team": "、".join(m.name for m in members),
                "sites": "、".join(self.sites.get(i, str(i)) for i in (version.site_ids if version else [])),
                "plan_sent_on": sent}


def _plans(facts: _Facts, first: date, last: date) -> list[dict]:
    rows = []
    for engagement in facts.engagements.values():
        start, end = facts.visit(engagement)
        if start is not None and start <= last and (end or start) >= first:
            rows.append(facts.engagement_fields(engagement))
    return sorted(rows, key=lambda r: (r["visit_start"], r["engagement_id"]))


def _certificates(facts: _Facts, first: date, last: date) -> list[dict]:
    events: dict[int, list[CertificateEvent]] = defaultdict(list)
    for event in facts.session.exec(select(CertificateEvent).where(
            CertificateEvent.effective_on >= first, CertificateEvent.effective_on <= last).order_by(CertificateEvent.id)):
        events[event.certificate_id].append(event)
    certificates = facts.session.exec(select(Certificate).where(
        (col(Certificate.id).in_(list(events))) | ((Certificate.issued_on >= first) & (Certificate.issued_on <= last)))
        .order_by(Certificate.number)).all()
    return [{"certificate_number": c.number, "company_name": c.company_name, "credit_code": c.credit_code,
             "company_address": c.address, "standard": c.standard, "scheme": c.scheme, "services": c.services,
             "product_types": c.product_types, "star": _star(c.star), "sites": _site_names(c.sites),
             "issued_on": c.issued_on, "expires_on": c.expires_on,
             "state": CERTIFICATE_STATE_LABELS.get(c.state, c.state), "state_since": c.state_since,
             "state_reason": c.state_reason,
             "changes": "；".join(_event_text(e) for e in events[c.id]) or "颁发"} for c in certificates]


def _results(facts: _Facts, first: date, last: date) -> list[dict]:
    decisions = facts.session.exec(select(CertificationDecision, Recommendation).join(
        Recommendation, Recommendation.id == CertificationDecision.recommendation_id).where(
        CertificationDecision.decided_on >= first, CertificationDecision.decided_on <= last,
        col(CertificationDecision.engagement_id).in_(list(facts.engagements))).order_by(
        CertificationDecision.decided_on, CertificationDecision.id)).all()
    numbers = dict(facts.session.exec(select(Certificate.decision_id, Certificate.number).where(
        col(Certificate.decision_id).in_([d.id for d, _ in decisions]))).all())
    return [{**{k: v for k, v in facts.engagement_fields(facts.engagements[d.engagement_id]).items()
                if k not in ("company_address", "standard", "scheme", "team", "sites", "plan_sent_on")},
             "score": r.score, "recommendation": RECOMMENDATION_LABELS.get(r.kind, r.kind),
             "outcome": CERTIFICATION_OUTCOME_LABELS.get(d.outcome, d.outcome), "star": _star(d.star),
             "decided_on": d.decided_on, "decided_by": d.decided_by, "reasons": d.reasons,
             "certificate_number": numbers.get(d.id, "")} for d, r in decisions]


def _star(value: str | None) -> str:
    try:
        return STAR_LABELS[Star(value)]
    except ValueError:
        return value or ""


def _site_names(sites: list) -> str:
    return "、".join(str(s.get("name", "")) if isinstance(s, dict) else str(s) for s in sites)


def _event_text(event: CertificateEvent) -> str:
    what = CERTIFICATE_MOVE_LABELS.get(event.event, event.event)
    return f"{event.effective_on} {what}" + (f"（{event.reason}）" if event.reason else "")
