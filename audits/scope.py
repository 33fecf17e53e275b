"""One way for a use case to reach an engagement: load it once, check the action once, own the transaction.

    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        ...change rows...
        scope.result_changed()

Leaving the block normally commits; an exception rolls everything back, so a helper called inside never commits
or rolls back its caller's work. `result_changed` moves the engagement's revision in the same transaction: every
write that can change the score or the decision calls it, and pages keep a computed result until it moves.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import Session, update

from accounts.access import remembered, require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.chain import followers
from errors import NotFound
from records.models import Engagement


@dataclass
class Scope:
    session: Session
    by: Actor
    engagement: Engagement

    def audit(self, action: Event, *, target: str = "", detail: str = "") -> None:
        """Log this use case's business action in its own transaction (see accounts.audit_log.audit)."""
        audit(self.session, username=self.by.username or self.by.name, action=action,
              target=target or f"评价项目 {self.engagement.id}《{self.engagement.title}》", detail=detail)

    def result_changed(self) -> None:
        """This transaction changed what the engagement's result is computed from."""
        self.session.exec(update(Engagement).where(Engagement.id == self.engagement.id)
                          .values(revision=Engagement.revision + 1))


def checked_engagement(session: Session, engagement_id: int, action: Action, *, by: Actor) -> Engagement:
    """The engagement, once the actor may do `action` on it; NotFound or AccessDenied otherwise."""
    known = remembered(session, "engagements")
    engagement = known.get(engagement_id) or session.get(Engagement, engagement_id)
    known[engagement_id] = engagement
    if engagement is None:
        raise NotFound(f"未找到评价项目 {engagement_id}")
    require(session, by, action, engagement=engagement)
    return engagement


@contextmanager
def engagement_scope(session: Session, engagement_id: int, action: Action, *, by: Actor,
                     via: int | None = None) -> Iterator[Scope]:
    """A use case's transaction on one engagement: committed when the block ends, rolled back when it raises.
    `via`: a later engagement that follows this one in its cycle (audits/chain.py), on which the action is checked
    instead: its team verifies what is carried over from this one (nonconformities/services.py)."""
    try:
        yield Scope(session, by, checked_engagement(session, engagement_id, action, by=by) if via is None
                    else _followed(session, engagement_id, via, action, by))
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _followed(session: Session, engagement_id: int, via: int, action: Action, by: Actor) -> Engagement:
    """The engagement, once the actor may do `action` on `via`, which follows it."""
    checked_engagement(session, via, action, by=by)
    if via not in {e.id for e in followers(session, engagement_id)}:
        raise NotFound(f"评价项目 {via} 并不接续评价项目 {engagement_id}")
    return session.get(Engagement, engagement_id)


def engagement_revision(session: Session, engagement_id: int, *, by: Actor) -> int:
    """The engagement's revision, for keying a computed result; checks the actor may see it."""
    return checked_engagement(session, engagement_id, Action.VIEW_ENGAGEMENT, by=by).revision
