"""`python -m dossier`: an engagement's snapshot, backup and restore, from the database the settings name."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from accounts.actor import Actor
from audits.engagements import get_engagement
from clitools import run
from config import settings
from criteria.registry import TreeRegistry
from db import engine_for, session
from dossier.backup import restore_engagement, write_backup
from dossier.snapshot import build_snapshot
from errors import InvalidInput
from evidence.store import store_from_settings
from vocabulary import Role


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dossier", description="评价项目的快照、备份与恢复")
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="导出一个评价项目的完整快照（JSON）")
    snap.add_argument("--engagement", type=int, required=True)
    snap.add_argument("-o", "--output", required=True)
    backup = sub.add_parser("backup", help="备份一个评价项目（快照和证据文件）为 ZIP")
    backup.add_argument("--engagement", type=int, required=True)
    backup.add_argument("-o", "--output", required=True)
    restore = sub.add_parser("restore", help="从 ZIP 备份恢复一个评价项目")
    restore.add_argument("backup")
    args = parser.parse_args(argv)
    registry = TreeRegistry([settings().extra_trees_dir])
    by = Actor("命令行", role=Role.SYSTEM, username="cli")
    store = store_from_settings(settings())
    with session(engine_for(settings().effective_database_url)) as s:
        if args.command == "restore":
            path = Path(args.backup)
            if not path.is_file():
                raise InvalidInput(f"{path} 不存在")
            restored = restore_engagement(s, store, path, registry, by=by, source=path.name)
            print(f"已恢复为评价项目 {restored}")
            return 0
        tree = registry.get(get_engagement(s, args.engagement, by=by).tree_ref)
        if args.command == "backup":
            with open(args.output, "wb") as out:
                write_backup(s, store, args.engagement, tree, out, by=by)
        else:
            data = build_snapshot(s, args.engagement, tree, by=by)
            Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已导出 {args.output}")
    return 0


if __name__ == "__main__":
    run(main)
