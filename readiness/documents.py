"""What a pre-audit's readiness is, and the documents the consultant hands the client: the readiness report and
the document skeletons filled with the company's data (gathered here, rendered in exports/)."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import get_engagement
from criteria.model import Tree, points_text
from dossier.assessment import engagement_assessment
from errors import InvalidInput, NotFound
from exports.readiness_report import ReadinessReport, render_readiness_report
from exports.skeletons import SKELETONS, CompanyFacts, render_skeleton
from readiness.models import PreparationTask
from readiness.readiness import Readiness, compute_readiness, managers_required
from readiness.workflow import is_overdue
from records.models import Company, Engagement, Site
from scoring.stars import STAR_LABELS
from timefmt import local_today
from vocabulary import SITE_LABELS, TASK_STATE_LABELS, EngagementKind, ReadinessLevel, TaskState


def _pre_audit(session: Session, engagement_id: int, by: Actor) -> Engagement:
    engagement = get_engagement(session, engagement_id, by=by)
    if engagement.kind != EngagementKind.PRE_AUDIT:
        raise InvalidInput("整改准备只针对预评价项目")
    return engagement


def readiness_of(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> Readiness:
    """The pre-audit's readiness from its ratings and its tasks (readiness/readiness.py states the rules)."""
    _pre_audit(session, engagement_id, by)
    states = session.exec(select(PreparationTask.code, PreparationTask.state)
                          .where(PreparationTask.engagement_id == engagement_id)).all()
    return compute_readiness(tree, engagement_assessment(session, engagement_id, tree, by=by),
                             [(code, TaskState(state)) for code, state in states])


def score_text(score, star) -> str:
    return f"{score:.2f} 分 · {STAR_LABELS[star]}"


def company_facts(session: Session, engagement_id: int, *, by: Actor, management_staff: int | None = None,
                  today: date | None = None) -> CompanyFacts:
    """The company's data a skeleton prints; `management_staff` (the service management headcount, when the
    consultant knows it) gives the 售后服务管理师 count."""
    engagement = _pre_audit(session, engagement_id, by)
    if management_staff is not None and management_staff < 0:
        raise InvalidInput("服务管理人员人数不能为负数")
    company = session.get(Company, engagement.company_id)
    sites = session.exec(select(Site).where(Site.company_id == company.id, Site.active)
                         .order_by(Site.kind, Site.name)).all()
    return CompanyFacts(
        name=company.name, credit_code=company.credit_code, address=company.address, contact=company.contact,
        industry=company.industry, scope=company.scope,
        sites=[(s.name, SITE_LABELS[s.kind], s.address) for s in sites], today=(today or local_today()).isoformat(),
        management_staff=management_staff,
        managers_required=None if management_staff is None else managers_required(management_staff))


def skeleton_file(session: Session, engagement_id: int, key: str, *, by: Actor,
                  management_staff: int | None = None) -> tuple[str, bytes]:
    """A skeleton as a Word file named for the company: (file name, bytes)."""
    if key not in SKELETONS:
        raise NotFound(f"没有名为 {key} 的文件框架")
    facts = company_facts(session, engagement_id, by=by, management_staff=management_staff)
    return f"{SKELETONS[key].file_stem}-{facts.name[:40]}.docx", render_skeleton(key, facts)


def readiness_report_file(session: Session, engagement_id: int, tree: Tree, *, by: Actor,
                          today: date | None = None) -> tuple[str, bytes]:
    """The readiness report for the client's management: (file name, bytes)."""
    today = today or local_today()
    engagement = _pre_audit(session, engagement_id, by)
    company = session.get(Company, engagement.company_id)
    found = readiness_of(session, engagement_id, tree, by=by)
    tasks = session.exec(select(PreparationTask).where(PreparationTask.engagement_id == engagement_id)
                         .order_by(PreparationTask.due, PreparationTask.code, PreparationTask.id)).all()
    states = [TaskState(t.state) for t in tasks]
    overdue = [t for t in tasks if is_overdue(t.state, t.due, today)]
    path = found.path
    next_star = ("已无更高星级" if path.target is None else
                 f"完成以下 {len(path.steps)} 个条款的整改可达{STAR_LABELS[path.target]}（{path.threshold} 分）"
                 if path.reachable else f"仅完成已评条款的整改尚不能达到{STAR_LABELS[path.target]}")
    report = ReadinessReport(
        company=company.name, engagement=f"{engagement.title or '预评价'}（项目编号 {engagement.id}）",
        today=today.isoformat(), predicted=score_text(found.predicted.score, found.predicted.star_by_score),
        if_done=score_text(found.if_done.score, found.if_done.star_by_score), next_star=next_star,
        ready_share=f"{found.ready_share:.0f}%",
        counts=f"任务 {len(tasks)} 项，已接受 {states.count(TaskState.ACCEPTED)} 项，"
               f"待确认 {states.count(TaskState.SUBMITTED)} 项，逾期 {len(overdue)} 项",
        indicators=[(i.code, i.name, i.counts.get(ReadinessLevel.READY, 0), i.counts.get(ReadinessLevel.IN_PROGRESS, 0),
                     i.counts.get(ReadinessLevel.MISSING, 0), f"{i.share:.0f}%") for i in found.indicators],
        path=[(s.code, tree.node(s.code).name, points_text(s.adds_score)) for s in path.steps],
        tasks=[(t.code, t.title, t.owner_name, t.due.isoformat(), TASK_STATE_LABELS[t.state],
                "是" if t in overdue else "") for t in tasks if t.state != TaskState.ACCEPTED])
    return f"整改准备情况报告-{company.name[:40]}.docx", render_readiness_report(report)
