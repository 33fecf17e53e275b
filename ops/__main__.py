"""`python -m ops backup -o FOLDER` / `restore BACKUP`: the whole installation (settings decide where);
`migrate`: apply the database migrations once, under the migration lock (db.migrate);
`move-evidence`: copy the evidence folder into the bucket of the AUDIT_S3_* settings and verify every file;
`clean-uploads`: abort unfinished multipart uploads a crashed process left in the bucket."""
from __future__ import annotations

import argparse
from pathlib import Path

from clitools import run
from config import settings
from errors import InvalidInput
from ops.installation import backup_installation, restore_installation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops", description="整个安装的备份与恢复、数据库升级、证据迁移")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backup", help="在应用运行时备份数据库和证据文件夹").add_argument("-o", "--output", required=True)
    sub.add_parser("restore", help="恢复到空的安装位置").add_argument("backup")
    sub.add_parser("migrate", help="升级数据库结构（多个进程同时运行时只升级一次）")
    sub.add_parser("move-evidence", help="把证据文件夹中的文件复制到对象存储并逐个校验（可中断后重跑）")
    sub.add_parser("clean-uploads", help="中止对象存储中超过一小时未完成的分段上传")
    args = parser.parse_args(argv)
    config = settings()
    if args.command == "backup":
        from evidence.store import store_from_settings
        bucket = store_from_settings(config) if config.store == "s3" else None
        print(backup_installation(config.effective_database_url, config.evidence_folder, Path(args.output), bucket))
    elif args.command == "restore":
        restore_installation(Path(args.backup), config.effective_database_url, config.evidence_folder)
        print("已恢复")
    elif args.command == "migrate":
        from db import make_engine, migrate, schema_behind
        engine = make_engine(config.effective_database_url)
        migrate(engine)
        print(schema_behind(engine) or "数据库结构已是最新版本")
        engine.dispose()
    else:
        return _bucket_command(args.command, config)
    return 0


def _bucket_command(command: str, config) -> int:
    from evidence.s3store import S3BlobStore
    from evidence.store import LocalBlobStore, store_from_settings
    bucket = store_from_settings(config.model_copy(update={"store": "s3"}))
    if not isinstance(bucket, S3BlobStore) or not config.s3_bucket:
        raise InvalidInput("请先设置 AUDIT_S3_BUCKET（以及 AUDIT_S3_ENDPOINT 和访问密钥）")
    if command == "clean-uploads":
        print(f"已中止 {bucket.sweep()} 个未完成的分段上传")
        return 0
    from ops.moving import move_evidence
    report = move_evidence(LocalBlobStore(config.evidence_folder), bucket)
    print(report.summary())
    return 1 if report.failed else 0


if __name__ == "__main__":
    run(main)
