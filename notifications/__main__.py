"""`python -m notifications`: the daily reminder digests (send-due) and the regulator's monthly sheets (regulator).

    python -m notifications send-due [--today YYYY-MM-DD]
    python -m notifications regulator --month YYYY-MM --out DIR

send-due first moves certificates past their expiry to expired, then sends; it exits 0 when every digest went out (or no SMTP server is set), 1 when any failed (the next run sends
those again), 2 on bad input or settings.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from accounts.actor import Actor
from clitools import run
from config import settings
from db import engine_for, session
from timefmt import local_today
from vocabulary import Role

DAILY_RUN = Actor("send-due", role=Role.SYSTEM)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notifications", description="到期提醒邮件与监管报送表")
    sub = parser.add_subparsers(dest="command", required=True)
    due = sub.add_parser("send-due", help="向每位用户发送当天的到期事项汇总邮件（每人每天最多一封）")
    due.add_argument("--today", type=_day, help="按这一天计算到期事项（YYYY-MM-DD，默认今天）")
    regulator = sub.add_parser("regulator", help="导出某月的监管报送表（审核计划、证书、审核结果）")
    regulator.add_argument("--month", required=True, type=_month, help="月份，如 2026-11")
    regulator.add_argument("--out", required=True, help="输出文件夹")
    args = parser.parse_args(argv)
    if args.command == "send-due":
        return send_due_command(args.today or local_today())
    from notifications.regulator_cli import export_month
    return export_month(*args.month, out=args.out)


def send_due_command(today: date) -> int:
    """The daily run: certificates past their expiry move to expired first (so nobody is reminded of a
    surveillance on a dead certificate), then the digests go out."""
    from cycle.certificate_changes import expire_due_certificates
    from notifications.reminders import send_due
    config = settings()
    with session(engine_for(config.effective_database_url)) as s:
        if expired := expire_due_certificates(s, today, by=DAILY_RUN):
            print(f"已到期失效的证书：{'、'.join(c.number for c in expired)}")
        if not config.smtp_host:
            print("未设置邮件服务器（AUDIT_SMTP_HOST），不发送提醒邮件。")
            return 0
        report = send_due(s, today=today, config=config)
    for username, address, error in report.failed:
        print(f"发送失败：{username} <{address}>：{error}（下次运行时将重新发送）", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


def _month(text: str) -> tuple[int, int]:
    try:
        moment = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份“{text}”格式不正确，应为 YYYY-MM，如 2026-11") from None
    return moment.year, moment.month


if __name__ == "__main__":
    run(main)
