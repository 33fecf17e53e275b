"""Sending a message through the configured SMTP server: plain, STARTTLS or SSL, with an optional login."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from config import Settings

TIMEOUT_SECONDS = 30
MailError = (OSError, smtplib.SMTPException)  # refused, unreachable, timed out, or the server said no


def message(*, sender: str, to_name: str, to_address: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, formataddr((to_name, to_address))
    mail["Subject"], mail["Date"] = subject, formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(body)
    return mail


def connect(config: Settings) -> smtplib.SMTP:
    """An open, logged-in connection; raises one of MailError when the server cannot be used."""
    if config.smtp_tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=TIMEOUT_SECONDS,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=TIMEOUT_SECONDS)
    try:
        if config.smtp_tls == "starttls":
            server.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            server.login(config.smtp_user, config.smtp_password)
    except MailError:
        server.close()
        raise
    return server


def sender_of(config: Settings) -> str:
    return config.smtp_sender or config.smtp_user
