"""Evidence downloads through the server's own route (GET /files/{id}): the signed-in user's access is checked on
every request, the bytes stream from the store (the local folder or a real S3 bucket) with the original name."""
import hashlib
import io
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from accounts.sessions import end_session, start_session
from accounts.users import create_user
from db import engine_for, session
from evidence.services import remove_evidence, upload_evidence
from tests.factories import VALID_CODES, actor, default_tree, make_company, make_engagement
from tests.services.served import ROOT
from web import files, routes
from web.files import content_disposition
from web.routes import ROUTES

TREE = default_tree()
NAME = "售后服务 “管理制度”（2026版）.pdf"
DATA = b"%PDF-1.4\n" + bytes(range(256)) * 4000


@pytest.fixture(params=["local", "s3"])
def site(request, tmp_path, monkeypatch):
    """The routes on their own data folder and store, one evidence file, and a session for three people: the
    company's own client user, another company's client user, and one whose session has ended."""
    from config import settings
    if request.param == "s3":
        request.getfixturevalue("s3_settings")
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    settings.cache_clear()
    files._store.cache_clear()
    with session(engine_for(settings().effective_database_url)) as s:
        company, other = make_company(s), make_company(s, name="另一家公司", credit_code=VALID_CODES[1])
        engagement = make_engagement(s, company)
        evidence = upload_evidence(s, files.evidence_store(), engagement_id=engagement.id, name=NAME,
                                   stream=io.BytesIO(DATA), tree=TREE, links={"5.1.1.1": set()}, by=actor(),
                                   max_bytes=10 * 1024 * 1024).evidence
        tokens = {}
        for username, company_id in [("own", company.id), ("other", other.id), ("gone", company.id)]:
            user = create_user(s, username=username, display_name=username, role="client", password="a-long-password-1",
                               company_id=company_id, by=actor())
            tokens[username] = start_session(s, user)
        end_session(s, tokens["gone"])
    yield TestClient(Starlette(routes=ROUTES)), evidence, tokens
    settings.cache_clear()
    files._store.cache_clear()


def fetch(client, evidence_id, token=None):
    client.cookies.clear()
    if token:
        client.cookies.set(routes.COOKIE, token)
    return client.get(f"/files/{evidence_id}")


def test_a_user_who_may_see_the_engagement_downloads_the_file_with_its_chinese_name(site):
    client, evidence, tokens = site
    answer = fetch(client, evidence.id, tokens["own"])
    assert answer.status_code == 200 and hashlib.sha256(answer.content).digest() == hashlib.sha256(DATA).digest()
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-length"] == str(len(DATA))
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; ") and f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
    assert answer.headers["cache-control"] == "private, no-store"


def test_no_session_an_ended_one_or_another_company_is_refused_on_every_request(site):
    client, evidence, tokens = site
    assert fetch(client, evidence.id).status_code == 401
    assert fetch(client, evidence.id, "not-a-real-session-token-at-all").status_code == 401
    assert fetch(client, evidence.id, tokens["gone"]).status_code == 401
    refused = fetch(client, evidence.id, tokens["other"])
    assert refused.status_code in (403, 404) and refused.content != DATA and "证据" not in refused.headers.get(
        "content-disposition", "")
    assert fetch(client, evidence.id + 1000, tokens["own"]).status_code == 404


def test_a_session_ended_after_one_download_cannot_download_again(site):
    client, evidence, tokens = site
    assert fetch(client, evidence.id, tokens["own"]).status_code == 200
    with session(engine_for(__import__("config").settings().effective_database_url)) as s:
        end_session(s, tokens["own"])
    assert fetch(client, evidence.id, tokens["own"]).status_code == 401


def test_a_removed_file_stays_readable_to_those_who_may_see_the_record(site):
    client, evidence, tokens = site
    from config import settings
    with session(engine_for(settings().effective_database_url)) as s:
        remove_evidence(s, evidence_id=evidence.id, reason="重复上传", by=actor())
    assert fetch(client, evidence.id, tokens["own"]).content == DATA


