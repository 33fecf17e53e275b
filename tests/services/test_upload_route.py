"""Uploads through the server's own route (POST /uploads/...), served by uvicorn: each file goes to the store
through the same use case the page calls, with every rule it applies, and a request that should not be there is
refused before its body is read."""
import hashlib
import http.client
import json
import os
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from accounts.audit_log import Event, query_events
from accounts.sessions import start_session
from accounts.users import create_user
from dossier.backup import backup_engagement
from evidence.models import GENERAL, Evidence, EvidenceLink
from records.models import Engagement
from tests.factories import VALID_CODES, actor, default_tree, make_company, make_engagement
from tests.services.served import MB, ROOT, installation_at, served
from web import files, routes

TREE = default_tree()
LIMIT_MB = 1


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One installation served with a 1 MB upload limit: an engagement, its company's client user (who may
    upload), another company's client, a decision maker (who sees the engagement but uploads nothing) and an
    administrator (who may restore)."""
    folder = tmp_path_factory.mktemp("upload-site")
    with installation_at(folder) as s:
        company, other = make_company(s), make_company(s, name="另一家公司", credit_code=VALID_CODES[1])
        engagement = make_engagement(s, company)
        tokens = {}
        for username, role, company_id in [("own", "client", company.id), ("other", "client", other.id),
                                           ("dm", "decision_maker", None), ("boss", "admin", None)]:
            user = create_user(s, username=username, display_name=f"用户{username}", role=role,
                               password="a-long-password-1", company_id=company_id, by=actor())
            tokens[username] = start_session(s, user)
    with served(folder, AUDIT_MAX_UPLOAD_MB=str(LIMIT_MB)) as (server, port):
        yield {"folder": folder, "port": port, "engagement": engagement.id, "tokens": tokens}


def database(site):
    return installation_at(site["folder"])


def post(site, path: str, body: bytes | None, *, token: str | None = "own", query: dict | None = None,
         origin: str | None = "same", header: bool = True, length: int | None = None):
    """POST `body` as the route's page would send it; (status, JSON answer)."""
    host = f"127.0.0.1:{site['port']}"
    headers = {"Content-Type": "application/octet-stream"}
    headers |= {"Cookie": f"{routes.COOKIE}={site['tokens'][token]}"} if token else {}
    headers |= {"Origin": f"http://{host}" if origin == "same" else origin} if origin else {}
    headers |= {"X-Audit-Upload": "1"} if header else {}
    connection = http.client.HTTPConnection("127.0.0.1", site["port"], timeout=120)
    try:
        connection.putrequest("POST", f"{path}?{urlencode(query or {}, doseq=True)}")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body) if length is None else length))
        connection.endheaders()
        if body is not None:
            connection.send(body)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def upload(site, name: str, body: bytes | None, *, codes=("5.1.1.1",), **options):
    query = {"name": name, "codes": list(codes), "code": codes[0] if codes else "", **options.pop("query", {})}
    return post(site, f"/uploads/evidence/{site['engagement']}", body, query=query, **options)


