"""Use cases for the evaluation plan (评价计划): save the draft, send it, the company's answer, the lead's revision.

One plan per engagement, numbered by cycle/rules.plan_number, its content in versions. The lead (or an
administrator) edits the draft version; a save names the draft's version it was based on (a fingerprint of its
content, cycle/rules.draft_version), so a stale edit is refused. Sending records the day and who sent it; a plan
sent later than the scheme's notice before the visit (cycle/schedule.plan_sent_late) is sent all the same, with a
warning, and stays marked late in the history. The company (its client users) acknowledges the sent version or
objects with a reason. The lead revises a sent version into a new draft with a written reason; a sent version's
content never changes. Nothing changes once the certification decision is taken. Drafts are the team's: whoever
may not manage the engagement sees sent versions only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.access import permits
from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from cycle.models import EvaluationPlan, PlanVersion
from cycle.rules import draft_version, plan_number, reason_text
from cycle.schedule import plan_deadline, plan_sent_late
from errors import InvalidInput, NotFound, StaleEdit
from records.models import Site, TeamMember, utcnow
from textclean import clean_text
from timefmt import local_today
from vocabulary import PLAN_RESPONSE_LABELS, SETTLED, Limit, PlanResponse, SiteKind

CONTENT = ("objectives", "scope", "criteria", "visit_start", "visit_end", "agenda", "assignments", "site_ids")
ANSWERS = frozenset({PlanResponse.ACKNOWLEDGED, PlanResponse.OBJECTED})


@dataclass(frozen=True)
class PlanContent:
    """What a plan version says. `agenda`: [{"time", "item", "who"}]; `assignments`: [{"member": a team member's
    name, "indicators": [clause codes], "sites": [site ids]}]; `site_ids`: the sites to visit."""

    objectives: str = ""
    scope: str = ""
    criteria: str = ""
    visit_start: date | None = None
    visit_end: date | None = None
    agenda: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    site_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRecord:
    """The plan and the versions the reader may see, oldest first, with what the history shows of each."""

    plan: EvaluationPlan | None
    versions: list[PlanVersion]
    late: dict[int, bool]           # version number -> sent later than the notice allows
    deadlines: dict[int, date]      # version number -> the last day it should have been sent

    @property
    def latest(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class SentPlan:
    version: PlanVersion
    warning: str                    # "" when it was sent in time


def content_of(v: PlanVersion) -> PlanContent:
    return PlanContent(**{name: getattr(v, name) for name in CONTENT})


def version_of(v: PlanVersion | None) -> int:
    """The version a form of this draft stands for (0 when there is no draft yet)."""
    return 0 if v is None else draft_version(asdict(content_of(v)))


def _versions(session: Session, plan_id: int) -> list[PlanVersion]:
    return list(session.exec(select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.version)))


def _plan(session: Session, engagement_id: int) -> EvaluationPlan | None:
    return session.exec(select(EvaluationPlan).where(EvaluationPlan.engagement_id == engagement_id)).first()


def plan_record(session: Session, engagement_id: int, *, tree: Tree, by: Actor) -> PlanRecord:
    engagement = get_engagement(session, engagement_id, by=by)
    plan = _plan(session, engagement_id)
    versions = _versions(session, plan.id) if plan else []
    if not permits(session, by, Action.MANAGE_ENGAGEMENT, engagement=engagement):
        versions = [v for v in versions if v.sent_on is not None]
    scheme = tree.scheme
    return PlanRecord(plan, versions,
                      {v.version: bool(v.sent_on and plan_sent_late(v.sent_on, v.visit_start, scheme)) for v in versions},
                      {v.version: plan_deadline(v.visit_start, scheme) for v in versions if v.visit_start})


def _managed(scope: Scope, tree: Tree) -> None:
    if scope.engagement.status in SETTLED:
        raise InvalidInput("已作出认证决定的项目不能再修改评价计划")
    if scope.engagement.tree_ref != tree.ref:
        raise InvalidInput(f"评价项目使用指标树 {scope.engagement.tree_ref}，而不是 {tree.ref}")


def save_plan(session: Session, *, engagement_id: int, content: PlanContent, expected_version: int, tree: Tree,
              by: Actor, today: date | None = None) -> PlanVersion:
    """Save the draft (the first version when there is none); `expected_version` is version_of the draft the
    form showed (0 for none)."""
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        _managed(scope, tree)
        values = asdict(_checked(session, scope, content, tree))
        plan = _plan(session, engagement_id)
        latest = _versions(session, plan.id)[-1] if plan else None
        if latest is not None and latest.sent_on is not None:
            raise InvalidInput(f"第 {latest.version} 版已发送，内容不能再改；如需调整，请写明理由修订计划")
        if version_of(latest) != expected_version:
            raise StaleEdit(f"评价计划草稿已被 {latest.created_by if latest else '他人'} 修改，您的修改未保存。"
                            "请查看最新内容后重新修改。")
        if plan is None:
            plan = EvaluationPlan(engagement_id=engagement_id, created_by=by.name,
                                  number=plan_number((today or local_today()).year, engagement_id))
            session.add(plan)
            _flush_or_stale(session)
        draft = latest or PlanVersion(plan_id=plan.id, version=1, created_by=by.name)
        for name, value in values.items():
            setattr(draft, name, value)
        session.add(draft)
        _flush_or_stale(session)
        scope.audit(Event.PLAN_SAVED, detail=f"评价计划 {plan.number} 第 {draft.version} 版（草稿）")
    return draft


def _flush_or_stale(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as clash:  # someone created the plan or the version at the same moment
        raise StaleEdit("评价计划刚被他人保存，您的修改未保存。请查看最新内容后重新修改。") from clash


def _checked(session: Session, scope: Scope, content: PlanContent, tree: Tree) -> PlanContent:
    texts = {name: clean_text(getattr(content, name)) for name in ("objectives", "scope", "criteria")}
    for name, label, limit in (("objectives", "评价目的", Limit.TEXT), ("scope", "评价范围", Limit.TEXT),
                               ("criteria", "评价依据", Limit.REASON)):
        if len(texts[name]) > limit:
            raise InvalidInput(f"{label}不能超过 {limit} 字")
    if content.visit_start and content.visit_end and content.visit_end < content.visit_start:
        raise InvalidInput("现场评价结束日期不能早于开始日期")
    agenda = [{k: clean_text(str(row.get(k, ""))) for k in ("time", "item", "who")} for row in content.agenda]
    if any(not row["item"] for row in agenda):
        raise InvalidInput("日程的每一行都须写明内容")
    sites = {s.id: s for s in session.exec(select(Site).where(Site.company_id == scope.engagement.company_id,
                                                              Site.active))}
    if any(i not in sites for i in content.site_ids):
        raise InvalidInput("拟访问的场所须是该企业在用的场所")
    headquarters = [i for i, s in sites.items() if s.kind == SiteKind.HEADQUARTERS]
    visit = list(dict.fromkeys([*sorted(headquarters), *content.site_ids]))  # the headquarters is always visited
    team = set(session.exec(select(TeamMember.name).where(TeamMember.engagement_id == scope.engagement.id)))
    assignments = [_assignment(a, team, tree, visit, sites) for a in content.assignments]
    return PlanContent(**texts, visit_start=content.visit_start, visit_end=content.visit_end, agenda=agenda,
                       assignments=[a for a in assignments if a["indicators"] or a["sites"]], site_ids=visit)


def _assignment(a: dict, team: set[str], tree: Tree, visit: list[int], sites: dict[int, Site]) -> dict:
    member = str(a.get("member", ""))
    if member not in team:
        raise InvalidInput(f"分工中的 {member or '（未填写）'} 不是本项目评价组成员")
    indicators = list(dict.fromkeys(str(c) for c in a.get("indicators", [])))
    unknown = [c for c in indicators if tree.node(c) is None]
    if unknown:
        raise InvalidInput(f"{member} 的分工中有指标树 {tree.ref} 没有的条款：{'、'.join(unknown)}")
    chosen = list(dict.fromkeys(a.get("sites", [])))
    outside = [sites[i].name if i in sites else str(i) for i in chosen if i not in visit]
    if outside:
        raise InvalidInput(f"{member} 分工的场所须在拟访问场所之中：{'、'.join(outside)}")
    return {"member": member, "indicators": indicators, "sites": chosen}


def send_plan(session: Session, *, engagement_id: int, expected_version: int, tree: Tree, by: Actor,
              today: date | None = None) -> SentPlan:
    """Send the draft to the company, today; a warning (not a refusal) when it is later than the notice allows."""
    today = today or local_today()
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        _managed(scope, tree)
        plan = _plan(session, engagement_id)
        draft = _versions(session, plan.id)[-1] if plan else None
        if draft is None or draft.sent_on is not None:
            raise InvalidInput("没有待发送的评价计划草稿")
        if version_of(draft) != expected_version:
            raise StaleEdit("评价计划草稿在您查看之后已被修改，未发送。请查看最新内容后再发送。")
        if not draft.visit_start or not draft.objectives or not draft.scope:
            raise InvalidInput("发送前须填写评价目的、评价范围和现场评价日期")
        draft.sent_on, draft.sent_by = today, by.name
        session.add(draft)
        warning = ""
        if plan_sent_late(today, draft.visit_start, tree.scheme):
            warning = (f"评价计划于 {today:%Y-%m-%d} 发送，晚于最迟发送日 "
                       f"{plan_deadline(draft.visit_start, tree.scheme):%Y-%m-%d}（现场评价前 "
                       f"{tree.scheme.plan_notice_days} 天），已记录为逾期发送。")
        scope.audit(Event.PLAN_SENT, detail=f"评价计划 {plan.number} 第 {draft.version} 版"
                                            + (f"；{warning}" if warning else ""))
        session.flush()
    return SentPlan(draft, warning)


def answer_plan(session: Session, *, engagement_id: int, version: int, response: str, reason: str,
                by: Actor) -> PlanVersion:
    """The company acknowledges the sent version it was shown, or objects with a reason."""
    reason = clean_text(reason)
    if response not in ANSWERS:
        raise InvalidInput("请选择确认评价计划或提出异议")
    if len(reason) > Limit.TEXT or (response == PlanResponse.OBJECTED and not reason):
        raise InvalidInput(f"提出异议须写明理由（不超过 {Limit.TEXT} 字）")
    with engagement_scope(session, engagement_id, Action.ANSWER_PLAN, by=by) as scope:
        plan = _plan(session, engagement_id)
        versions = [v for v in _versions(session, plan.id) if v.sent_on is not None] if plan else []
        if not versions:
            raise NotFound("本项目没有已发送的评价计划")
        latest = versions[-1]
        if latest.version != version:
            raise StaleEdit(f"评价计划已修订为第 {latest.version} 版，请查看新版本后再答复")
        if latest.response != PlanResponse.PENDING:
            raise InvalidInput(f"第 {version} 版已答复（{PLAN_RESPONSE_LABELS[PlanResponse(latest.response)]}）")
        latest.response, latest.response_reason = PlanResponse(response), reason
        latest.responded_by, latest.responded_at = by.name, utcnow()
        session.add(latest)
        scope.audit(Event.PLAN_ANSWERED, detail=f"评价计划 {plan.number} 第 {version} 版："
                                                f"{PLAN_RESPONSE_LABELS[PlanResponse(response)]}"
                                                + (f"，理由：{reason}" if reason else ""))
        session.flush()
    return latest


def revise_plan(session: Session, *, engagement_id: int, reason: str, tree: Tree, by: Actor) -> PlanVersion:
    """A new draft copied from the last sent version, with the reason; the sent versions stay as they were."""
    reason = reason_text(clean_text(reason), "修订评价计划")
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        _managed(scope, tree)
        plan = _plan(session, engagement_id)
        last = _versions(session, plan.id)[-1] if plan else None
        if last is None or last.sent_on is None:
            raise InvalidInput("只能修订已发送的评价计划；尚未发送的草稿可以直接修改")
        draft = PlanVersion(plan_id=plan.id, version=last.version + 1, created_by=by.name, revision_reason=reason,
                            **{name: getattr(last, name) for name in CONTENT})
        session.add(draft)
        _flush_or_stale(session)
        scope.audit(Event.PLAN_SAVED, detail=f"评价计划 {plan.number} 修订为第 {draft.version} 版；理由：{reason}")
    return draft
