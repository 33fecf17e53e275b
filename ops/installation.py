"""Back up and restore a whole installation: the database and the evidence folder, while the app runs.

The database is copied first, consistently (SQLite's online backup, or pg_dump), then the evidence folder, or,
when the evidence lives in a bucket, every object of it, streamed to a file in the backup's folder layout (a
restore puts the files in a folder; `python -m ops move-evidence` then sends them to a bucket).
Evidence files never change and are stored before the record that points to them is committed, so every file
the copied database refers to is already on disk when the folder is copied; files added later are harmless.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from errors import InvalidInput


def backup_installation(database_url: str, evidence: Path, target: Path, bucket=None) -> Path:
    folder = target / datetime.now(UTC).strftime("audit-backup-%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True)
    if database_url.startswith("sqlite:///"):
        source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        copy = sqlite3.connect(folder / "audit.db")
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
    else:
        url = database_url.replace("postgresql+psycopg://", "postgresql://")
        with open(folder / "audit.sql", "wb") as out:
            subprocess.run(["pg_dump", "--no-owner", url], stdout=out, check=True)
    if bucket is not None:
        _copy_bucket(bucket, folder / "evidence")
    elif evidence.is_dir():
        shutil.copytree(evidence, folder / "evidence", ignore=shutil.ignore_patterns("tmp"))
    return folder


def _copy_bucket(bucket, target: Path) -> None:
    """Every object of the bucket into the local store's layout, a chunk at a time."""
    from evidence.store import LocalBlobStore
    layout = LocalBlobStore(target)
    for sha in bucket.files():
        path = layout.path(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            for piece in bucket.chunks(sha):
                out.write(piece)
    shutil.rmtree(target / "tmp", ignore_errors=True)


def restore_installation(backup: Path, database_url: str, evidence: Path) -> None:
    """Into an empty installation only: refuses to overwrite existing data."""
    if database_url.startswith("sqlite:///"):
        target = Path(database_url.removeprefix("sqlite:///"))
        if target.exists():
            raise InvalidInput(f"{target} 已存在；只能恢复到空的安装位置")
        if not (backup / "audit.db").is_file():
            raise InvalidInput(f"{backup} 不是 SQLite 安装备份（缺少 audit.db）")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup / "audit.db", target)
    else:
        url = database_url.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(["psql", "--quiet", "-v", "ON_ERROR_STOP=1", url, "-f", str(backup / "audit.sql")],
                       check=True, stdout=subprocess.DEVNULL)
    if (backup / "evidence").is_dir():
        shutil.copytree(backup / "evidence", evidence, dirs_exist_ok=True)
