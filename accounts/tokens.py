"""Personal API tokens: create (shown once), list, revoke, and the check each API request makes.

A token is `gbt_` and 43 random characters; only its SHA-256 is stored, with its first characters to tell it
apart. It acts as its user with the user's rights as they are at each request: a disabled user's tokens are dead,
a role change applies at once. Any signed-in user creates and revokes their own tokens; an administrator (who
manages users) lists and revokes anyone's. Creating and revoking are audited in their transaction; a refused
request (unknown, revoked, or its user disabled) is audited in its own.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from accounts.access import acting_role, remember_user, require
from accounts.actor import Actor
from accounts.audit_log import Event, audit, record
from accounts.models import User
from accounts.policy import Action
from accounts.token_models import TOKEN_NAME_LENGTH, ApiToken
from errors import AccessDenied, InvalidInput, NotFound
from records.models import utcnow
from textclean import clean_text

PREFIX = "gbt_"
SHOWN = 8          # characters kept to tell a token apart (the prefix and four more)
TOUCH_EVERY = timedelta(seconds=30)  # last use is written at most this often per token
MAX_TOKENS = 20    # live tokens per user


@dataclass(frozen=True)
class TokenRow:
    """A token as a list shows it: never the token itself."""

    id: int
    user_id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, name: str, by: Actor) -> tuple[TokenRow, str]:
    """A new token for the acting user, named; the second value is the token, which is never shown again."""
    role, user = acting_role(session, by)
    if user is None:
        raise AccessDenied("您没有权限创建API令牌。")
    name = clean_text(name or "").strip()
    if not name or len(name) > TOKEN_NAME_LENGTH:
        raise InvalidInput(f"请填写令牌名称（不超过 {TOKEN_NAME_LENGTH} 字），例如用途或调用它的系统")
    live = session.exec(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    if len(live) >= MAX_TOKENS:
        raise InvalidInput(f"每位用户最多保留 {MAX_TOKENS} 个有效令牌，请先撤销不用的令牌")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(secret), prefix=secret[:SHOWN])
    session.add(token)
    audit(session, username=user.username, action=Event.TOKEN_CREATED, target=f"{token.prefix}…", detail=name)
    session.commit()
    return _row(token, user.username), secret


def list_tokens(session: Session, *, by: Actor, everyone: bool = False) -> list[TokenRow]:
    """The acting user's tokens, newest first; `everyone` (administrators) lists every user's."""
    role, user = acting_role(session, by)
    if user is None:
        return []
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if everyone:
        require(session, by, Action.MANAGE_USERS)
    else:
        query = query.where(ApiToken.user_id == user.id)
    return [_row(token, username) for token, username in session.exec(query.order_by(ApiToken.id.desc()))]


def revoke_token(session: Session, *, token_id: int, by: Actor) -> TokenRow:
    """Revoke a token: its owner may, and so may an administrator. Revoking twice changes nothing more."""
    role, user = acting_role(session, by)
    token = session.get(ApiToken, token_id)
    if token is None or user is None:
        raise NotFound(f"未找到令牌 {token_id}")
    if token.user_id != user.id:
        require(session, by, Action.MANAGE_USERS)
    owner = session.get(User, token.user_id)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = utcnow(), user.username
        session.add(token)
        audit(session, username=user.username, action=Event.TOKEN_REVOKED, target=f"{token.prefix}…",
              detail=f"{owner.username}：{token.name}")
        session.commit()
    return _row(token, owner.username)


def token_actor(session: Session, secret: str, *, now: datetime | None = None) -> Actor | None:
    """The actor a request's token stands for, or None (unknown, revoked, or its user disabled: audited)."""
    now = now or utcnow()
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first() \
        if secret.startswith(PREFIX) else None
    user = session.get(User, token.user_id) if token is not None else None
    if token is None or token.revoked_at is not None or user is None or not user.active:
        why = "未知令牌" if token is None else "令牌已撤销" if token.revoked_at is not None else "用户已停用"
        record(session, username=user.username if user else "（API）", action=Event.TOKEN_REFUSED,
               target=f"{token.prefix}…" if token else f"{secret[:SHOWN]}…", detail=why)
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        session.commit()
    remember_user(session, user)
    return Actor(name=user.display_name, user_id=user.id, username=user.username, role=user.role,
                 company_id=user.company_id)


def _row(token: ApiToken, username: str) -> TokenRow:
    return TokenRow(token.id, token.user_id, username, token.name, token.prefix, token.created_at,
                    token.last_used_at, token.revoked_at, token.revoked_by)
