"""Use cases for accounts: create users, log in (with lock-out), change passwords and roles, assign companies.

A wrong password, an unknown user, a disabled or a locked account all take the same path (a full password
check) and give the same message, so the login form tells an attacker nothing about which accounts exist.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from accounts.access import require
from accounts.actor import Actor
from accounts.audit_log import Event, query_events, record
from accounts.models import ConsultantCompany, User
from accounts.passwords import check_new_password, dummy_hash, hash_password, needs_rehash, verify_password
from accounts.policy import Action
from errors import InvalidInput, LoginFailed, NotFound
from records.models import Company, utcnow
from vocabulary import LOGIN_ROLES, Role

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,49}$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
MAX_FAILURES = 5
LOCK_MINUTES = 15
LOGIN_FAILED = f"用户名或密码错误。连续失败 {MAX_FAILURES} 次后账户将锁定 {LOCK_MINUTES} 分钟。"


def actor_of(user: User) -> Actor:
    return Actor(name=user.display_name, user_id=user.id, username=user.username, role=user.role,
                 company_id=user.company_id)


def create_user(session: Session, *, username: str, display_name: str, role: str, password: str,
                company_id: int | None = None, email: str = "", by: Actor) -> User:
    require(session, by, Action.MANAGE_USERS)
    username, display_name, email = username.strip(), display_name.strip(), checked_email(email)
    if not USERNAME.match(username):
        raise InvalidInput("用户名为 2 至 50 位字母、数字或 . _ @ -，以字母或数字开头")
    if not display_name or len(display_name) > 100:
        raise InvalidInput("请填写姓名（不超过 100 字）")
    _check_role(session, role, company_id)
    check_new_password(password, username)
    user = User(username=username, display_name=display_name, role=role, password_hash=hash_password(password),
                company_id=company_id if role == Role.CLIENT else None, password_changed_at=utcnow(), email=email)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidInput(f"用户名 {username} 已被使用") from None
    record(session, username=by.username or by.name, action=Event.USER_CREATED, target=username, detail=role)
    return user


def checked_email(email: str) -> str:
    """The address, trimmed; empty means no reminders. Refused when it is not one address (local@domain)."""
    email = email.strip()
    if email and (len(email) > 254 or not EMAIL.match(email)):
        raise InvalidInput(f"邮箱地址“{email[:60]}”格式不正确，应为 name@example.com 的形式")
    return email


def set_email(session: Session, *, user_id: int, email: str, by: Actor) -> User:
    """Where the user's reminders go (empty: none)."""
    require(session, by, Action.MANAGE_USERS)
    user = _user(session, user_id)
    before, user.email = user.email, checked_email(email)
    session.add(user)
    session.commit()
    record(session, username=by.username or by.name, action=Event.EMAIL_CHANGED, target=user.username,
           detail=f"{before or '（无）'} -> {user.email or '（无）'}")
    return user


def _check_role(session: Session, role: str, company_id: int | None) -> None:
    if role not in LOGIN_ROLES:
        raise InvalidInput("角色无效")
    if role == Role.CLIENT and (company_id is None or session.get(Company, company_id) is None):
        raise InvalidInput("企业用户必须属于一家已登记的企业")


def authenticate(session: Session, username: str, password: str, *, now: datetime | None = None) -> User:
    now = now or utcnow()
    user = session.exec(select(User).where(User.username == username.strip())).first()
    password_ok = verify_password(user.password_hash if user and user.password_hash else dummy_hash(), password)
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    if user is None or not user.active or locked or not password_ok:
        if user is not None and user.active and not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins = now + timedelta(minutes=LOCK_MINUTES), 0
            session.add(user)
            session.commit()
        record(session, username=username.strip()[:100] or "-", action=Event.LOGIN_FAILED,
               detail="locked" if locked else "")
        raise LoginFailed(LOGIN_FAILED)
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    session.commit()
    record(session, username=user.username, action=Event.LOGIN)
    return user


