"""`python -m notifications send-due` against a real SMTP server on 127.0.0.1 (aiosmtpd): one digest per person
per day with that person's items, nothing on a second run the same day, a failure recorded and sent again on the
next run; the e-mail address is checked where users are created and edited."""
import email
import email.policy
import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import create_user, set_email
from config import settings
from cycle.models import CertificateEvent, ReminderSent
from errors import InvalidInput
from notifications.__main__ import main
from tests import cycle_rows as rows
from tests.factories import actor
from vocabulary import CertificateMove, CertificateState

TODAY = date(2026, 11, 30)
PUBLIC = "https://audit.example.cn"
ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """An aiosmtpd handler keeping every message; recipients in `refuse` get 550 at RCPT."""

    def __init__(self):
        self.messages, self.refuse = [], set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def by_recipient(self) -> dict[str, list]:
        found: dict[str, list] = {}
        for message in self.messages:
            found.setdefault(message["To"].addresses[0].addr_spec, []).append(message)
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self):
        self.inbox, self.port, self.controller, self.login = Inbox(), free_port(), None, None

    def start(self):
        extra = {} if self.login is None else {"authenticator": self._check, "auth_required": True,
                                               "auth_require_tls": False}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **extra)
        self.controller.start()

    def _check(self, server, session, envelope, mechanism, auth_data):
        given = tuple(v.decode() if isinstance(v, bytes) else v for v in (auth_data.login, auth_data.password)) \
            if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=given == self.login, handled=False)  # aiosmtpd answers 535 itself

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(engine, monkeypatch):
    server = Server()
    server.start()
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_TLS": "none",
                        "SMTP_SENDER": "reminders@body.example.cn", "PUBLIC_URL": PUBLIC, "BODY_NAME": "示例认证中心",
                        "DATABASE_URL": engine.url.render_as_string(hide_password=False)}.items():
        monkeypatch.setenv(f"AUDIT_{name}", value)
    settings.cache_clear()
    yield server
    if server.controller is not None and server.controller.server is not None:
        server.stop()
    settings.cache_clear()


@pytest.fixture
def due(db):
    """pm (administrator) is due a surveillance; wa (client of A) that and a nonconformity; zhang (lead) the
    nonconformity and an unsent plan; wb has nothing due; li has no address."""
    a, b = rows.company(db, 0), rows.company(db, 1)
    people = {"pm": rows.user(db, "pm", "admin", email="pm@body.example.cn"),
              "zhang": rows.user(db, "zhang", "assessor", email="zhang@body.example.cn"),
              "li": rows.user(db, "li", "assessor"),
              "wa": rows.user(db, "wa", "client", company=a, email="wa@a.example.cn"),
              "wb": rows.user(db, "wb", "client", company=b, email="wb@b.example.cn")}
    certified = rows.engagement(db, a, lead=people["zhang"])
    rows.certificate(db, certified, date(2025, 12, 1), cycle=rows.cycle_of(db, certified), number="GBT27922-2025-0007")
    rows.nonconformity(db, rows.engagement(db, a, lead=people["zhang"], members=[people["li"]]), date(2026, 12, 4))
    rows.plan(db, rows.engagement(db, a, lead=people["zhang"], start_date=date(2026, 12, 3), title="监督评价现场"),
              visit_start=date(2026, 12, 3))
    return people


def run(today=TODAY) -> int:
    return main(["send-due", "--today", today.isoformat()])


def reminders(db):
    db.expire_all()
    return list(db.exec(select(ReminderSent).order_by(ReminderSent.id)))


def test_each_person_gets_one_digest_with_their_items(db, due, smtp, capsys):
    assert run() == 0
    got = smtp.inbox.by_recipient()
    assert sorted(got) == ["pm@body.example.cn", "wa@a.example.cn", "zhang@body.example.cn"]
    assert all(len(messages) == 1 for messages in got.values())
    pm, wa, zhang = (got[a][0] for a in ("pm@body.example.cn", "wa@a.example.cn", "zhang@body.example.cn"))
    assert pm["From"] == "reminders@body.example.cn" and "到期事项提醒：1 项" in pm["Subject"]
    body = pm.get_content()
    assert "GBT27922-2025-0007 第 1 次监督评价" in body and PUBLIC in body and "pm，您好" in body
    assert "不符合项" not in body
    assert "监督评价" in wa.get_content() and "NC-01" in wa.get_content()
    assert "NC-01" in zhang.get_content() and "《监督评价现场》" in zhang.get_content()
    assert "GBT27922" not in zhang.get_content()
    assert "已发送 3 封" in capsys.readouterr().out
    assert [(r.address, len(r.items)) for r in reminders(db)] == [
        ("pm@body.example.cn", 1), ("zhang@body.example.cn", 2), ("wa@a.example.cn", 2)]


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(db, due, smtp, capsys):
    assert run() == 0
    assert run() == 0
    assert len(smtp.inbox.messages) == 3
    assert "今日已发送过 3 人" in capsys.readouterr().out
    assert run(date(2026, 12, 1)) == 0
    assert len(smtp.inbox.messages) == 6
    counts = [e.detail for e in db.exec(select(AuditEvent).where(AuditEvent.action == Event.REMINDERS_SENT))]
    assert len(counts) == 3 and "无邮箱跳过 1 人" in counts[0]


