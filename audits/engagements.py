"""Use cases for engagements: create one (with a rating row per clause of its tree), list, open, change status.

Impartiality: nobody who consulted for the company within the scheme's window (its assigned consultant, a member
of one of its pre-audits) may be on a certification team (domain brief A4). Status moves go through the table in
audits/status_workflow.py; each is audited and kept in the status history. The on-site evaluation of an initial
certification or recertification starts only after its document review (audits/reviews.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select, update

from accounts.access import remembered, require, visible_engagements
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.models import ConsultantCompany, User
from accounts.policy import Action
from audits.chain import audit_link, checked_link
from audits.companies import get_company, validated
from audits.reviews import latest_review
from audits.scope import Scope, checked_engagement, engagement_scope
from audits.status_workflow import MOVE_LABELS, OWN_USE_CASE, Move, check_move, move_to, start_refusal
from criteria.model import Tree
from errors import InvalidInput
from records.models import ClauseRating, Company, Engagement, EngagementBase, Site, StatusChange, TeamMember, utcnow
from timefmt import local_today
from vocabulary import (
    KIND_LABELS,
    RATED,
    STATUS_LABELS,
    ClauseStatus,
    EngagementKind,
    EngagementStatus,
    Limit,
    Role,
    TeamRole,
)


@dataclass(frozen=True)
class Overview:
    """An engagement with what every page header shows about it."""

    engagement: Engagement
    company: Company
    team: list[TeamMember]


@dataclass(frozen=True)
class EngagementRow:
    """An engagement as the list shows it, with its company and its progress counted as the score counts it."""

    engagement: Engagement
    company_name: str
    rated: int
    applicable_clauses: int


def create_engagement(session: Session, *, data: dict, tree: Tree, team: list[dict], by: Actor,
                      cycle_id: int | None = None, previous_id: int | None = None) -> Engagement:
    """A surveillance names its certification cycle and the engagement of it that it follows (cycle/cycles.py
    chooses them; audits/chain.py checks the link)."""
    if data.get("kind") not in set(EngagementKind):
        raise InvalidInput("请选择评价类型")
    base = validated(EngagementBase, {**data, "tree_ref": tree.ref})
    company = get_company(session, base.company_id, by=by)
    require(session, by, Action.CREATE_ENGAGEMENT, company_id=base.company_id, kind=base.kind)
    if not company.active:
        raise InvalidInput(f"企业 {company.name} 已停用，不能新建评价项目")
    check_dates(base.start_date, base.end_date)
    members = with_creator([validated_member(session, m) for m in team], by)
    if base.kind != EngagementKind.PRE_AUDIT:
        check_impartial(session, members, company, tree.scheme.impartiality_years)
    previous = checked_link(session, base, company, cycle_id, previous_id)
    engagement = Engagement.model_validate(base, update={"created_by": by.name, "cycle_id": cycle_id,
                                                         "previous_id": previous_id})
    session.add(engagement)
    session.flush()
    session.add_all(TeamMember(engagement_id=engagement.id, **m) for m in members)
    session.add_all(ClauseRating(engagement_id=engagement.id, code=leaf.code) for leaf in tree.leaves())
    audit(session, username=by.username or by.name, action=Event.ENGAGEMENT_CREATED,
          target=f"评价项目 {engagement.id}《{engagement.title}》",
          detail=f"{company.name}，{KIND_LABELS[engagement.kind]}，评价组：{'、'.join(m['name'] for m in members)}")
    if previous is not None:
        audit_link(session, engagement, previous, by)
    session.commit()
    session.refresh(engagement)
    return engagement


def check_impartial(session: Session, members: list[dict], company: Company, years: int) -> None:
    """Refuse a certification team member who consulted for the company within `years` years."""
    for m in members:
        if m["user_id"] is not None and (why := consulted_for(session, m["user_id"], company.id, years)):
            raise InvalidInput(f"{m['name']} 不能加入 {company.name} 的评价组：{why}"
                               f"（公正性要求：{years} 年内为该企业提供过咨询的人员不得参加其认证评价或作出认证决定）")


def check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput("结束日期不能早于开始日期")


ACCOUNT_FOR_TEAM_ROLE = {TeamRole.LEAD_ASSESSOR: Role.ASSESSOR, TeamRole.ASSESSOR: Role.ASSESSOR,
                         TeamRole.TECHNICAL_EXPERT: Role.ASSESSOR, TeamRole.CONSULTANT: Role.CONSULTANT}


def validated_member(session: Session, member: dict) -> dict:
    """A team member by name, or by account (whose name and role must fit the team role)."""
    role, user_id = member.get("role"), member.get("user_id")
    name = str(member.get("name", "")).strip()
    if user_id is not None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise InvalidInput("评价组成员的账户不存在或已停用")
        if role in ACCOUNT_FOR_TEAM_ROLE and user.role != ACCOUNT_FOR_TEAM_ROLE[role]:
            raise InvalidInput(f"{user.display_name} 的账户角色不能担任此评价组职务")
        name = name or user.display_name
    if not name or len(name) > 100:
        raise InvalidInput("评价组成员姓名不能为空，且不超过 100 字")
    if role not in set(TeamRole):
        raise InvalidInput(f"评价组成员 {name} 的角色无效")
    return {"name": name, "role": role, "user_id": user_id}


def with_creator(members: list[dict], by: Actor) -> list[dict]:
    """An assessor or consultant who creates an engagement joins its team (as its lead if it has none)."""
    if by.user_id is None or by.role not in (Role.ASSESSOR, Role.CONSULTANT) or \
            any(m["user_id"] == by.user_id for m in members):
        return members
    has_lead = any(m["role"] in (TeamRole.LEAD_ASSESSOR, TeamRole.CONSULTANT) for m in members)
    role = TeamRole.CONSULTANT if by.role == Role.CONSULTANT else \
        TeamRole.ASSESSOR if has_lead else TeamRole.LEAD_ASSESSOR
    return [{"name": by.name, "role": role, "user_id": by.user_id}, *members]


def consulted_for(session: Session, user_id: int, company_id: int, years: int, *, today: date | None = None) -> str:
    """How the user consulted for the company within the last `years` years, or "" when they did not: being its
    assigned consultant, or a member of one of its pre-audits that ended (or started, or was created) in the
    window."""
    if session.exec(select(ConsultantCompany.id).where(ConsultantCompany.user_id == user_id,
                                                       ConsultantCompany.company_id == company_id)).first():
        return "是该企业的指定咨询师"
    since = (today or local_today()) - timedelta(days=round(365.25 * years))
    pre_audits = session.exec(select(Engagement).join(TeamMember, TeamMember.engagement_id == Engagement.id)
                              .where(TeamMember.user_id == user_id, Engagement.company_id == company_id,
                                     Engagement.kind == EngagementKind.PRE_AUDIT)).all()
    for pre in pre_audits:
        when = pre.end_date or pre.start_date or pre.created_at.date()
        if when >= since:
            return f"参加过该企业的预评价（项目 {pre.id}，{when:%Y-%m-%d}）"
    return ""


def get_engagement(session: Session, engagement_id: int, *, by: Actor) -> Engagement:
    return checked_engagement(session, engagement_id, Action.VIEW_ENGAGEMENT, by=by)


def engagement_team(session: Session, engagement_id: int, *, by: Actor) -> list[TeamMember]:
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(TeamMember).where(TeamMember.engagement_id == engagement_id)
                             .order_by(TeamMember.id)))


def engagement_overview(session: Session, engagement_id: int, *, by: Actor) -> Overview:
    return Overview(*engagement_heading(session, engagement_id, by=by), engagement_team(session, engagement_id, by=by))


def engagement_heading(session: Session, engagement_id: int, *, by: Actor) -> tuple[Engagement, Company]:
    """The engagement and its company, as a page's heading shows them: one read for both when this run has not
    read the engagement yet (the page's panels then find it remembered), each checked as its own reader does."""
    known = remembered(session, "engagements")
    pair = None if engagement_id in known else session.exec(
        select(Engagement, Company).join(Company, Company.id == Engagement.company_id)
        .where(Engagement.id == engagement_id)).first()
    if pair is not None:
        known[engagement_id] = pair[0]  # the company stays in the session's identity map while `pair` holds it
    engagement = get_engagement(session, engagement_id, by=by)
    return engagement, get_company(session, engagement.company_id, by=by)


def engagement_sites(session: Session, engagement_id: int, *, by: Actor) -> list[Site]:
    """The sites of the engagement's company, deactivated ones too (`Site.active` tells which a new record may
    name), in list_sites' order: one read for every panel of a page run that shows or offers them."""
    company_id = get_engagement(session, engagement_id, by=by).company_id
    require(session, by, Action.VIEW_COMPANY, company_id=company_id)
    return list(session.exec(select(Site).where(Site.company_id == company_id).order_by(Site.kind, Site.name)))


def set_status(session: Session, engagement_id: int, status: str, *, by: Actor) -> Engagement:
    """A plain move of the workflow (start, close); issuing, reopening and deciding have their own use cases."""
    if status not in set(EngagementStatus):
        raise InvalidInput("项目状态无效")
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if scope.engagement.status != status:
            move = move_to(scope.engagement.status, status, kind=scope.engagement.kind)
            if move in OWN_USE_CASE:
                raise InvalidInput(f"“{MOVE_LABELS[move]}”须在仪表板的“推荐意见与认证决定”中办理")
            change_status(scope, move)
    return scope.engagement


def change_status(scope: Scope, move: str, *, reason: str = "") -> EngagementStatus:
    """Make one move of the workflow inside the caller's transaction: check it against the table (and, to start,
    the document review: status_workflow.start_refusal), change the status, append the history row and audit it."""
    engagement = scope.engagement
    before = EngagementStatus(engagement.status)
    after = check_move(before, move, kind=engagement.kind)
    if move == Move.START:
        review = latest_review(scope.session, engagement.id)
        if why := start_refusal(engagement.kind, review.result if review else None,
                                review.concurrent_reason if review else ""):
            raise InvalidInput(why)
    scope.session.exec(update(Engagement).where(Engagement.id == engagement.id).values(status=after))
    if len(reason) > Limit.REASON:  # a recommendation's conditions, a decision's reasons: kept whole in their record
        reason = reason[:Limit.REASON - 1] + "…"
    scope.session.add(StatusChange(engagement_id=engagement.id, move=move, from_status=before, to_status=after,
                                   reason=reason, changed_by=scope.by.name, changed_at=utcnow()))
    scope.audit(Event.STATUS_CHANGED, detail=f"{STATUS_LABELS[before]} → {STATUS_LABELS[after]}"
                                             + (f"；理由：{reason}" if reason else ""))
    return after


def status_history(session: Session, engagement_id: int, *, by: Actor) -> list[StatusChange]:
    """Every status move of the engagement, oldest first; the history is append-only."""
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(StatusChange).where(StatusChange.engagement_id == engagement_id)
                             .order_by(StatusChange.id)))


