"""A download never holds the file in the app's memory: the server runs in its own process with its address space
capped a little above what it uses idle, and a file several times larger than that headroom arrives whole."""
import hashlib
import resource
import urllib.request

import pytest

from accounts.sessions import start_session
from accounts.users import create_user
from db import engine_for, session
from evidence.services import upload_evidence
from tests.factories import actor, default_tree, make_company, make_engagement
from tests.services.served import MB, Pattern, memory, served
from web import files, routes

HEADROOM = 64 * MB   # the address space the server may add to what it uses idle
LARGE = 320 * MB     # five times the headroom


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
    with served(folder) as (server, port):
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
