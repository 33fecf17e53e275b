"""`python -m exports`: the Word report from a snapshot, or a snapshot of an engagement in the database."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from clitools import run
from config import settings
from criteria.registry import TreeRegistry
from errors import InvalidInput
from exports.context import build_report_context
from exports.documents import DOCUMENTS
from scoring.files import load_assessment, read_json_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports", description="导出评价报告和项目快照")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (label, _) in DOCUMENTS.items():
        document = sub.add_parser(name, help=f"由项目快照（或评价 JSON）生成 Word {label}")
        document.add_argument("snapshot")
        document.add_argument("-o", "--output", required=True)
        if name == "report":
            document.add_argument("--template", help="认证机构的 .docx 模板")
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
    if args.command in DOCUMENTS:
        snapshot = read_json_file(args.snapshot)
        tree, _ = load_assessment(snapshot, registry)
        context = build_report_context(snapshot, tree)
        template = Path(args.template) if getattr(args, "template", None) else None
        if template is not None and not template.is_file():
            raise InvalidInput(f"模板 {template} 不存在")
        render = DOCUMENTS[args.command][1]
        Path(args.output).write_bytes(render(context, template) if template else render(context))
        print(f"已生成 {args.output}")
        return 0
    return _with_database(args, registry)


def _with_database(args, registry: TreeRegistry) -> int:
    from accounts.actor import Actor
    from audits.backup import backup_engagement, restore_engagement
    from audits.engagements import get_engagement
    from audits.snapshot import build_snapshot
    from db import engine_for, session
    from evidence.store import LocalBlobStore
    by = Actor("命令行", role="system", username="cli")
    store = LocalBlobStore(settings().evidence_folder)
    with session(engine_for(settings().effective_database_url)) as s:
        if args.command == "restore":
            path = Path(args.backup)
            if not path.is_file():
                raise InvalidInput(f"{path} 不存在")
            print(f"已恢复为评价项目 {restore_engagement(s, store, path.read_bytes(), registry, by=by)}")
            return 0
        tree = registry.get(get_engagement(s, args.engagement, by=by).tree_ref)
        if args.command == "backup":
            Path(args.output).write_bytes(backup_engagement(s, store, args.engagement, tree, by=by))
        else:
            data = build_snapshot(s, args.engagement, tree, by=by)
            Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已导出 {args.output}")
    return 0


if __name__ == "__main__":
    run(main)
