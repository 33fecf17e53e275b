"""Use cases for a pre-audit's preparation plan: generate it from the gaps (idempotently), add a task by hand,
hand in files for a task (through the evidence rules), accept or return it, and read the list.

The plan is generated from what the pre-audit found: every clause not yet conform (rated nonconform, sampled with
nonconforming samples, or not rated yet) becomes one task naming what to correct and the checklist items still
missing; on a clause already conform, each typical-evidence item with no file linked becomes a task of its own.
Regenerating adds only the gaps that have no task yet (`PreparationTask.source`), and no item task beside a
clause's own task (which lists the items). A task always has an owner (a
client user of the company, or a named person) and a due date no earlier than today.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from sqlalchemy import update
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.models import User
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound, StaleEdit
from evidence.models import GENERAL, Evidence
from evidence.services import attach_files, check_links, coverage, record_file, store_file
from readiness.models import PreparationTask, TaskFile, TaskMoveRecord
from readiness.workflow import check_move
from records.models import ClauseRating
from textclean import clean_text
from timefmt import local_today
from vocabulary import TASK_MOVE_LABELS, ClauseStatus, EngagementKind, Limit, Role, TaskMove, finds_against

STALE = "该任务已被他人处理，请查看最新状态后再操作"
NOT_RATED_YET = {ClauseStatus.UNRATED}
SETTLED = {ClauseStatus.EXCLUDED, ClauseStatus.NOT_COVERED}


@dataclass(frozen=True)
class Owner:
    """Who owns a task: a client user of the company (`user_id`) or a named person."""
    user_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class TaskRow:
    task: PreparationTask
    files: list[Evidence]


@dataclass(frozen=True)
class Gap:
    source: str
    code: str
    item: int | None
    title: str


def plan_gaps(tree: Tree, ratings: dict[str, ClauseRating], covered: dict[str, set[int]]) -> list[Gap]:
    """What the pre-audit leaves to prepare, in the tree's order (see the module's docstring)."""
    gaps = []
    for leaf in tree.leaves():
        rating = ratings.get(leaf.code)
        status = rating.status if rating else ClauseStatus.UNRATED
        if status in SETTLED:
            continue
        missing = [i for i in range(len(leaf.evidence)) if i not in covered.get(leaf.code, set())]
        if status in NOT_RATED_YET or finds_against(status, rating.nonconforming if rating else 0):
            needs = "；需准备：" + "、".join(leaf.evidence[i] for i in missing) if missing else ""
            what = f"整改：{rating.finding}" if rating and rating.finding else f"准备条款 {leaf.code} {leaf.name} 的材料"
            gaps.append(Gap(leaf.code, leaf.code, None, (what + needs)[:Limit.REASON]))
        else:
            gaps += [Gap(f"{leaf.code}#{i}", leaf.code, i, f"补充证据：{leaf.evidence[i]}"[:Limit.REASON])
                     for i in missing]
    return gaps


def _pre_audit_scope(session: Session, engagement_id: int, action: Action, by: Actor):
    engagement = get_engagement(session, engagement_id, by=by)
    if engagement.kind != EngagementKind.PRE_AUDIT:
        raise InvalidInput("整改准备计划只针对预评价项目")
    return engagement_scope(session, engagement_id, action, by=by)


def checked_owner(session: Session, company_id: int, owner: Owner) -> tuple[int | None, str]:
    """The owner as stored: a client user of this company, or a name; InvalidInput without either."""
    if owner.user_id is not None:
        user = session.get(User, owner.user_id)
        if user is None or not user.active or user.role != Role.CLIENT or user.company_id != company_id:
            raise InvalidInput("任务负责人必须是本企业的企业用户")
        return user.id, user.display_name
    name = clean_text(owner.name).strip()
    if not name:
        raise InvalidInput("请指定任务负责人（本企业的用户或负责人姓名）")
    if len(name) > 100:
        raise InvalidInput("负责人姓名过长（上限 100 字）")
    return None, name


def checked_due(due: date | None, today: date | None = None) -> date:
    today = today or local_today()
    if due is None:
        raise InvalidInput("请填写完成期限")
    if due < today:
        raise InvalidInput(f"完成期限 {due.isoformat()} 已经过去，请选择今天（{today.isoformat()}）或以后的日期")
    return due


def generate_plan(session: Session, *, engagement_id: int, tree: Tree, owner: Owner, due: date | None, by: Actor,
                  today: date | None = None) -> int:
    """Add a task for every gap of the pre-audit that has none yet; returns how many were added."""
    with _pre_audit_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by) as scope:
        company_id = scope.engagement.company_id
        owner_id, owner_name = checked_owner(session, company_id, owner)
        due = checked_due(due, today)
        ratings = {r.code: r for r in session.exec(select(ClauseRating).where(
            ClauseRating.engagement_id == engagement_id))}
        covered = {code: c.items for code, c in coverage(session, engagement_id, by=by).items()}
        known = set(session.exec(select(PreparationTask.source).where(PreparationTask.engagement_id == engagement_id)))
        new = [g for g in plan_gaps(tree, ratings, covered)  # a clause's own task already names its items
               if g.source not in known and (g.item is None or g.code not in known)]
        session.add_all(PreparationTask(company_id=company_id, engagement_id=engagement_id, code=g.code, item=g.item,
                                        source=g.source, title=g.title, owner_user_id=owner_id, owner_name=owner_name,
                                        due=due, created_by=by.name) for g in new)
        scope.audit(Event.TASKS_GENERATED, detail=f"新增 {len(new)} 项任务")
    return len(new)


def add_task(session: Session, *, engagement_id: int, code: str, title: str, owner: Owner, due: date | None,
             tree: Tree, by: Actor, item: int | None = None, today: date | None = None) -> PreparationTask:
    """A task added by hand for a clause (and one item of its checklist, when given)."""
    with _pre_audit_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by) as scope:
        check_links(tree, {code: {GENERAL if item is None else item}})
        title = clean_text(title).strip()
        if not title:
            raise InvalidInput("请写明要准备的内容")
        if len(title) > Limit.REASON:
            raise InvalidInput(f"任务内容过长（上限 {Limit.REASON} 字）")
        owner_id, owner_name = checked_owner(session, scope.engagement.company_id, owner)
        task = PreparationTask(company_id=scope.engagement.company_id, engagement_id=engagement_id, code=code,
                               item=item, title=title, owner_user_id=owner_id, owner_name=owner_name,
                               due=checked_due(due, today), created_by=by.name)
        session.add(task)
        scope.audit(Event.TASK_ADDED, detail=f"{code}：{title[:100]}")
    session.refresh(task)
    return task


def _task(session: Session, task_id: int) -> PreparationTask:
    task = session.get(PreparationTask, task_id)
    if task is None:
        raise NotFound(f"未找到整改准备任务 {task_id}")
    return task


def _move(scope: Scope, task: PreparationTask, move: TaskMove, comment: str, expected_version: int,
          evidence_ids: list[int] = ()) -> None:
    target = check_move(task.state, move, comment=comment)
    if len(comment) > Limit.TEXT:
        raise InvalidInput(f"意见过长（上限 {Limit.TEXT} 字）")
    changed = scope.session.exec(update(PreparationTask).where(PreparationTask.id == task.id,
                                                               PreparationTask.version == expected_version)
                                 .values(state=target, version=expected_version + 1, comment=comment))
    if changed.rowcount != 1:
        raise StaleEdit(STALE)
    scope.session.add(TaskMoveRecord(task_id=task.id, move=move, from_state=task.state, to_state=target,
                                     comment=comment, evidence_ids=",".join(map(str, evidence_ids)),
                                     moved_by=scope.by.name))
    scope.audit(Event.TASK_MOVED, detail=f"任务 {task.id}（{task.code}）{TASK_MOVE_LABELS[move]}"
                                         + (f"：{comment[:200]}" if comment else ""))


def hand_in(session: Session, store, *, task_id: int, note: str, expected_version: int, tree: Tree, by: Actor,
            max_bytes: int, files: Sequence[tuple[str, BinaryIO]] = (), evidence_ids: Sequence[int] = ()
            ) -> PreparationTask:
    """The files prepared for a task, and the task moved to wait for the consultant: new `files` (name, stream)
    recorded as evidence of the pre-audit, and `evidence_ids` already uploaded to it (sent ahead through the upload
    route, or chosen among its files), all linked to the task's clause (and checklist item). At least one file."""
    task = _task(session, task_id)
    if not files and not evidence_ids:
        raise InvalidInput("请至少上传一个文件")
    note = clean_text(note).strip()
    if len(note) > Limit.TEXT:
        raise InvalidInput(f"说明过长（上限 {Limit.TEXT} 字）")
    stored = [store_file(store, name, stream, max_bytes=max_bytes) for name, stream in files]
    with engagement_scope(session, task.engagement_id, Action.UPLOAD_EVIDENCE, by=by) as scope:
        links = check_links(tree, {task.code: {GENERAL if task.item is None else task.item}})
        chosen = attach_files(scope, list(evidence_ids), links=links, refused="提交的文件必须是本预评价项目中的有效证据")
        records = chosen + [record_file(scope, file, links=links, note=note or task_note(task.id)) for file in stored]
        ids = list(dict.fromkeys(e.id for e in records))
        known = set(session.exec(select(TaskFile.evidence_id).where(TaskFile.task_id == task.id)))
        session.add_all(TaskFile(task_id=task.id, evidence_id=i, added_by=by.name) for i in ids if i not in known)
        _move(scope, task, TaskMove.SUBMIT, note, expected_version, ids)
    session.refresh(task)
    return task