@pytest.mark.parametrize("name, fallback", [
    ("组织架构图.pdf", 'filename="file.pdf"'),
    ('a "quoted"; name.docx', 'filename="a _quoted__ name.docx"'),
    ("报告 final.xlsx", 'filename="final.xlsx"'),
])
def test_the_disposition_has_an_ascii_stand_in_and_the_exact_name_encoded(name, fallback):
    header = content_disposition(name)
    assert fallback in header and header.endswith("filename*=UTF-8''" + quote(name, safe=""))
    assert header.isascii()


def test_a_built_backup_downloads_only_for_whoever_may_back_up_the_engagement(site, tmp_path):
    import zipfile

    from config import settings
    from dossier.backup import backup_file
    client, evidence, tokens = site
    with session(engine_for(settings().effective_database_url)) as s:
        path = backup_file(s, files.evidence_store(), evidence.engagement_id, TREE, tmp_path / "backups", by=actor())
        admin = create_user(s, username="boss", display_name="管理员", role="admin", password="a-long-password-1",
                            by=actor())
        tokens["admin"] = start_session(s, admin)
    token = path.stem.split("-", 1)[1]
    client.cookies.set(routes.COOKIE, tokens["admin"])
    answer = client.get(f"/backups/{evidence.engagement_id}/{token}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert archive.read(f"evidence/{evidence.sha256}") == DATA and "snapshot.json" in archive.namelist()
    assert "filename*=UTF-8''" + quote(f"项目备份-{evidence.engagement_id}.zip", safe="") in \
        answer.headers["content-disposition"]
    assert client.get(f"/backups/{evidence.engagement_id}/{'x' * 32}").status_code == 404
    assert client.get(f"/backups/{evidence.engagement_id}/..").status_code == 404
    client.cookies.set(routes.COOKIE, tokens["own"])  # the client sees the engagement but may not back it up
    assert client.get(f"/backups/{evidence.engagement_id}/{token}").status_code == 403
    client.cookies.clear()
    assert client.get(f"/backups/{evidence.engagement_id}/{token}").status_code == 401


def test_a_built_archive_streams_to_whoever_may_manage_the_engagement_and_verifies(site, tmp_path):
    import subprocess
    import sys

    from config import settings
    from dossier.built import token_of
    client, evidence, tokens = site
    with session(engine_for(settings().effective_database_url)) as s:
        path = files.build_archive(s, files.evidence_store(), evidence.engagement_id, TREE, by=actor())
        admin = create_user(s, username="boss", display_name="管理员", role="admin", password="a-long-password-1",
                            by=actor())
        tokens["admin"] = start_session(s, admin)
    assert path.parent == settings().data_dir / "archives"
    address = f"/archives/{evidence.engagement_id}/{token_of(path)}"
    client.cookies.set(routes.COOKIE, tokens["admin"])
    answer = client.get(address)
    assert answer.status_code == 200 and answer.headers["content-length"] == str(path.stat().st_size)
    assert "filename*=UTF-8''" + quote(f"项目归档-{evidence.engagement_id}.zip", safe="") in \
        answer.headers["content-disposition"]
    (tmp_path / "got.zip").write_bytes(answer.content)
    checked = subprocess.run([sys.executable, "-m", "exports", "verify", str(tmp_path / "got.zip")],
                             capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert client.get(f"/archives/{evidence.engagement_id}/{'y' * 32}").status_code == 404
    assert client.get(f"/backups/{evidence.engagement_id}/{token_of(path)}").status_code == 404  # not a backup
    client.cookies.set(routes.COOKIE, tokens["own"])
    assert client.get(address).status_code == 403
    client.cookies.clear()
    assert client.get(address).status_code == 401


def test_building_a_file_removes_those_older_than_a_day(tmp_path):
    import os
    import time

    from dossier.built import KEEP_SECONDS, build_file
    old, recent, crashed = (tmp_path / "1-old.zip", tmp_path / "1-recent.zip", tmp_path / "2-x.part")
    for path in (old, recent, crashed):
        path.write_bytes(b"zip")
    for path in (old, crashed):
        os.utime(path, (time.time() - KEEP_SECONDS - 60,) * 2)
    built = build_file(tmp_path, 3, lambda target: target.write_bytes(b"new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([recent.name, built.name])
    assert built.read_bytes() == b"new" and built.name.startswith("3-")
