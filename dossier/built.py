"""Files the pages build for download (an engagement's backup, its archive): written to a folder under the data
directory, named by the engagement and an unguessable token, and streamed by the server's routes (web/files.py),
which find a file by both and check access again on every request. Files older than a day are removed whenever
a new one is built, so the folders do not fill up with downloads nobody fetched."""
from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

KEEP_SECONDS = 24 * 3600  # a built file waits this long for its download
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def build_file(folder: Path, engagement_id: int, write: Callable[[Path], None]) -> Path:
    """A new file in `folder`: `write` fills a partial file, which takes its final name only once complete."""
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    path = folder / f"{engagement_id}-{secrets.token_urlsafe(24)}.zip"
    partial = path.with_suffix(".part")
    try:
        write(partial)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def prune(folder: Path, *, now: float | None = None) -> int:
    """Remove built files (and partial ones left by a crash) older than KEEP_SECONDS; how many went."""
    now = time.time() if now is None else now
    gone = 0
    for old in [*folder.glob("*.zip"), *folder.glob("*.part")]:
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink(missing_ok=True)
                gone += 1
        except FileNotFoundError:  # another process removed it first
            pass
    return gone


def token_of(path: Path) -> str:
    """The token part of a built file's name (what its download address carries)."""
    return path.stem.split("-", 1)[1]


def built_path(folder: Path, engagement_id: int, token: str) -> Path | None:
    """The built file for this engagement and token, or None when the token is malformed or the file is gone."""
    if not TOKEN.fullmatch(token):
        return None
    path = folder / f"{engagement_id}-{token}.zip"
    return path if path.is_file() else None
