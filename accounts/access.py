"""The access check every service calls, with the acting user read from the database.

The user and the facts about them (team role, consultant assignment) are read once per session (or page run)
until the session writes what they are read from (a commit that wrote a user, a team member or an assignment, or
any rollback, forgets them; any write forgets the engagements read): a page run asks many services about the same
engagement, and the answer can only change through a write.

`require` builds the target's facts (company, engagement kind, the user's team role, consultant assignment),
asks the policy, and on refusal logs it and raises AccessDenied. `visible_engagements` is the same rule as
a query filter, for lists.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

from sqlalchemy import event, false, true
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event, record
from accounts.models import ConsultantCompany, User
from accounts.policy import ACTION_LABELS, Action, Target, allowed
from errors import AccessDenied
from records.models import Company, Engagement, TeamMember
from vocabulary import EngagementKind, Role


def acting_role(session: Session, actor: Actor) -> tuple[str, User | None]:
    """The actor's current role (from the database for a real user); inactive or unknown users have none."""
    if actor.user_id is None:
        return (Role.SYSTEM, None) if actor.role == Role.SYSTEM else ("", None)
    users = _remembered(session)["users"]
    if actor.user_id not in users:
        users[actor.user_id] = session.get(User, actor.user_id)  # held: the identity map alone keeps no object
    user = users[actor.user_id]
    if user is None or not user.active:
        return "", None
    return user.role, user


def remember_user(session: Session, user: User) -> None:
    """A user this session has just read (signing in, resuming): the access checks that follow reuse it."""
    _remembered(session)["users"][user.id] = user


def permits(session: Session, actor: Actor, action: Action, *, company_id: int | None = None,
            engagement: Engagement | None = None, kind: str | None = None) -> bool:
    """Whether `require` would let the actor do this, from the same facts; for offering an action on screen."""
    role, user = acting_role(session, actor)
    return allowed(role, action, _target(session, user, company_id, engagement, kind))


def require(session: Session, actor: Actor, action: Action, *, company_id: int | None = None,
            engagement: Engagement | None = None, kind: str | None = None) -> None:
    if permits(session, actor, action, company_id=company_id, engagement=engagement, kind=kind):
        return
    what = f"评价项目 {engagement.id}" if engagement else f"企业 {company_id}" if company_id else ""
    refuse(session, actor, f"您没有权限{ACTION_LABELS[action]}" + (f"（{what}）" if what else "") + "。",
           target=_named(session, engagement, company_id), detail=ACTION_LABELS[action])


def refuse(session: Session, actor: Actor, message: str, *, target: str = "", detail: str = "") -> NoReturn:
    """Log a refusal in the audit log (in its own transaction) and raise AccessDenied with `message`."""
    user = acting_role(session, actor)[1]
    record(session, username=user.username if user else actor.name, action=Event.REFUSED, target=target,
           detail=detail or message)
    raise AccessDenied(message)


def _named(session: Session, engagement: Engagement | None, company_id: int | None) -> str:
    """What a refusal was about, as a reader of the audit log recognises it."""
    if engagement is not None:
        return f"评价项目 {engagement.id}《{engagement.title}》"
    company = session.get(Company, company_id) if company_id else None
    return company.name if company else ""


def _target(session: Session, user: User | None, company_id, engagement, kind) -> Target:
    if engagement is not None:
        company_id, kind = engagement.company_id, engagement.kind
    if user is None:
        return Target(company_id=company_id, kind=kind)
    engagement_id = engagement.id if engagement is not None else None
    team_role, assigned = _facts(session, user, engagement_id, company_id)
    return Target(company_id=company_id, kind=kind, team_role=team_role, assigned=assigned,
                  own_company=user.company_id)


def _facts(session: Session, user: User, engagement_id: int | None, company_id: int | None) -> tuple:
    """The user's team role in the engagement and whether a consultant is assigned to the company."""
    facts = _remembered(session)["facts"]
    key = (user.id, engagement_id, company_id)
    if key not in facts:
        team_role = None
        if engagement_id is not None:
            team_role = session.exec(select(TeamMember.role).where(TeamMember.engagement_id == engagement_id,
                                                                   TeamMember.user_id == user.id)).first()
        assigned = user.role == Role.CONSULTANT and company_id is not None and session.exec(
            select(ConsultantCompany.id).where(ConsultantCompany.user_id == user.id,
                                               ConsultantCompany.company_id == company_id)).first() is not None
        facts[key] = (team_role, assigned)
    return facts[key]