def sso_login(session: Session, *, subject: str, email: str) -> User:
    """Map an identity provider's user onto a local account: by its subject, or on first use by e-mail."""
    user = session.exec(select(User).where(User.sso_subject == subject)).first() if subject else None
    if user is None and email:
        user = session.exec(select(User).where(User.username == email, User.sso_subject.is_(None))).first()
        if user is not None:
            user.sso_subject = subject
    if user is None or not user.active:
        record(session, username=email or subject or "-", action=Event.LOGIN_FAILED, detail="sso")
        raise LoginFailed("单点登录的账户未在本系统开通或已停用，请联系管理员。")
    session.add(user)
    session.commit()
    record(session, username=user.username, action=Event.LOGIN, detail="sso")
    return user


def change_password(session: Session, *, user_id: int, current: str, new: str, by: Actor) -> None:
    user = session.get(User, user_id)
    if user is None or by.user_id != user_id:
        raise NotFound("未找到该用户")
    if not verify_password(user.password_hash, current):
        raise InvalidInput("当前密码不正确")
    check_new_password(new, user.username)
    user.password_hash, user.password_changed_at = hash_password(new), utcnow()
    session.add(user)
    session.commit()
    record(session, username=user.username, action=Event.PASSWORD_CHANGED)


def reset_password(session: Session, *, user_id: int, new: str, by: Actor) -> None:
    require(session, by, Action.MANAGE_USERS)
    user = _user(session, user_id)
    check_new_password(new, user.username)
    user.password_hash, user.failed_logins, user.locked_until = hash_password(new), 0, None
    session.add(user)
    session.commit()
    record(session, username=by.username or by.name, action=Event.PASSWORD_RESET, target=user.username)


def set_role(session: Session, *, user_id: int, role: str, company_id: int | None = None, by: Actor) -> User:
    require(session, by, Action.MANAGE_USERS)
    user = _user(session, user_id)
    _check_role(session, role, company_id)
    before = user.role
    user.role, user.company_id = role, company_id if role == Role.CLIENT else None
    session.add(user)
    session.commit()
    record(session, username=by.username or by.name, action=Event.ROLE_CHANGED, target=user.username, detail=f"{before} -> {role}")
    return user


def set_active(session: Session, *, user_id: int, active: bool, by: Actor) -> User:
    require(session, by, Action.MANAGE_USERS)
    user = _user(session, user_id)
    if user.id == by.user_id and not active:
        raise InvalidInput("不能停用自己的账户")
    user.active = active
    session.add(user)
    session.commit()
    record(session, username=by.username or by.name, action=Event.USER_ENABLED if active else Event.USER_DISABLED,
           target=user.username)
    return user


def assign_companies(session: Session, *, user_id: int, company_ids: set[int], by: Actor) -> None:
    require(session, by, Action.MANAGE_USERS)
    user = _user(session, user_id)
    if user.role != Role.CONSULTANT:
        raise InvalidInput("只能为咨询师分配企业")
    session.exec(delete(ConsultantCompany).where(ConsultantCompany.user_id == user_id))
    session.add_all(ConsultantCompany(user_id=user_id, company_id=c) for c in sorted(company_ids))
    session.commit()
    record(session, username=by.username or by.name, action=Event.ASSIGNMENT_CHANGED, target=user.username,
           detail=",".join(map(str, sorted(company_ids))))


def assigned_companies(session: Session, user_id: int, *, by: Actor) -> set[int]:
    """The companies a consultant is assigned to: for administrators, and for the consultant themself."""
    if by.user_id != user_id:
        require(session, by, Action.MANAGE_USERS)
    return set(session.exec(select(ConsultantCompany.company_id).where(ConsultantCompany.user_id == user_id)))


def list_users(session: Session, *, by: Actor, role: str | None = None) -> list[User]:
    """All users for an administrator; staff (who form teams) may list active assessors and consultants."""
    require(session, by, Action.VIEW_STAFF if role in (Role.ASSESSOR, Role.CONSULTANT) else Action.MANAGE_USERS)
    query = select(User).order_by(User.role, User.username)
    if role:
        query = query.where(User.role == role, User.active)
    return list(session.exec(query))


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("未找到该用户")
    return user


def audit_events(session: Session, *, by: Actor, **filters) -> list:
    """The audit log, newest first, for administrators."""
    require(session, by, Action.VIEW_AUDIT_LOG)
    return query_events(session, **filters)
