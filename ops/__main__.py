"""`python -m ops backup -o FOLDER` / `python -m ops restore BACKUP`: the whole installation (settings decide where)."""
from __future__ import annotations

import argparse
from pathlib import Path

from clitools import run
from config import settings
from ops.installation import backup_installation, restore_installation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops", description="整个安装的备份与恢复")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backup", help="在应用运行时备份数据库和证据文件夹").add_argument("-o", "--output", required=True)
    sub.add_parser("restore", help="恢复到空的安装位置").add_argument("backup")
    args = parser.parse_args(argv)
    config = settings()
    if args.command == "backup":
        print(backup_installation(config.effective_database_url, config.evidence_folder, Path(args.output)))
    else:
        restore_installation(Path(args.backup), config.effective_database_url, config.evidence_folder)
        print("已恢复")
    return 0


if __name__ == "__main__":
    run(main)
