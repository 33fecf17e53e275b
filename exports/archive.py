"""An engagement's archive: one zip of the issued documents (.docx and PDF) and the evidence files, with a
manifest of every file's SHA-256, written to a file on disk as it goes; and the check of such a zip against its
manifest (`python -m exports verify ARCHIVE.zip`). No database: the caller names the files.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MANIFEST = "manifest.json"
FORMAT = "gbt27922-archive/1"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    path: str                          # inside the zip
    source: Callable[[], BinaryIO]     # opens the bytes (a local file, a stored object)
    sha256: str                        # what the record says it is


def write_archive(members: list[Member], header: dict) -> Path:
    """A temporary .zip on disk (the caller removes it); the manifest lists each member and its hash."""
    fd, name = tempfile.mkstemp(suffix=".zip", prefix="archive-")
    os.close(fd)
    try:
        with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                with member.source() as source, archive.open(member.path, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, CHUNK)
            manifest = {"format": FORMAT, **header,
                        "files": [{"path": m.path, "sha256": m.sha256} for m in members]}
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def archive_problems(path: Path) -> list[str]:
    """Every way the archive differs from its manifest, each naming the file; empty when it matches."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return [f"{path} 不是有效的 ZIP 归档，或已损坏"]
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        except KeyError:
            return [f"归档中没有可读的清单 {MANIFEST}"]
        except (ValueError, TypeError, zipfile.BadZipFile, OSError):
            return [f"清单 {MANIFEST} 已损坏或被改动"]
        problems = []
        present = set(archive.namelist()) - {MANIFEST}
        for name, expected in listed.items():
            if name not in present:
                problems.append(f"缺少文件：{name}")
                continue
            actual = _digest(archive, name)
            if actual is None:
                problems.append(f"文件已损坏（无法完整读出）：{name}")
            elif actual != expected:
                problems.append(f"文件内容与清单不符（SHA-256 不同）：{name}")
        problems += [f"清单中没有的文件：{name}" for name in sorted(present - set(listed))]
        return problems


def _digest(archive: zipfile.ZipFile, name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
    except Exception:  # a changed byte breaks the CRC or the stream (BadZipFile, zlib.error, EOFError)
        return None
    return digest.hexdigest()
