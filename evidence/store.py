"""Where evidence bytes live: one small interface, and a local folder that stores each file under its SHA-256
(the default; evidence/s3store.py keeps them in an S3-compatible bucket, chosen by `store_from_settings`).

A file is streamed to a temporary file in the store (`spooled`: hashing and counting as it goes, the loop the
bucket's store spools with too), flushed to disk, then renamed into place: a reader sees a whole file or none, and a crash leaves at most a temporary file, which
`sweep` removes at the next start. Equal content is stored once.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from errors import InvalidInput

CHUNK = 1024 * 1024
MB = 1024 * 1024
HEAD_BYTES = 64 * 1024  # what the type check sees of a file


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


def check_sha256(sha256: str) -> None:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")


class BlobStore(Protocol):
    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check) -> Stored: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]: ...
    def size(self, sha256: str) -> int | None: ...
    def exists(self, sha256: str) -> bool: ...
    def reachable(self) -> None: ...
    def sweep(self) -> int: ...


@dataclass(frozen=True)
class Spooled:
    path: Path  # the temporary file holding the bytes
    sha256: str
    size: int
    head: bytes  # the first bytes, for the type check


@contextmanager
def spooled(stream: BinaryIO, folder: Path, *, max_bytes: int, head_bytes: int = HEAD_BYTES,
            durable: bool = False) -> Iterator[Spooled]:
    """Copy the stream a chunk at a time into a temporary file in `folder`, hashing and counting as it goes, and
    refuse it past `max_bytes`; `durable` flushes the file to disk. The file is removed on leaving the block
    unless the caller moved it into place."""
    digest, size, head = hashlib.sha256(), 0, b""
    fd, temp = tempfile.mkstemp(dir=folder, suffix=".part")
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
            if durable:
                out.flush()
                os.fsync(out.fileno())
        yield Spooled(Path(temp), digest.hexdigest(), size, head)
    finally:
        Path(temp).unlink(missing_ok=True)


def store_from_settings(config) -> BlobStore:
    """The store the settings choose: the local folder (AUDIT_STORE=local, the default) or a bucket (s3)."""
    if config.store == "s3":
        from evidence.s3store import S3BlobStore, s3_client
        client = s3_client(config.s3_endpoint, config.s3_region, config.s3_access_key_id, config.s3_secret_access_key)
        return S3BlobStore(client, config.s3_bucket, part_size=config.s3_part_size_mb * MB,
                           conditional=config.s3_conditional_writes, spool=config.data_dir / "spool")
    return LocalBlobStore(config.evidence_folder)


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check, head_bytes: int = HEAD_BYTES) -> Stored:
        """Store the stream unless it is too big or `check` refuses it; either way no partial file remains."""
        with spooled(stream, self.tmp, max_bytes=max_bytes, head_bytes=head_bytes, durable=True) as file:
            kind = check(file.path, file.head, file.size)
            target = self.path(file.sha256)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file.path, target)
                _fsync_dir(target.parent)
            return Stored(file.sha256, file.size, kind)

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        with self.open(sha256) as source:
            while piece := source.read(size):
                yield piece

    def size(self, sha256: str) -> int | None:
        target = self.path(sha256)
        return target.stat().st_size if target.is_file() else None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def reachable(self) -> None:
        if not self.root.is_dir():
            raise FileNotFoundError(str(self.root))

    def files(self) -> Iterator[str]:
        """The SHA-256 of every stored file."""
        for path in self.root.glob("??/??/*"):
            if len(path.name) == 64 and path.is_file():
                yield path.name

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
