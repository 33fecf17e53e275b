"""Use cases for nonconformities: raise, answer, return, accept, close, change the deadline, read the register.

Every change of state goes through workflow.check_transition and appends an event with who, when, the
comment and the details (the client's answer, the verification), in the same transaction as the change.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import BinaryIO, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from accounts import audit_log
from accounts.access import permits, visible_engagements
from accounts.actor import Actor
from accounts.policy import Action
from audits.chain import followers
from audits.engagements import get_engagement
from audits.ratings import stored_rating
from audits.scope import Scope, checked_engagement, engagement_scope
from audits.special_items import check_special_item, place_special_item
from config import settings
from criteria.model import Tree
from criteria.scheme import Scheme
from errors import InvalidInput, NotFound, StaleEdit
from evidence.models import GENERAL, Evidence
from evidence.services import record_file, store_file
from evidence.store import BlobStore
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.workflow import ACTOR_SIDE, DONE, Event, Side, check_transition, initial_state, is_overdue
from records.models import Company, Engagement, Site, SpecialItem, utcnow
from textclean import clean_text
from timefmt import local_date, local_today
from vocabulary import DEDUCTION_LABELS, NC_STATE_LABELS, Limit, Severity, SpecialKind, finds_against

RETRIES = 8


class RegisterRow(NamedTuple):
    """One line of the register: what a list of nonconformities shows; the full record is get_nonconformity's."""
    id: int
    engagement_id: int
    number: int
    code: str | None
    severity: str
    state: str
    due_date: date | None
    company: str
    engagement_title: str
    tree_ref: str
    overdue: bool


_STATE, _DUE = RegisterRow._fields.index("state"), RegisterRow._fields.index("due_date")  # by position: cheaper


def default_due(severity: str, today: date, scheme: Scheme) -> date | None:
    """The rectification deadline a nonconformity raised `today` gets: the days the engagement's tree scheme sets
    for its severity (`nonconformity_days`, 30 each when the tree file is silent); an observation has none."""
    days = scheme.deadline_days(severity)
    return today + timedelta(days=days) if days else None


def raise_nonconformity(session: Session, *, engagement_id: int, severity: str, finding: str, tree: Tree, by: Actor,
                        code: str | None = None, special_item_id: int | None = None, site_id: int | None = None,
                        requirement: str = "", evidence_seen: str = "", today: date | None = None) -> Nonconformity:
    """From a clause rated nonconform (or with nonconforming samples), or from a special deduction. `today` (for
    demo data and tests) dates the raising itself, so the deadline never falls before the day it was raised."""
    if severity not in set(Severity):
        raise InvalidInput("请选择不符合项的严重程度")
    finding = _text(finding, "不符合事实描述", required=True)
    node = tree.node(code) if code else None
    requirement = _text(requirement or (node.requirement if node else ""), "要求")
    evidence_seen = _text(evidence_seen, "所见证据")
    raised_at = utcnow() if today is None else datetime.combine(today, time(9), ZoneInfo(settings().timezone))
    today = today or local_today()
    for attempt in range(RETRIES):  # the number is the next free one; a concurrent raise makes us take the next
        try:
            with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
                _check_source(session, engagement_id, severity, code, special_item_id, tree)
                _check_site(session, scope.engagement, site_id)
                nc = _numbered(scope, code=code, special_item_id=special_item_id, site_id=site_id,
                               severity=severity, finding=finding, requirement=requirement,
                               evidence_seen=evidence_seen, due_date=default_due(severity, today, tree.scheme),
                               raised_at=raised_at)
            return nc
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _check_site(session: Session, engagement: Engagement, site_id: int | None) -> None:
    site = session.get(Site, site_id) if site_id is not None else None
    if site_id is not None and (site is None or site.company_id != engagement.company_id):
        raise InvalidInput(f"场所 {site_id} 不是受评价企业的场所")


def _numbered(scope: Scope, **fields) -> Nonconformity:
    """A new nonconformity with the engagement's next free number, inside the caller's transaction."""
    session, engagement_id = scope.session, scope.engagement.id
    number = (session.exec(select(func.max(Nonconformity.number)).where(
        Nonconformity.engagement_id == engagement_id)).one() or 0) + 1
    nc = Nonconformity(engagement_id=engagement_id, number=number, state=initial_state(fields["severity"]),
                       raised_by=scope.by.name, **fields)
    session.add(nc)
    session.flush()
    scope.result_changed()
    return nc


