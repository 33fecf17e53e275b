"""Use cases for the sites visited: record a visit (the day, the team member), withdraw one, list them.

A visit is to a site of the engagement's latest sampling plan, by a member of its team; the lead (or an
administrator: MANAGE_ENGAGEMENT) records it. A visit recorded by mistake is withdrawn with a reason and stays.
Whoever may view the engagement reads the visits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from errors import InvalidInput, NotFound
from records.models import Site, TeamMember, utcnow
from sampling.models import SamplingPlanVersion, SiteVisit
from textclean import clean_text
from vocabulary import SETTLED, Limit


@dataclass(frozen=True)
class VisitLine:
    site: Site
    visited_on: date
    visited_by: str
    visit_id: int


def record_visit(session: Session, *, engagement_id: int, site_id: int, visited_on: date, visited_by: str,
                 by: Actor) -> SiteVisit:
    visited_by = clean_text(visited_by)
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if scope.engagement.status in SETTLED:
            raise InvalidInput("已作出认证决定的项目不能再记录场所访问")
        latest = session.exec(select(SamplingPlanVersion).where(SamplingPlanVersion.engagement_id == engagement_id)
                              .order_by(SamplingPlanVersion.version.desc())).first()
        if latest is None:
            raise InvalidInput("请先保存抽样方案，再记录场所访问")
        site = session.get(Site, site_id)
        if site is None or site.company_id != scope.engagement.company_id:
            raise InvalidInput(f"场所 {site_id} 不是受评价企业的场所")
        if site_id not in {r["site_id"] for r in latest.sites}:
            raise InvalidInput(f"{site.name} 不在抽样方案第 {latest.version} 版中；请先修改抽样方案并写明理由")
        team = set(session.exec(select(TeamMember.name).where(TeamMember.engagement_id == engagement_id)))
        if visited_by not in team:
            raise InvalidInput(f"访问人须是本项目评价组成员，而不是 {visited_by or '（未填写）'}")
        visit = SiteVisit(engagement_id=engagement_id, site_id=site_id, visited_on=visited_on, visited_by=visited_by,
                          recorded_by=by.name)
        session.add(visit)
        session.flush()
        scope.audit(Event.SITE_VISITED, detail=f"{site.name}：{visited_on:%Y-%m-%d}，{visited_by}")
    return visit


def withdraw_visit(session: Session, *, visit_id: int, reason: str, by: Actor) -> SiteVisit:
    reason = clean_text(reason)
    visit = session.get(SiteVisit, visit_id)
    if visit is None:
        raise NotFound(f"未找到场所访问记录 {visit_id}")
    if not reason or len(reason) > Limit.SHORT:
        raise InvalidInput(f"撤销访问记录须写明理由（不超过 {Limit.SHORT} 字）")
    with engagement_scope(session, visit.engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if visit.withdrawn_at is not None:
            raise InvalidInput("该访问记录已撤销")
        visit.withdrawn_by, visit.withdrawn_at, visit.withdrawn_reason = by.name, utcnow(), reason
        session.add(visit)
        scope.audit(Event.SITE_VISITED, detail=f"撤销场所访问记录 {visit_id}；理由：{reason}")
    return visit


def visits(session: Session, engagement_id: int, *, by: Actor) -> list[VisitLine]:
    """The visits standing, by day then site."""
    get_engagement(session, engagement_id, by=by)
    return visit_lines(session, engagement_id)


def visit_lines(session: Session, engagement_id: int) -> list[VisitLine]:
    """The same, for a reader that has already checked access (a snapshot, a document)."""
    rows = session.exec(select(SiteVisit, Site).join(Site, Site.id == SiteVisit.site_id)
                        .where(SiteVisit.engagement_id == engagement_id, SiteVisit.withdrawn_at.is_(None))
                        .order_by(SiteVisit.visited_on, SiteVisit.site_id, SiteVisit.id))
    return [VisitLine(site, v.visited_on, v.visited_by, v.id) for v, site in rows]