def task_note(task_id: int) -> str:
    """The note a task's file carries when the hand-in says nothing (the upload route is given it too)."""
    return f"整改准备任务 {task_id}"


def judge_task(session: Session, *, task_id: int, move: TaskMove, comment: str, expected_version: int,
               by: Actor) -> PreparationTask:
    """The consultant accepts what was handed in, returns it with what is missing, or reopens an accepted task."""
    task = _task(session, task_id)
    if TaskMove(move) == TaskMove.SUBMIT:
        raise InvalidInput("提交材料请上传文件")
    with engagement_scope(session, task.engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        _move(scope, task, move, clean_text(comment).strip(), expected_version)
    session.refresh(task)
    return task


def list_tasks(session: Session, engagement_id: int, *, by: Actor, tree: Tree | None = None) -> list[TaskRow]:
    """The plan as the consultant and the client both see it, in the tree's order, with the files handed in."""
    get_engagement(session, engagement_id, by=by)
    tasks = list(session.exec(select(PreparationTask).where(PreparationTask.engagement_id == engagement_id)))
    order = {leaf.code: i for i, leaf in enumerate(tree.leaves())} if tree else {}
    tasks.sort(key=lambda t: (order.get(t.code, len(order)), t.code, -1 if t.item is None else t.item, t.id))
    files: dict[int, list[Evidence]] = {}
    for task_id, evidence in session.exec(select(TaskFile.task_id, Evidence).join(
            Evidence, Evidence.id == TaskFile.evidence_id).join(PreparationTask, PreparationTask.id == TaskFile.task_id)
            .where(PreparationTask.engagement_id == engagement_id, Evidence.removed_at.is_(None))
            .order_by(TaskFile.id)):
        files.setdefault(task_id, []).append(evidence)
    return [TaskRow(t, files.get(t.id, [])) for t in tasks]


def task_history(session: Session, task_id: int, *, by: Actor) -> list[TaskMoveRecord]:
    task = _task(session, task_id)
    get_engagement(session, task.engagement_id, by=by)
    return list(session.exec(select(TaskMoveRecord).where(TaskMoveRecord.task_id == task_id)
                             .order_by(TaskMoveRecord.id)))


def task_owners(session: Session, engagement_id: int, *, by: Actor) -> list[User]:
    """The company's active client users, who may own a task."""
    engagement = get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(User).where(User.company_id == engagement.company_id, User.role == Role.CLIENT,
                                                User.active).order_by(User.id)))