def _remembered(session: Session) -> dict:
    """What this session, or the page run it belongs to (see remember_per_run), has read about who acts."""
    memo = _RUN_MEMO.get()
    return memo if memo is not None else session.info.setdefault(REMEMBERED, _fresh())


def _fresh() -> dict:
    return {"users": {}, "facts": {}, "engagements": {}}


def remembered(session: Session, kind: str) -> dict:
    """The objects of `kind` ("users", "facts", "engagements") already read in this session or page run."""
    return _remembered(session)[kind]


@contextmanager
def remember_per_run(held: dict | None = None) -> Iterator[dict]:
    """Share what the access checks read across every session inside the block: the user and the facts about
    them are read once per page run, not once per panel. The UI wraps each page run in it, and each fragment's
    body too (ui/current.py `fragment`): a fragment rerun alone does not pass the app's top, and inside a full
    run the fragment's block shares the page's. `held`: what a block just before it in the same run read and
    kept (a callback's, which runs before the page); what was read is dropped when the block ends."""
    if (memo := _RUN_MEMO.get()) is not None:
        yield memo
        return
    memo = held if held is not None else _fresh()
    token = _RUN_MEMO.set(memo)
    try:
        yield memo
    finally:
        _RUN_MEMO.reset(token)


# The tables each kind of remembered fact is read from: a commit that wrote none of them keeps it (a rating saved
# leaves the user and their team role as they were). The engagements, and any kind not listed, go on every write.
READ_FROM = {"users": {"user"}, "facts": {"user", "teammember", "consultantcompany"}}
ANY = "*"  # a write whose table is not known


def _wrote(session: Session, _context) -> None:
    session.info.setdefault(WROTE, set()).update(getattr(type(o), "__tablename__", ANY)
                                                 for o in (*session.new, *session.dirty, *session.deleted))


def _executed(state) -> None:
    """A bulk insert, update or delete (`session.exec(update(...))`) writes without a flush."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        state.session.info.setdefault(WROTE, set()).add(getattr(table, "name", ANY))


def _forget_if_written(session: Session) -> None:
    if written := session.info.pop(WROTE, None):
        _forget(session, written=written)


def _forget(session: Session, _transaction=None, *, written: set[str] = frozenset({ANY})) -> None:
    session.info.pop(WROTE, None)
    for memo in (session.info.get(REMEMBERED), _RUN_MEMO.get()):
        for kind, kept in (memo or {}).items():
            if kind not in READ_FROM or ANY in written or READ_FROM[kind] & written:
                kept.clear()


_RUN_MEMO: ContextVar[dict | None] = ContextVar("access_run_memo", default=None)
REMEMBERED, WROTE = "access-remembered", "access-wrote"
event.listen(Session, "after_flush", _wrote)
event.listen(Session, "do_orm_execute", _executed)
event.listen(Session, "after_commit", _forget_if_written)
event.listen(Session, "after_soft_rollback", _forget)


def visible_engagements(session: Session, actor: Actor):
    """A where-clause on Engagement keeping what the actor may see (the VIEW_ENGAGEMENT rule as SQL)."""
    role, user = acting_role(session, actor)
    if role in (Role.SYSTEM, Role.ADMIN):
        return true()
    if role == Role.ASSESSOR:
        return Engagement.id.in_(select(TeamMember.engagement_id).where(TeamMember.user_id == user.id))
    if role == Role.CONSULTANT:
        return Engagement.company_id.in_(_assigned(user)) & (Engagement.kind == EngagementKind.PRE_AUDIT)
    if role == Role.CLIENT:
        return Engagement.company_id == user.company_id
    if role == Role.DECISION_MAKER:
        return Engagement.kind != EngagementKind.PRE_AUDIT
    return false()


def visible_company_ids(session: Session, actor: Actor) -> set[int] | None:
    """The companies the actor may see; None means all of them."""
    role, user = acting_role(session, actor)
    if role in (Role.SYSTEM, Role.ADMIN, Role.ASSESSOR, Role.DECISION_MAKER):
        return None
    if role == Role.CONSULTANT:
        return set(session.exec(_assigned(user)))
    if role == Role.CLIENT and user.company_id:
        return {user.company_id}
    return set()


def _assigned(user: User):
    return select(ConsultantCompany.company_id).where(ConsultantCompany.user_id == user.id)
