"""`python -m reliability stress [--seconds N] [--workers N]`: a longer concurrency run with its figures."""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from clitools import run as run_command
from config import settings
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from db import make_engine, migrate
from evidence.store import LocalBlobStore
from reliability.stress import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description="可靠性测试")
    sub = parser.add_subparsers(dest="command", required=True)
    stress = sub.add_parser("stress", help="多用户并发写入，核对是否有丢失")
    stress.add_argument("--seconds", type=float, default=60)
    stress.add_argument("--workers", type=int, default=20)
    stress.add_argument("--database-url", default="", help="默认：临时 SQLite 文件（不会触碰正式数据）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/stress.db"
        engine = make_engine(url)
        migrate(engine)
        figures = run(engine, TreeRegistry([settings().extra_trees_dir]).get(DEFAULT_TREE_ID),
                      LocalBlobStore(Path(folder) / "evidence"), workers=args.workers, seconds=args.seconds)
        engine.dispose()
    print(json.dumps({"database": url.split(":")[0], "workers": args.workers, "seconds": args.seconds,
                      **figures.summary()}, ensure_ascii=False))
    for line in (figures.failed + figures.lost)[:20]:
        print(line)
    return 0 if not figures.failed and not figures.lost else 1


if __name__ == "__main__":
    run_command(main)
