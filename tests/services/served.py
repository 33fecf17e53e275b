"""The server's own routes (web/routes.py) served by uvicorn in a process of its own, for tests that go through a
real HTTP connection, and the helpers they share: a free port, a process's memory, a large file made up on the
fly."""
from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
SERVER = """import sys, uvicorn
from starlette.applications import Starlette
from web.routes import ROUTES
uvicorn.run(Starlette(routes=ROUTES), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


class Pattern(io.RawIOBase):
    """`size` bytes of a PDF made up on the fly (never whole in memory), hashed as they are read."""

    def __init__(self, size: int):
        self.left, self.digest, self.block = size, hashlib.sha256(), b"%PDF-1.4\n" + os.urandom(MB - 9)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        piece = self.block[: min(n if n > 0 else MB, self.left, MB)]
        self.block = self.block[len(piece):] + self.block[:len(piece)]
        self.left -= len(piece)
        self.digest.update(piece)
        return piece


def memory(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(field)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(data_dir: Path | None, **settings: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """The routes on `data_dir` (its SQLite database and evidence folder; None: the settings this process has) with
    any other settings (AUDIT_...); the process and its port, once it answers."""
    port = free_port()
    env = {**os.environ, **({"AUDIT_DATA_DIR": str(data_dir)} if data_dir else {}), "MALLOC_ARENA_MAX": "2", **settings}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def installation_at(folder: Path):
    """The settings pointed at `folder` (its SQLite database and evidence store) while the block runs, with a
    database session on it; put back after."""
    from config import settings
    from db import engine_for, session
    from web import files
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_DATA_DIR", str(folder))
        settings.cache_clear()
        files._store.cache_clear()
        try:
            with session(engine_for(settings().effective_database_url)) as s:
                yield s
        finally:
            settings.cache_clear()
            files._store.cache_clear()