def pdf(n: int, size: int = 50_000) -> bytes:
    return b"%PDF-1.4\n" + hashlib.sha256(str(n).encode()).digest() * (size // 32)


def evidence_rows(site) -> list[Evidence]:
    with database(site) as s:
        return list(s.exec(select(Evidence).where(Evidence.engagement_id == site["engagement"])))


def leftovers(site) -> list[str]:
    """Files left behind by an upload: in the uploads spool or the store's partial folder."""
    return sorted(str(p) for folder in ("uploads", "evidence/tmp") for p in (site["folder"] / folder).rglob("*")
                  if p.is_file())


def test_several_files_go_to_the_store_with_their_hashes_links_and_uploader(site):
    bodies = {f"售后服务记录（{n}月）.pdf": pdf(n) for n in range(1, 4)}
    for name, body in bodies.items():
        status, answer = upload(site, name, body, codes=("5.1.1.1", "5.1.1.2"), query={"items": ["0"]})
        assert (status, answer["saved"], answer["message"], answer["name"]) == (200, True, "已上传", name)
        assert answer["sha256"] == hashlib.sha256(body).hexdigest()
    status, again = upload(site, "售后服务记录（1月）.pdf", bodies["售后服务记录（1月）.pdf"], codes=("5.1.2.1",))
    assert (status, again["saved"], again["message"]) == (200, True, "内容相同的文件已存在，已补充关联")
    rows = {e.name: e for e in evidence_rows(site)}
    with database(site) as s:
        store = files.evidence_store()
        for name, body in bodies.items():
            record = rows[name]
            assert record.sha256 == hashlib.sha256(body).hexdigest() and record.size == len(body)
            assert record.uploaded_by == "用户own" and record.from_client
            with store.open(record.sha256) as stored:
                assert stored.read() == body
            links = {(link.code, link.item) for link in s.exec(select(EvidenceLink).where(
                EvidenceLink.evidence_id == record.id))}
            expected = {("5.1.1.1", 0), ("5.1.1.2", GENERAL)}
            assert links == expected | ({("5.1.2.1", GENERAL)} if name.endswith("（1月）.pdf") else set())
    assert leftovers(site) == []


def test_what_should_not_be_there_is_refused_and_nothing_is_stored(site):
    before = len(evidence_rows(site))
    body = pdf(99)
    assert upload(site, "a.pdf", body, token=None)[0] == 401
    assert upload(site, "a.pdf", body, header=False)[0] == 403
    assert upload(site, "a.pdf", body, origin="http://evil.example")[0] == 403
    assert upload(site, "a.pdf", body, origin=None)[0] == 403
    status, answer = upload(site, "a.pdf", body, token="dm")  # sees the engagement, may not upload to it
    assert status == 403 and not answer["saved"] and "您没有权限上传或管理证据" in answer["message"]
    with database(site) as s:  # refused as the services refuse: in the audit log
        assert "dm" in {e.username for e in query_events(s, action=Event.REFUSED)}
    assert upload(site, "a.pdf", body, token="other")[0] in (403, 404)
    status, answer = upload(site, "a.pdf", body, codes=("9.9.9",))
    assert status == 400 and "未知的条款代码 9.9.9" in answer["message"]
    status, answer = upload(site, "程序.exe", b"MZ" + body)
    assert status == 400 and not answer["saved"]
    status, answer = upload(site, "a.pdf", body, query={"site": "12345"})
    assert status == 400 and answer["message"] == "所选场所不属于该企业"
    status, answer = upload(site, "a.pdf", body, query={"site": "一"})
    assert status == 400 and not answer["saved"]
    assert len(evidence_rows(site)) == before and leftovers(site) == []


def test_a_file_over_the_limit_is_refused_413_by_its_stated_size_or_as_it_arrives(site):
    before = len(evidence_rows(site))
    status, answer = upload(site, "大文件.pdf", None, length=(LIMIT_MB + 1) * MB)  # nothing sent: refused at once
    assert status == 413 and "超过大小上限 1 MB" in answer["message"] and not answer["saved"]
    script = f"""import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", {site['port']})
c.putrequest("POST", "/uploads/evidence/{site['engagement']}?name=big.pdf&codes=5.1.1.1")
for k, v in [("Cookie", "{routes.COOKIE}={site['tokens']['own']}"), ("Origin", "http://127.0.0.1:{site['port']}"),
             ("X-Audit-Upload", "1"), ("Transfer-Encoding", "chunked")]:
    c.putheader(k, v)
c.endheaders()
block = b"%PDF-1.4" + bytes(64 * 1024 - 8)
try:
    for _ in range({(LIMIT_MB + 1) * 16}):
        c.send(b"%x\\r\\n" % len(block) + block + b"\\r\\n")
    c.send(b"0\\r\\n\\r\\n")
except OSError:
    pass
a = c.getresponse()
print(a.status, json.loads(a.read())["message"])
"""
    sent = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=os.environ)
    assert sent.stdout.startswith("413 ") and "超过大小上限" in sent.stdout, sent.stderr
    assert len(evidence_rows(site)) == before and leftovers(site) == []


def test_a_backup_restores_through_the_route_for_whoever_may_manage_companies(site):
    upload(site, "制度.pdf", pdf(7))
    with database(site) as s:
        backup = backup_engagement(s, files.evidence_store(), site["engagement"], TREE, by=actor())
    path = "/uploads/restore"
    assert post(site, path, backup, query={"name": "b.zip"})[0] == 403  # a client user
    status, answer = post(site, path, b"not a zip", token="boss", query={"name": "b.zip"})
    assert status == 400 and "不是有效的项目备份" in answer["message"]
    status, answer = post(site, path, backup, token="boss", query={"name": "项目备份.zip"})
    assert status == 200 and answer["saved"] and answer["message"] == f"已恢复为评价项目 {answer['engagement_id']}"
    with database(site) as s:
        restored = s.get(Engagement, answer["engagement_id"])
        names = {e.name for e in s.exec(select(Evidence).where(Evidence.engagement_id == restored.id))}
    assert "制度.pdf" in names
    assert leftovers(site) == []


def test_a_document_package_is_imported_through_the_route_with_each_file_s_outcome(site):
    import io
    import zipfile
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("5.1.1.1 组织架构图.pdf", pdf(201))
        archive.writestr("5.1.2.1/工单.pdf", pdf(202))
        archive.writestr("说明.pdf", pdf(203))  # no clause in its name and no manifest
    status, answer = post(site, f"/uploads/package/{site['engagement']}", package.getvalue(),
                          query={"name": "资料包.zip"})
    assert status == 200 and answer["saved"] and answer["message"] == "资料包已处理，共 3 个文件"
    outcomes = {line["path"]: line["outcome"] for line in answer["lines"]}
    assert outcomes == {"5.1.1.1 组织架构图.pdf": "imported", "5.1.2.1/工单.pdf": "imported", "说明.pdf": "refused"}
    assert {"5.1.1.1 组织架构图.pdf", "工单.pdf"} <= {e.name for e in evidence_rows(site)}
    status, answer = post(site, f"/uploads/package/{site['engagement']}", b"PK not really", query={"name": "x.zip"})
    assert status == 400 and answer["message"] == "不是有效的 ZIP 压缩包"
    assert post(site, f"/uploads/package/{site['engagement']}", package.getvalue(), token="dm")[0] == 403
    assert leftovers(site) == []
