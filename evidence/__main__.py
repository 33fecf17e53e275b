"""`python -m evidence import --engagement ID SOURCE`: import a folder or zip of documents as evidence."""
from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from accounts.actor import Actor
from audits.engagements import get_engagement
from clitools import run
from config import settings
from criteria.registry import TreeRegistry
from db import engine_for, session
from errors import InvalidInput
from evidence.importing import OUTCOME_LABELS, ImportLine, import_package
from evidence.package import folder_entries, zip_entries
from evidence.store import store_from_settings
from vocabulary import Role


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evidence", description="证据批量导入")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="从文件夹或 ZIP 压缩包导入证据")
    imp.add_argument("source", help="文件夹或 .zip 文件")
    imp.add_argument("--engagement", type=int, required=True, help="评价项目编号")
    imp.add_argument("--as", dest="name", default="命令行导入", help="记录为上传人的姓名")
    args = parser.parse_args(argv)
    config = settings()
    by = Actor(args.name[:100], role=Role.SYSTEM, username="cli")
    source = Path(args.source)
    if not source.exists():
        raise InvalidInput(f"{source} 不存在")
    with session(engine_for(config.effective_database_url)) as s, ExitStack() as opened:
        tree = TreeRegistry([config.extra_trees_dir]).get(get_engagement(s, args.engagement, by=by).tree_ref)
        entries = list(folder_entries(source)) if source.is_dir() else \
            list(zip_entries(opened.enter_context(open(source, "rb")), source.stat().st_size))
        lines = import_package(s, store_from_settings(config), engagement_id=args.engagement,
                               entries=entries, tree=tree, by=by, max_bytes=config.max_upload_mb * 1024 * 1024,
                               progress=lambda done, total, name: print(f"[{done}/{total}] {name}", file=sys.stderr))
    return _summary(lines)


def _summary(lines: list[ImportLine]) -> int:
    """One line per file, then the counts; status 1 when any file was refused."""
    for line in lines:
        print(f"{OUTCOME_LABELS[line.outcome]}\t{line.path}\t{line.detail}")
    counts = {label: sum(1 for x in lines if x.outcome == key) for key, label in OUTCOME_LABELS.items()}
    print("；".join(f"{label} {n}" for label, n in counts.items()))
    return 0 if not counts[OUTCOME_LABELS["refused"]] else 1


if __name__ == "__main__":
    run(main)
