"""`python -m accounts`: create the first administrator, reset a password, list users, from the command line."""
from __future__ import annotations

import argparse
import getpass
import sys

from accounts.actor import Actor
from accounts.users import create_user, list_users, reset_password
from clitools import run
from config import settings
from db import engine_for, session
from errors import InvalidInput
from vocabulary import Role

CLI = Actor("命令行", role=Role.SYSTEM, username="cli")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accounts", description="账户管理")
    sub = parser.add_subparsers(dest="command", required=True)
    admin = sub.add_parser("create-admin", help="创建管理员账户")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", default="管理员", help="显示的姓名")
    admin.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（用于脚本）")
    reset = sub.add_parser("reset-password", help="重置用户密码")
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list", help="列出用户")
    args = parser.parse_args(argv)
    with session(engine_for(settings().effective_database_url)) as s:
        if args.command == "list":
            for user in list_users(s, by=CLI):
                print(f"{user.username}\t{user.display_name}\t{user.role}\t{'启用' if user.active else '停用'}")
            return 0
        password = _password(args.password_stdin)
        if args.command == "create-admin":
            create_user(s, username=args.username, display_name=args.name, role="admin", password=password, by=CLI)
            print(f"已创建管理员 {args.username}")
            return 0
        user = next((u for u in list_users(s, by=CLI) if u.username == args.username), None)
        if user is None:
            raise InvalidInput(f"没有用户 {args.username}")
        reset_password(s, user_id=user.id, new=password, by=CLI)
        print(f"已重置 {args.username} 的密码")
        return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再次输入密码："):
        raise InvalidInput("两次输入的密码不一致")
    return first


if __name__ == "__main__":
    run(main)
