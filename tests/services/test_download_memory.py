"""A download never holds the file in the app's memory: the server runs in its own process with its address space
capped a little above what it uses idle, and a file several times larger than that headroom arrives whole."""
import hashlib
import io
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from accounts.sessions import start_session
from accounts.users import create_user
from db import engine_for, session
from evidence.services import upload_evidence
from tests.factories import actor, default_tree, make_company, make_engagement
from web import files, routes

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
HEADROOM = 64 * MB   # the address space the server may add to what it uses idle
LARGE = 320 * MB     # five times the headroom
SERVER = """import sys, uvicorn
from starlette.applications import Starlette
from web.routes import ROUTES
uvicorn.run(Starlette(routes=ROUTES), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


class Pattern(io.RawIOBase):
    """`size` bytes of a PDF made up on the fly (never whole in memory), hashed as they are read."""

    def __init__(self, size: int):
        self.left, self.digest, self.block = size, hashlib.sha256(), b"%PDF-1.4\n" + os.urandom(MB - 9)

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


def download(port: int, evidence_id: int, token: str) -> tuple[str, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/files/{evidence_id}",
                                     headers={"Cookie": f"{routes.COOKIE}={token}"})
    digest, size = hashlib.sha256(), 0
    with urllib.request.urlopen(request, timeout=120) as answer:
        while piece := answer.read(MB):
            digest.update(piece)
            size += len(piece)
    return digest.hexdigest(), size


@pytest.fixture
def installation(tmp_path, monkeypatch):
    from config import settings
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    settings.cache_clear()
    files._store.cache_clear()
    with session(engine_for(settings().effective_database_url)) as s:
        engagement = make_engagement(s, make_company(s))
        uploaded = {}
        for name, size in [("小文件.pdf", MB), ("现场记录.pdf", LARGE)]:
            stream = Pattern(size)
            uploaded[name] = (upload_evidence(s, files.evidence_store(), engagement_id=engagement.id, name=name,
                                              stream=stream, tree=default_tree(), links={"5.1.1.1": set()},
                                              by=actor(), max_bytes=LARGE).evidence, stream.digest.hexdigest())
        user = create_user(s, username="admin2", display_name="管理员", role="admin", password="a-long-password-1",
                           by=actor())
        token = start_session(s, user)
    yield tmp_path, uploaded, token
    settings.cache_clear()
    files._store.cache_clear()


def test_a_file_five_times_the_memory_headroom_streams_whole(installation):
    folder, uploaded, token = installation
    port = free_port()
    env = {**os.environ, "AUDIT_DATA_DIR": str(folder), "MALLOC_ARENA_MAX": "2"}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=env)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        small, small_hash = uploaded["小文件.pdf"]
        for _ in range(3):  # warm: imports done, thread pool started, database connected
            assert download(port, small.id, token) == (small_hash, MB)
        idle_size, idle_peak = memory(server.pid, "VmSize"), memory(server.pid, "VmHWM")
        resource.prlimit(server.pid, resource.RLIMIT_AS, (idle_size + HEADROOM, idle_size + HEADROOM))
        large, large_hash = uploaded["现场记录.pdf"]
        for _ in range(2):
            assert download(port, large.id, token) == (large_hash, LARGE)
        assert server.poll() is None
        assert memory(server.pid, "VmHWM") - idle_peak < HEADROOM
    finally:
        server.terminate()
        server.wait(timeout=30)
