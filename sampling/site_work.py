"""Per-site work: findings recorded for a clause at one site, what was found where (the summary), and which
clauses have findings, nonconformities or evidence at a site (the workspace's filter).

A per-site finding is appended by whoever may rate the engagement and withdrawn with a reason (it stays);
ratings are locked once the result is issued, and so are these. Whoever may view the engagement reads them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.decisions import refuse_if_issued
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from evidence.models import Evidence, EvidenceLink
from nonconformities.models import Nonconformity
from records.models import Site, utcnow
from sampling.models import SiteFinding, SiteVisit
from textclean import clean_text
from vocabulary import SITE_LABELS, Limit, SiteKind

FINDING, NONCONFORMITY, EVIDENCE = "发现", "不符合项", "证据"   # what the workspace marks a clause with


@dataclass(frozen=True)
class SiteSummary:
    """What was found at one site."""

    site: str
    kind: str
    visited: str          # "2026-03-02 张审查；…" or ""
    findings: int
    against: int          # findings that find against the company
    nonconformities: int
    evidence: int


def record_site_finding(session: Session, *, engagement_id: int, code: str, site_id: int, text: str, against: bool,
                        tree: Tree, by: Actor) -> SiteFinding:
    text = clean_text(text)
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        refuse_if_issued(scope, f"条款 {code} 的分场所记录")
        if scope.engagement.tree_ref != tree.ref or tree.node(code) is None:
            raise InvalidInput(f"指标树 {scope.engagement.tree_ref} 没有条款 {code}")
        site = session.get(Site, site_id)
        if site is None or site.company_id != scope.engagement.company_id:
            raise InvalidInput(f"场所 {site_id} 不是受评价企业的场所")
        if not text or len(text) > Limit.TEXT:
            raise InvalidInput(f"请写明在 {site.name} 的发现（不超过 {Limit.TEXT} 字）")
        finding = SiteFinding(engagement_id=engagement_id, code=code, site_id=site_id, text=text, against=against,
                              recorded_by=by.name)
        session.add(finding)
        session.flush()
        scope.audit(Event.SITE_FINDING_RECORDED,
                    detail=f"条款 {code} / {site.name}{'（不符合）' if against else ''}：{text[:200]}")
    return finding


def withdraw_site_finding(session: Session, *, finding_id: int, reason: str, by: Actor) -> SiteFinding:
    reason = clean_text(reason)
    finding = session.get(SiteFinding, finding_id)
    if finding is None:
        raise NotFound(f"未找到分场所记录 {finding_id}")
    if not reason or len(reason) > Limit.SHORT:
        raise InvalidInput(f"撤销分场所记录须写明理由（不超过 {Limit.SHORT} 字）")
    with engagement_scope(session, finding.engagement_id, Action.RATE, by=by) as scope:
        refuse_if_issued(scope, f"条款 {finding.code} 的分场所记录")
        if finding.withdrawn_at is not None:
            raise InvalidInput("该分场所记录已撤销")
        finding.withdrawn_by, finding.withdrawn_at, finding.withdrawn_reason = by.name, utcnow(), reason
        session.add(finding)
        scope.audit(Event.SITE_FINDING_WITHDRAWN, detail=f"条款 {finding.code} 的分场所记录 {finding_id}；理由：{reason}")
    return finding


def site_findings(session: Session, engagement_id: int, *, by: Actor, code: str | None = None,
                  include_withdrawn: bool = False) -> list[SiteFinding]:
    get_engagement(session, engagement_id, by=by)
    return finding_rows(session, engagement_id, code=code, include_withdrawn=include_withdrawn)


def finding_rows(session: Session, engagement_id: int, *, code: str | None = None,
                 include_withdrawn: bool = False) -> list[SiteFinding]:
    query = select(SiteFinding).where(SiteFinding.engagement_id == engagement_id)
    if code is not None:
        query = query.where(SiteFinding.code == code)
    if not include_withdrawn:
        query = query.where(SiteFinding.withdrawn_at.is_(None))
    return list(session.exec(query.order_by(SiteFinding.id)))


def _ncs(session: Session, engagement_id: int) -> list[Nonconformity]:
    return list(session.exec(select(Nonconformity).where(Nonconformity.engagement_id == engagement_id,
                                                         Nonconformity.site_id.is_not(None))))


def _evidence(session: Session, engagement_id: int) -> list[Evidence]:
    return list(session.exec(select(Evidence).where(Evidence.engagement_id == engagement_id,
                                                    Evidence.site_id.is_not(None), Evidence.removed_at.is_(None))))


def clauses_at_site(session: Session, engagement_id: int, site_id: int, *, by: Actor) -> dict[str, set[str]]:
    """Clause code -> what the engagement holds for it at the site (FINDING, NONCONFORMITY, EVIDENCE)."""
    get_engagement(session, engagement_id, by=by)
    marks: dict[str, set[str]] = defaultdict(set)
    for f in finding_rows(session, engagement_id):
        if f.site_id == site_id:
            marks[f.code].add(FINDING)
    for nc in _ncs(session, engagement_id):
        if nc.site_id == site_id and nc.code:
            marks[nc.code].add(NONCONFORMITY)
    files = [e.id for e in _evidence(session, engagement_id) if e.site_id == site_id]
    for link in session.exec(select(EvidenceLink).where(EvidenceLink.evidence_id.in_(files or [-1]),
                                                        EvidenceLink.unlinked_at.is_(None))):
        marks[link.code].add(EVIDENCE)
    return dict(marks)


def site_summary(session: Session, engagement_id: int, *, by: Actor) -> list[SiteSummary]:
    """Per site of the company that has a visit or anything recorded there: findings (and how many find
    against), nonconformities and evidence files; sites in the order of the company's list.

    One statement (the dashboard reads it on every rerun): the company's sites, each joined with its standing
    visits (a row per visit, in the order they were made) and counting the rest beside them."""
    engagement = get_engagement(session, engagement_id, by=by)

    def count(model, *where):
        return (select(func.count()).where(model.engagement_id == engagement_id, model.site_id == Site.id, *where)
                .correlate(Site).scalar_subquery())

    standing = SiteFinding.withdrawn_at.is_(None)
    rows = session.exec(
        select(Site.id, Site.name, Site.kind, SiteVisit.visited_on, SiteVisit.visited_by, count(SiteFinding, standing),
               count(SiteFinding, standing, SiteFinding.against), count(Nonconformity),
               count(Evidence, Evidence.removed_at.is_(None)))
        .outerjoin(SiteVisit, and_(SiteVisit.site_id == Site.id, SiteVisit.engagement_id == engagement_id,
                                   SiteVisit.withdrawn_at.is_(None)))
        .where(Site.company_id == engagement.company_id).order_by(Site.id, SiteVisit.visited_on, SiteVisit.id))
    sites, visited = {}, defaultdict(list)
    for site_id, name, kind, on, who, findings, against, ncs, files in rows:
        sites[site_id] = (name, kind, findings, against, ncs, files)
        if on is not None:
            visited[site_id].append(f"{on:%Y-%m-%d} {who}")
    return [SiteSummary(name, SITE_LABELS[SiteKind(kind)], "；".join(visited[i]), findings, against, ncs, files)
            for i, (name, kind, findings, against, ncs, files) in sites.items()
            if visited[i] or findings or ncs or files]