def progress_columns() -> tuple:
    """The scoring engine's progress (scoring/engine.py, rules 3 to 5) as SQL over an engagement's clause rows:
    an excluded or not covered clause is not applicable, and an applicable clause counts as rated once it has a
    result. The
    list reads these two numbers; the workspace and dashboard read the same ones from the score."""
    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    return (count(ClauseRating.status.in_([s.value for s in RATED])),
            count(ClauseRating.status.not_in([ClauseStatus.EXCLUDED.value, ClauseStatus.NOT_COVERED.value])))


def list_engagements(session: Session, *, by: Actor, company_id: int | None = None, kind: str | None = None,
                     status: str | None = None, text: str = "") -> list[EngagementRow]:
    """Engagements, newest first, with their rated and applicable clauses."""
    query = (select(Engagement, Company.name, *progress_columns())
             .join(Company, Company.id == Engagement.company_id)
             .join(ClauseRating, ClauseRating.engagement_id == Engagement.id)
             .where(visible_engagements(session, by))
             .group_by(Engagement.id, Company.name)
             .order_by(Engagement.created_at.desc(), Engagement.id.desc()))
    if company_id:
        query = query.where(Engagement.company_id == company_id)
    if kind:
        query = query.where(Engagement.kind == kind)
    if status:
        query = query.where(Engagement.status == status)
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(Company.name.ilike(pattern) | Engagement.title.ilike(pattern))
    return [EngagementRow(e, name, int(rated), int(applicable)) for e, name, rated, applicable in session.exec(query)]
