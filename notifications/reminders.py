"""Sending each person one digest of what is due for them, at most once a day, and recording it.

Rules: every active user with an e-mail address gets one digest a day listing the due items they are responsible
for and may see (cycle.due); a user with nothing due gets none; a user without an address is skipped and counted.
A digest is recorded (ReminderSent with the items) only once the server took it, so a second run the same day
sends that person nothing. A failure (the server refused, is unreachable, or rejected the message) is recorded
with its error and sends nothing for that person, so the next run tries again: a reminder is never lost. One
audit row per run gives the counts.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from accounts.audit_log import Event, audit
from accounts.models import User
from accounts.users import actor_of
from config import Settings
from criteria.registry import TreeRegistry
from cycle.due import due_items, responsible_for
from cycle.models import ReminderSent
from errors import InvalidInput
from notifications.digest import build_digest, item_record
from notifications.mailer import MailError, connect, message, sender_of
from records.models import utcnow
from vocabulary import LOGIN_ROLES, Limit

RUNNER = "send-due"


@dataclass
class RunReport:
    day: date
    sent: list[str] = field(default_factory=list)                     # usernames
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # username, address, error
    already: int = 0       # sent earlier the same day
    nothing_due: int = 0
    no_email: int = 0

    def summary(self) -> str:
        return (f"{self.day}：已发送 {len(self.sent)} 封，失败 {len(self.failed)} 封，今日已发送过 {self.already} 人，"
                f"无到期事项 {self.nothing_due} 人，无邮箱跳过 {self.no_email} 人。")


def send_due(session: Session, *, today: date, config: Settings, trees: TreeRegistry | None = None) -> RunReport:
    """Send today's digests; see the module's rules. Needs config.smtp_host (the caller checks it)."""
    sender = sender_of(config)
    if not sender:
        raise InvalidInput("未设置发件人地址（AUDIT_SMTP_SENDER），无法发送提醒邮件")
    report, outbox = RunReport(today), []
    done_today = set(session.exec(select(ReminderSent.user_id).where(
        ReminderSent.day == today, col(ReminderSent.sent_at).is_not(None))))
    for user in session.exec(select(User).where(User.active, col(User.role).in_(list(LOGIN_ROLES)))
                             .order_by(User.id)).all():
        if not user.email:
            report.no_email += 1
        elif user.id in done_today:
            report.already += 1
        elif items := responsible_for(due_items(session, by=actor_of(user), today=today, trees=trees), user.id):
            outbox.append((user, items))
        else:
            report.nothing_due += 1
    if outbox:
        _deliver(session, outbox, report, config, sender)
    audit(session, username=RUNNER, action=Event.REMINDERS_SENT, target=str(today), detail=report.summary())
    session.commit()
    return report


def _deliver(session: Session, outbox: list, report: RunReport, config: Settings, sender: str) -> None:
    """One connection for the run; each person's digest recorded in its own commit, sent or failed."""
    try:
        server = connect(config)
    except MailError as exc:
        for user, items in outbox:
            _failed(session, user, items, report, _reason(exc))
        return
    try:
        for user, items in outbox:
            digest = build_digest(name=user.display_name, items=items, today=report.day,
                                  public_url=config.public_url, body_name=config.body_name)
            try:
                server.send_message(message(sender=sender, to_name=user.display_name, to_address=user.email,
                                            subject=digest.subject, body=digest.body))
            except MailError as exc:
                _failed(session, user, items, report, _reason(exc))
                continue
            _sent(session, user, items, report)
    finally:
        try:
            server.quit()
        except MailError:
            server.close()


def _sent(session: Session, user: User, items: list, report: RunReport) -> None:
    session.add(ReminderSent(user_id=user.id, day=report.day, address=user.email,
                             items=[item_record(i) for i in items], sent_at=utcnow()))
    try:
        session.commit()
    except IntegrityError:  # a run at the same moment recorded this person's digest first
        session.rollback()
    report.sent.append(user.username)


def _failed(session: Session, user: User, items: list, report: RunReport, error: str) -> None:
    session.add(ReminderSent(user_id=user.id, day=report.day, address=user.email,
                             items=[item_record(i) for i in items], failed_at=utcnow(), error=error[:Limit.SHORT]))
    session.commit()
    report.failed.append((user.username, user.email, error))


def _reason(exc: BaseException) -> str:
    """The failure in a line: the server's answer when it gave one, else the connection error."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP {exc.smtp_code}: {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "收件地址被服务器拒绝：" + "、".join(exc.recipients)
    if isinstance(exc, ConnectionRefusedError):
        return "无法连接邮件服务器（连接被拒绝）"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
