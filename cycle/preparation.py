"""Use cases for changing an engagement after creation: its title, dates and team, with a reason and history.

The lead assessor (or an administrator) may change them until the certification decision is taken; each change
appends an EngagementEdit row with the values before and after and is audited. A certification team keeps
exactly one lead assessor (cycle/rules.team_problem), and whoever joins it passes the same impartiality check as
at creation (audits/engagements.check_impartial). An edit names how many edits its form saw: when someone else
changed the engagement since, it is refused, never silently overwritten. (The document review, which the start
of the on-site evaluation reads, is in audits/reviews.py.)
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import check_dates, check_impartial, get_engagement, validated_member
from audits.scope import engagement_scope
from criteria.model import Tree
from cycle.models import EngagementEdit
from cycle.rules import reason_text, team_problem
from errors import InvalidInput, StaleEdit
from records.models import Company, Engagement, TeamMember
from textclean import clean_text
from timefmt import local_time
from vocabulary import SETTLED, STATUS_LABELS, TEAM_ROLE_LABELS, EngagementKind, EngagementStatus, Limit, TeamRole

FIELD_LABELS = {"title": "项目名称", "start_date": "开始日期", "end_date": "结束日期", "team": "评价组"}


def team_values(members: list[TeamMember]) -> list[dict]:
    return [{"name": m.name, "role": m.role, "user_id": m.user_id} for m in members]


def engagement_values(engagement: Engagement, members: list[TeamMember]) -> dict:
    """What an edit may change, as its history keeps it."""
    return {"title": engagement.title, "start_date": _day(engagement.start_date),
            "end_date": _day(engagement.end_date), "team": team_values(members)}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def edit_count(session: Session, engagement_id: int) -> int:
    return session.exec(select(func.count()).where(EngagementEdit.engagement_id == engagement_id)).one()


def edit_engagement(session: Session, *, engagement_id: int, title: str, start_date: date | None,
                    end_date: date | None, team: list[dict], reason: str, expected_edits: int, tree: Tree,
                    by: Actor) -> EngagementEdit:
    reason = reason_text(clean_text(reason), "修改项目信息")
    title = clean_text(title)
    if len(title) > Limit.NAME:
        raise InvalidInput(f"项目名称不能超过 {Limit.NAME} 字")
    check_dates(start_date, end_date)
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        engagement = scope.engagement
        if engagement.status in SETTLED:
            raise InvalidInput(f"项目已{STATUS_LABELS[EngagementStatus(engagement.status)]}，不能再修改日期和评价组")
        if (done := edit_count(session, engagement_id)) != expected_edits:
            last = session.exec(select(EngagementEdit).where(EngagementEdit.engagement_id == engagement_id)
                                .order_by(EngagementEdit.id.desc())).first()
            raise StaleEdit(f"项目信息已被 {last.changed_by if last else '他人'} 于 {local_time(last.changed_at) if last else ''}"
                            f" 修改（共 {done} 次），您的修改未保存。请查看最新内容后重新修改。")
        current = list(session.exec(select(TeamMember).where(TeamMember.engagement_id == engagement_id)
                                    .order_by(TeamMember.id)))
        members = _checked_team(session, engagement, current, team, tree)
        before = engagement_values(engagement, current)
        after = {"title": title, "start_date": _day(start_date), "end_date": _day(end_date), "team": members}
        if before == after:
            raise InvalidInput("没有修改任何内容")
        engagement.title, engagement.start_date, engagement.end_date = title, start_date, end_date
        session.add(engagement)
        _replace_team(session, engagement_id, current, members)
        edit = EngagementEdit(engagement_id=engagement_id, before=before, after=after, reason=reason,
                              changed_by=by.name)
        session.add(edit)
        scope.audit(Event.ENGAGEMENT_EDITED, detail=f"{describe_edit(before, after)}；理由：{reason}")
        session.flush()
    return edit


def _checked_team(session: Session, engagement: Engagement, current: list[TeamMember], team: list[dict],
                  tree: Tree) -> list[dict]:
    members = [validated_member(session, m) for m in team]
    accounts = [m["user_id"] for m in members if m["user_id"] is not None]
    if len(accounts) != len(set(accounts)) or len({m["name"] for m in members}) != len(members):
        raise InvalidInput("同一人不能在评价组中出现两次")
    if problem := team_problem(engagement.kind, [m["role"] for m in members]):
        raise InvalidInput(problem)
    if engagement.kind != EngagementKind.PRE_AUDIT:
        if engagement.tree_ref != tree.ref:
            raise InvalidInput(f"评价项目使用指标树 {engagement.tree_ref}，而不是 {tree.ref}")
        known = {m.user_id for m in current}
        check_impartial(session, [m for m in members if m["user_id"] not in known],
                        session.get(Company, engagement.company_id), tree.scheme.impartiality_years)
    return members


def _replace_team(session: Session, engagement_id: int, current: list[TeamMember], members: list[dict]) -> None:
    """Members who stay keep their row (their role updated); those gone are removed; newcomers are added."""
    def identity(m) -> tuple:
        return ("user", m["user_id"]) if m["user_id"] is not None else ("name", m["name"])
    wanted = {identity(m): m for m in members}
    for row in current:
        kept = wanted.pop(identity({"user_id": row.user_id, "name": row.name}), None)
        if kept is None:
            session.delete(row)
        else:
            row.name, row.role = kept["name"], kept["role"]
            session.add(row)
    session.add_all(TeamMember(engagement_id=engagement_id, **m) for m in wanted.values())


def describe_edit(before: dict, after: dict) -> str:
    """What an edit changed, as the history and the audit log show it."""
    parts = []
    for field, label in FIELD_LABELS.items():
        if before.get(field) == after.get(field):
            continue
        if field == "team":
            parts.append(f"{label}：{_team_text(before[field])} → {_team_text(after[field])}")
        else:
            parts.append(f"{label}：{before.get(field) or '未定'} → {after.get(field) or '未定'}")
    return "；".join(parts)


def _team_text(members: list[dict]) -> str:
    return "、".join(f"{m['name']}（{TEAM_ROLE_LABELS.get(TeamRole(m['role']), m['role'])}）" for m in members) or "无"


def engagement_edits(session: Session, engagement_id: int, *, by: Actor) -> list[EngagementEdit]:
    """Every edit of the engagement, newest first; the history is append-only."""
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(EngagementEdit).where(EngagementEdit.engagement_id == engagement_id)
                             .order_by(EngagementEdit.id.desc())))