def test_a_server_that_is_down_loses_no_reminder(db, due, smtp, capsys):
    smtp.stop()
    assert run() == 1
    err = capsys.readouterr().err
    assert err.count("发送失败") == 3 and "下次运行时将重新发送" in err
    failed = reminders(db)
    assert len(failed) == 3 and all(r.sent_at is None and r.failed_at and r.error for r in failed)
    smtp.start()
    assert run() == 0
    assert sorted(smtp.inbox.by_recipient()) == ["pm@body.example.cn", "wa@a.example.cn", "zhang@body.example.cn"]
    assert run() == 0 and len(smtp.inbox.messages) == 3


def test_a_refused_address_fails_alone_and_is_tried_again(db, due, smtp, capsys):
    smtp.inbox.refuse = {"wa@a.example.cn"}
    assert run() == 1
    assert "wa <wa@a.example.cn>" in capsys.readouterr().err
    assert sorted(smtp.inbox.by_recipient()) == ["pm@body.example.cn", "zhang@body.example.cn"]
    smtp.inbox.refuse = set()
    assert run() == 0
    assert smtp.inbox.by_recipient()["wa@a.example.cn"] and len(smtp.inbox.messages) == 3


def test_without_an_smtp_host_nothing_is_sent(db, due, smtp, monkeypatch, capsys):
    monkeypatch.setenv("AUDIT_SMTP_HOST", "")
    settings.cache_clear()
    assert run() == 0
    assert "未设置邮件服务器" in capsys.readouterr().out
    assert smtp.inbox.messages == [] and reminders(db) == []


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "张三@例子", "a b@example.cn", "x@" + "a" * 260 + ".cn"])
def test_an_address_that_is_not_one_is_refused(db, address):
    with pytest.raises(InvalidInput, match="邮箱"):
        create_user(db, username="who", display_name="谁", role="admin", password=rows.PASSWORD, email=address,
                    by=actor())
    made = rows.user(db, "who2", "admin")
    with pytest.raises(InvalidInput, match="邮箱"):
        set_email(db, user_id=made.id, email=address, by=actor())


def test_an_address_is_kept_trimmed_and_can_be_removed(db):
    made = create_user(db, username="who", display_name="谁", role="admin", password=rows.PASSWORD,
                       email=" pm@body.example.cn ", by=actor())
    assert made.email == "pm@body.example.cn"
    assert set_email(db, user_id=made.id, email="", by=actor()).email == ""


def test_the_command_itself_sends_the_digests_once(db, due, smtp):
    command = [sys.executable, "-m", "notifications", "send-due", "--today", TODAY.isoformat()]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert first.returncode == 0, first.stderr
    assert "已发送 3 封" in first.stdout
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert second.returncode == 0 and "今日已发送过 3 人" in second.stdout
    assert len(smtp.inbox.messages) == 3


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a test server on 127.0.0.1
def test_a_server_asking_for_a_login_gets_the_configured_one_and_a_wrong_one_fails(db, due, smtp, monkeypatch,
                                                                                   capsys):
    smtp.stop()
    smtp.login = ("reminders", "s3cret-pass")
    smtp.start()
    monkeypatch.setenv("AUDIT_SMTP_USER", "reminders")
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", "wrong")
    settings.cache_clear()
    assert run() == 1
    assert "SMTP 535" in capsys.readouterr().err and smtp.inbox.messages == []
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", "s3cret-pass")
    settings.cache_clear()
    assert run() == 0
    assert len(smtp.inbox.messages) == 3


def test_the_daily_run_moves_a_certificate_past_its_expiry_to_expired_first(db, due, smtp, monkeypatch, capsys):
    monkeypatch.setenv("AUDIT_SMTP_HOST", "")
    settings.cache_clear()
    old = rows.engagement(db, rows.company(db, 2))
    cert = rows.certificate(db, old, date(2023, 1, 10), number="GBT27922-2023-0001", expires_on=date(2026, 1, 9))
    assert run(date(2026, 1, 9)) == 0
    db.refresh(cert)
    assert cert.state == CertificateState.VALID  # its last valid day
    assert run(date(2026, 1, 10)) == 0
    db.refresh(cert)
    assert cert.state == CertificateState.EXPIRED
    assert "GBT27922-2023-0001" in capsys.readouterr().out
    assert db.exec(select(CertificateEvent).where(CertificateEvent.certificate_id == cert.id,
                                                 CertificateEvent.event == CertificateMove.EXPIRE)).one()
