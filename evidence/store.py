"""Where evidence bytes live: one small interface, and a local folder that stores each file under its SHA-256.

A file is streamed to a temporary file in the store (hashing and counting as it goes), flushed to disk, then
renamed into place: a reader sees a whole file or none, and a crash leaves at most a temporary file, which
`sweep` removes at the next start. Equal content is stored once.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from errors import InvalidInput

CHUNK = 1024 * 1024
MB = 1024 * 1024


def check_declared_size(name: str, size: int | None, max_bytes: int) -> None:
    """Refuse a file from the size its sender states (the browser's upload, a zip member's header) before a byte
    is written; `put` still counts what really arrives, since a stated size can lie."""
    if size is not None and size > max_bytes:
        raise InvalidInput(f"“{name}” 有 {size / MB:.1f} MB，超过大小上限 {max_bytes // MB} MB，未保存")


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    kind: str


Check = Callable[[Path, bytes, int], str]  # (temporary file, first bytes, size) -> kind, or raise to refuse


class BlobStore(Protocol):
    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check) -> Stored: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def exists(self, sha256: str) -> bool: ...
    def sweep(self) -> int: ...


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check, head_bytes: int = 64 * 1024) -> Stored:
        """Store the stream unless it is too big or `check` refuses it; either way no partial file remains."""
        digest, size, head = hashlib.sha256(), 0, b""
        fd, temp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise InvalidInput(f"文件超过大小上限 {max_bytes // MB} MB，未保存")
                    if len(head) < head_bytes:
                        head += chunk[: head_bytes - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            kind = check(Path(temp), head, size)
            target = self.path(digest.hexdigest())
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temp, target)
                _fsync_dir(target.parent)
            return Stored(digest.hexdigest(), size, kind)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def sweep(self) -> int:
        """Remove temporary files left by an interrupted write; returns how many."""
        leftovers = list(self.tmp.glob("*.part"))
        for part in leftovers:
            part.unlink(missing_ok=True)
        return len(leftovers)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