def record_special_item(session: Session, *, engagement_id: int, kind: str, reason: str, tree: Tree, by: Actor,
                        category: str = "", code: str | None = None, severity: str = Severity.GENERAL,
                        today: date | None = None) -> SpecialItem:
    """A special deduction must be rectified: recording one raises its own nonconformity (general unless the
    assessor chooses serious) in the same transaction, linked to it (the nonconformity's special_item_id); the
    finding is the deduction's reason, the requirement its ground. The bonus is recorded alone. Withdrawing the
    item later leaves the nonconformity in place."""
    reason = check_special_item(kind=kind, reason=reason, tree=tree, category=category, code=code)
    if kind == SpecialKind.DEDUCTION and severity not in (Severity.GENERAL, Severity.SERIOUS):
        raise InvalidInput("特别扣分项的不符合项须为一般不符合或严重不符合")
    raised_at = utcnow() if today is None else datetime.combine(today, time(9), ZoneInfo(settings().timezone))
    today = today or local_today()
    for attempt in range(RETRIES):  # a concurrent raise may take the number: take the next
        try:
            with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
                item = place_special_item(scope, kind=kind, reason=reason, category=category, code=code)
                if kind == SpecialKind.DEDUCTION:
                    _numbered(scope, code=None, special_item_id=item.id, site_id=None, severity=severity,
                              finding=reason, requirement=f"特别扣分项：{DEDUCTION_LABELS[category]}",
                              evidence_seen="", due_date=default_due(severity, today, tree.scheme), raised_at=raised_at)
            return item
        except IntegrityError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def special_item_nonconformities(session: Session, engagement_id: int, *, by: Actor) -> dict[int, int]:
    """Each special item's nonconformity number (the first raised for it), by item id."""
    get_engagement(session, engagement_id, by=by)
    rows = session.exec(select(Nonconformity.special_item_id, Nonconformity.number).where(
        Nonconformity.engagement_id == engagement_id, Nonconformity.special_item_id.is_not(None))
        .order_by(Nonconformity.number))
    found: dict[int, int] = {}
    for item_id, number in rows:
        found.setdefault(item_id, number)
    return found


def _check_source(session, engagement_id, severity, code, special_item_id, tree: Tree) -> None:
    if special_item_id is not None:
        item = session.get(SpecialItem, special_item_id)
        if item is None or item.engagement_id != engagement_id or item.kind != SpecialKind.DEDUCTION or item.withdrawn_at:
            raise InvalidInput("只能就本项目有效的特别扣分项开具不符合项")
        raised = session.exec(select(Nonconformity.number).where(
            Nonconformity.special_item_id == special_item_id)).first()
        if raised is not None:
            raise InvalidInput(f"该特别扣分项记录时已开具 NC-{raised:02d}，不再另行开具")
        return
    node = tree.node(code) if code else None
    if node is None or not node.is_leaf:
        raise InvalidInput("请选择不符合项所属的条款")
    row = stored_rating(session, engagement_id, code)
    against = finds_against(row.status, row.nonconforming)
    if severity != Severity.OBSERVATION and not against:
        raise InvalidInput(f"条款 {code} 未被评为不符合（或抽样中没有不符合样本），不能开具不符合项")


def _text(value: str, what: str, required: bool = False) -> str:
    value = clean_text(value)
    if required and not value:
        raise InvalidInput(f"请填写{what}")
    if len(value) > Limit.TEXT:
        raise InvalidInput(f"{what}过长（上限 {Limit.TEXT} 字）")
    return value


STALE = "此不符合项已被他人处理，请刷新后查看最新状态。"
SIDE_ACTION = {Side.CLIENT: Action.ANSWER_NONCONFORMITY, Side.ASSESSOR: Action.RATE}  # who acts for each side


def _stored(session: Session, nc_id: int) -> Nonconformity:
    nc = session.get(Nonconformity, nc_id)
    if nc is None:
        raise NotFound("未找到该不符合项")
    return nc


def get_nonconformity(session: Session, nc_id: int, *, by: Actor) -> Nonconformity:
    nc = _stored(session, nc_id)
    checked_engagement(session, carried_into(session, nc, Action.VIEW_ENGAGEMENT, by=by) or nc.engagement_id,
                       Action.VIEW_ENGAGEMENT, by=by)
    return nc


