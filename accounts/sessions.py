"""Sign-in sessions that survive a browser reload: a random token in a cookie, its hash in the database.

A session ends on logout, after `idle` without activity, or as soon as its user is disabled.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from accounts.models import SignInSession, User
from records.models import utcnow

TOUCH_EVERY = timedelta(seconds=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=_digest(token), user_id=user.id))
    session.commit()
    return token


def resume_session(session: Session, token: str, *, idle: timedelta, now: datetime | None = None) -> User | None:
    """The session's user if it is still alive (and mark it active), else None."""
    now = now or utcnow()
    found = session.exec(select(SignInSession).where(SignInSession.token_hash == _digest(token))).first() \
        if token else None
    if found is None or found.ended_at is not None:
        return None
    user = session.get(User, found.user_id)
    if now - found.last_seen > idle or user is None or not user.active:
        found.ended_at = now
        session.add(found)
        session.commit()
        return None
    if now - found.last_seen > TOUCH_EVERY:
        found.last_seen = now
        session.add(found)
        session.commit()
    return user


def end_session(session: Session, token: str) -> None:
    found = session.exec(select(SignInSession).where(SignInSession.token_hash == _digest(token))).first()
    if found is not None and found.ended_at is None:
        found.ended_at = utcnow()
        session.add(found)
        session.commit()
