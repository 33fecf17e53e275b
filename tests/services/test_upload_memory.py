"""An upload never sits whole in the app's memory: the server runs in its own process with its address space capped
a little above what it uses idle, and a file several times larger than that headroom goes up through the route
into the store, whole and with the right hash; a backup holding it is restored through the route the same way."""
import http.client
import json
import resource
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from accounts.sessions import start_session
from accounts.users import create_user
from dossier.backup import backup_file
from evidence.models import Evidence
from tests.factories import actor, default_tree, make_company, make_engagement
from tests.services.served import MB, Pattern, installation_at, memory, served
from web import files, routes

HEADROOM = 64 * MB   # the address space the server may add to what it uses idle
LARGE = 320 * MB     # five times the headroom


def post(port: int, path: str, query: dict, token: str, source, size: int) -> tuple[int, dict]:
    """Send `size` bytes read from `source` a megabyte at a time, as the page's uploader does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.putrequest("POST", f"{path}?{urlencode(query, doseq=True)}")
        for name, value in [("Cookie", f"{routes.COOKIE}={token}"), ("Origin", f"http://127.0.0.1:{port}"),
                            ("X-Audit-Upload", "1"), ("Content-Length", str(size))]:
            connection.putheader(name, value)
        connection.endheaders()
        while piece := source.read(MB):
            connection.send(piece)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


@pytest.fixture
def installation(tmp_path):
    with installation_at(tmp_path) as s:
        company = make_company(s)
        engagement = make_engagement(s, company)
        tokens = {}
        for username, role in [("client", "client"), ("boss", "admin")]:
            user = create_user(s, username=username, display_name=username, role=role, password="a-long-password-1",
                               company_id=company.id if role == "client" else None, by=actor())
            tokens[username] = start_session(s, user)
        yield tmp_path, engagement.id, tokens, s


def test_a_file_five_times_the_memory_headroom_goes_up_and_is_restored_from_a_backup(installation):
    folder, engagement_id, tokens, s = installation
    path, query = f"/uploads/evidence/{engagement_id}", {"codes": "5.1.1.1", "code": "5.1.1.1"}
    with served(folder, AUDIT_MAX_UPLOAD_MB=str(2 * LARGE // MB)) as (server, port):
        for n in range(3):  # warm: imports done, thread pool started, database connected
            status, answer = post(port, path, query | {"name": f"小文件{n}.pdf"}, tokens["client"], Pattern(MB), MB)
            assert status == 200 and answer["saved"], answer
        idle_size, idle_peak = memory(server.pid, "VmSize"), memory(server.pid, "VmHWM")
        resource.prlimit(server.pid, resource.RLIMIT_AS, (idle_size + HEADROOM, idle_size + HEADROOM))
        large = Pattern(LARGE)
        status, answer = post(port, path, query | {"name": "现场记录.pdf"}, tokens["client"], large, LARGE)
        assert status == 200 and answer["sha256"] == large.digest.hexdigest(), answer
        assert files.evidence_store().size(answer["sha256"]) == LARGE
        backup = backup_file(s, files.evidence_store(), engagement_id, default_tree(), folder / "backups",
                             by=actor())
        with open(backup, "rb") as source:
            status, restored = post(port, "/uploads/restore", {"name": "项目备份.zip"}, tokens["boss"], source,
                                    backup.stat().st_size)
        assert status == 200 and restored["saved"], restored
        assert server.poll() is None
        assert memory(server.pid, "VmHWM") - idle_peak < HEADROOM
    copied = s.exec(select(Evidence).where(Evidence.engagement_id == restored["engagement_id"],
                                           Evidence.name == "现场记录.pdf")).one()
    assert copied.sha256 == large.digest.hexdigest() and copied.size == LARGE
    assert not list((folder / "uploads").iterdir())