def carried_into(session: Session, nc: Nonconformity, action: Action, *, by: Actor) -> int | None:
    """The later engagement through which `by` may do `action` on `nc`, or None to check its own engagement.

    A nonconformity still open when the next engagement of the company's cycle starts is carried into it (domain
    brief A7): that engagement's team verifies it. So whoever may do `action` on an engagement that follows the
    nonconformity's (audits/chain.py), but not on its own, acts through that later one: they see the
    nonconformity and its history, and review and close it with the same moves. The move is recorded on the
    nonconformity's own engagement (its history and revision)."""
    own = session.get(Engagement, nc.engagement_id)
    if permits(session, by, action, engagement=own):
        return None
    return next((later.id for later in followers(session, nc.engagement_id)
                 if permits(session, by, action, engagement=later)), None)


def move(session: Session, *, nc_id: int, event: Event, expected_version: int, by: Actor, comment: str = "",
         details: dict | None = None) -> Nonconformity:
    """Apply one workflow event, if the actor's side may and the table allows it; refuse stale views. The team of
    a later engagement of the cycle may act on a carried nonconformity (carried_into)."""
    nc = _stored(session, nc_id)
    action = SIDE_ACTION[ACTOR_SIDE[event]]
    with engagement_scope(session, nc.engagement_id, action, by=by,
                          via=carried_into(session, nc, action, by=by)) as scope:
        return step(scope, nc, event, expected_version=expected_version, comment=comment, details=details or {})


def step(scope: Scope, nc: Nonconformity, event: Event, *, expected_version: int, comment: str = "",
         details: dict) -> Nonconformity:
    """One workflow event inside the caller's scope (which has checked the side's action)."""
    session = scope.session
    target = check_transition(nc.state, event, severity=nc.severity, verification=details.get("verification"))
    if nc.version != expected_version:
        raise StaleEdit(STALE, current=nc)
    before = nc.state
    changed = session.exec(update(Nonconformity).where(Nonconformity.id == nc.id,
                                                       Nonconformity.version == expected_version)
                           .values(state=target, version=expected_version + 1))
    if changed.rowcount != 1:
        raise StaleEdit(STALE)
    session.add(NcEvent(nonconformity_id=nc.id, event=event, from_state=before, to_state=target,
                        comment=comment, details=details, by=scope.by.name))
    session.flush()
    session.refresh(nc)  # read inside this transaction, under its row lock: the state this move wrote
    scope.result_changed()
    return nc


def submit_rectification(session: Session, *, nc_id: int, cause: str, correction: str, corrective_action: str,
                         evidence_ids: list[int], expected_version: int, by: Actor,
                         uploads: Sequence[tuple[str, BinaryIO]] = (), store: BlobStore | None = None,
                         max_bytes: int = 0) -> Nonconformity:
    """The client's answer with the files it names, in one transaction: files chosen among the engagement's, and
    new `uploads` (name, stream). New files are checked and their bytes stored first (by content, so bytes no
    record names are harmless); their records and links are written with the move, so a refused answer leaves
    no file behind. The named files then belong to the answer (their uploader can no longer remove or relink them)."""
    nc = _stored(session, nc_id)
    answer = {"cause": _text(cause, "原因分析", required=True), "correction": _text(correction, "纠正", required=True),
              "corrective_action": _text(corrective_action, "纠正措施", required=True)}
    new = [store_file(store, name, stream, max_bytes=max_bytes) for name, stream in uploads]
    with engagement_scope(session, nc.engagement_id, SIDE_ACTION[Side.CLIENT], by=by) as scope:
        links = {nc.code: {GENERAL}} if nc.code else {}
        added = {record_file(scope, file, links=links, note=f"NC-{nc.number:02d} 整改证据").id for file in new}
        ids = sorted(set(evidence_ids) | added)
        files = [session.get(Evidence, evidence_id) for evidence_id in ids]
        if any(f is None or f.engagement_id != nc.engagement_id or f.removed_at for f in files):
            raise InvalidInput("整改证据必须是本项目中的有效文件")
        moved = step(scope, nc, Event.SUBMIT, expected_version=expected_version, details=answer | {"evidence_ids": ids})
        for file in files:
            file.submitted_at = file.submitted_at or utcnow()
            session.add(file)
    return moved


class Answer(NamedTuple):
    """The client's latest answer to a nonconformity, whole, with the files it names (removed ones marked)."""
    cause: str
    correction: str
    corrective_action: str
    files: list[Evidence]
    by: str
    at: datetime


