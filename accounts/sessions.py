"""Sign-in sessions that survive a browser reload: a random token in a cookie, its hash in the database.

A session ends on logout, after `idle` without activity, or as soon as its user is disabled.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from accounts.access import remember_user
from accounts.models import SignInSession, User
from records.models import utcnow

TOUCH_EVERY = timedelta(seconds=30)
HANDOFF_TIME = timedelta(minutes=2)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=_digest(token), user_id=user.id))
    session.commit()
    return token


def start_handoff(session: Session, user: User) -> tuple[str, str]:
    """A new session's token (for the page that signed in) and a one-time code the browser then exchanges at the
    server for its cookie (claim_handoff): the cookie is set by the server's answer, never by a page script."""
    token, code = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=_digest(token), user_id=user.id, handoff_hash=_digest(code)))
    session.commit()
    return token, code


def claim_handoff(session: Session, code: str, *, now: datetime | None = None) -> str | None:
    """The session's new token for the cookie, once, within HANDOFF_TIME of signing in; else None. The token
    the page held is replaced, so a code seen in a log or history is worth nothing afterwards."""
    now = now or utcnow()
    found = session.exec(select(SignInSession).where(SignInSession.handoff_hash == _digest(code))).first() \
        if code else None
    if found is None or found.ended_at is not None or now - found.created_at > HANDOFF_TIME:
        return None
    token = secrets.token_urlsafe(32)
    found.token_hash, found.handoff_hash, found.last_seen = _digest(token), None, now
    session.add(found)
    session.commit()
    return token


def resume_session(session: Session, token: str, *, idle: timedelta, now: datetime | None = None) -> User | None:
    """The session's user if it is still alive (and mark it active), else None."""
    now = now or utcnow()
    # the session and its user in one read: every rerun of every page passes here
    row = session.exec(select(SignInSession, User).outerjoin(User, User.id == SignInSession.user_id)
                       .where(SignInSession.token_hash == _digest(token))).first() if token else None
    found, user = row or (None, None)
    if found is None or found.ended_at is not None:
        return None
    if now - found.last_seen > idle or user is None or not user.active:
        found.ended_at = now
        session.add(found)
        session.commit()
        return None
    remember_user(session, user)
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