def last_answer(session: Session, nc_id: int, *, by: Actor) -> Answer | None:
    """What the assessor reviews, and what the client's form starts from after a return; None before any answer."""
    get_nonconformity(session, nc_id, by=by)
    event = session.exec(select(NcEvent).where(NcEvent.nonconformity_id == nc_id, NcEvent.event == Event.SUBMIT)
                         .order_by(NcEvent.id.desc())).first()
    if event is None:
        return None
    ids = event.details.get("evidence_ids", [])
    files = list(session.exec(select(Evidence).where(Evidence.id.in_(ids)).order_by(Evidence.id))) if ids else []
    return Answer(event.details.get("cause", ""), event.details.get("correction", ""),
                  event.details.get("corrective_action", ""), files, event.by, event.at)


def return_rectification(session: Session, *, nc_id: int, reason: str, expected_version: int,
                         by: Actor) -> Nonconformity:
    return move(session, nc_id=nc_id, event=Event.RETURN, expected_version=expected_version, by=by,
                comment=_text(reason, "退回理由", required=True))


def accept_rectification(session: Session, *, nc_id: int, comment: str, expected_version: int,
                         by: Actor) -> Nonconformity:
    return move(session, nc_id=nc_id, event=Event.ACCEPT, expected_version=expected_version, by=by,
                comment=_text(comment, "意见"))


def close_nonconformity(session: Session, *, nc_id: int, verification: str, note: str, expected_version: int,
                        by: Actor) -> Nonconformity:
    return move(session, nc_id=nc_id, event=Event.CLOSE, expected_version=expected_version, by=by,
                comment=_text(note, "验证记录", required=True), details={"verification": verification})


def set_deadline(session: Session, *, nc_id: int, due_date: date, by: Actor, reason: str = "") -> Nonconformity:
    """Only whoever manages the engagement (its lead assessor, or the consultant of a pre-audit) changes a deadline;
    not before the day it was raised, not once the nonconformity is closed. The change is kept in its history
    (who, when, before and after, why) and in the audit log; the state and version do not move."""
    nc = _stored(session, nc_id)
    reason = _text(reason, "变更理由")
    with engagement_scope(session, nc.engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if nc.state in DONE:
            raise InvalidInput(f"NC-{nc.number:02d} 处于“{NC_STATE_LABELS[nc.state]}”状态，不能再变更整改期限")
        raised = local_date(nc.raised_at)
        if due_date < raised:
            raise InvalidInput(f"整改期限不能早于开具日期 {raised}")
        if due_date == nc.due_date:
            return nc
        before, nc.due_date = nc.due_date, due_date
        session.add(nc)
        session.add(NcEvent(nonconformity_id=nc.id, event=Event.DEADLINE, from_state=nc.state, to_state=nc.state,
                            comment=reason, by=by.name,
                            details={"due_before": before.isoformat() if before else None,
                                     "due_after": due_date.isoformat()}))
        scope.audit(audit_log.Event.DEADLINE_CHANGED, target=f"评价项目 {nc.engagement_id} / NC-{nc.number:02d}",
                    detail=f"{before or '无'} → {due_date}" + (f"：{reason}" if reason else ""))
    return nc


def nc_history(session: Session, nc_id: int, *, by: Actor) -> list[NcEvent]:
    get_nonconformity(session, nc_id, by=by)
    return list(session.exec(select(NcEvent).where(NcEvent.nonconformity_id == nc_id).order_by(NcEvent.id)))


def register(session: Session, *, by: Actor, engagement_id: int | None = None, state: str | None = None,
             severity: str | None = None, company_id: int | None = None, code: str | None = None,
             overdue_only: bool = False, today: date | None = None) -> list[RegisterRow]:
    """Nonconformities across the engagements the actor may see, newest first."""
    today = today or local_today()
    n = Nonconformity
    query = (select(n.id, n.engagement_id, n.number, n.code, n.severity, n.state, n.due_date, Company.name,
                    Engagement.title, Engagement.tree_ref)
             .join(Engagement, Engagement.id == n.engagement_id)
             .join(Company, Company.id == Engagement.company_id)
             .where(visible_engagements(session, by)))
    for column, value in ((n.engagement_id, engagement_id), (n.state, state), (n.severity, severity),
                          (Engagement.company_id, company_id), (n.code, code)):
        if value:
            query = query.where(column == value)
    # columns, not objects: hydrating hundreds of ORM rows per rerun was most of the register's cost
    result = session.connection().execute(query.order_by(n.id.desc())).all()
    rows = [RegisterRow(*row, overdue=is_overdue(row[_STATE], row[_DUE], today)) for row in result]
    return [r for r in rows if r.overdue] if overdue_only else rows
