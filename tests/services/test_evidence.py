"""Evidence on a real database and a real folder: storage, duplicates, refusals, packages, crashes, coverage."""
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from sqlmodel import select

from accounts.audit_log import AuditEvent, Event
from errors import InvalidInput
from evidence.importing import import_package
from evidence.models import Evidence, EvidenceLink
from evidence.package import folder_entries, zip_entries
from evidence.services import coverage, link_evidence, list_evidence, read_evidence, remove_evidence, upload_evidence
from evidence.store import LocalBlobStore
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MB = 1024 * 1024


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


@pytest.fixture
def engagement(db):
    return make_engagement(db)


def upload(db, store, engagement, name, data, codes=("5.1.1.1",), max_bytes=MB):
    return upload_evidence(db, store, engagement_id=engagement.id, name=name, stream=io.BytesIO(data), tree=TREE,
                           links={c: set() for c in codes}, by=actor(), max_bytes=max_bytes)


def stored_files(store):
    return sorted(p.name for p in store.root.rglob("*") if p.is_file())


def test_a_file_is_stored_under_its_sha256_and_recorded(db, store, engagement):
    result = upload(db, store, engagement, "组织架构图.pdf", PDF, codes=("5.1.1.1", "5.1.1.2"))
    digest = hashlib.sha256(PDF).hexdigest()
    assert store.path(digest).read_bytes() == PDF and stored_files(store) == [digest]
    e = result.evidence
    assert (e.name, e.size, e.kind, e.sha256, e.uploaded_by) == ("组织架构图.pdf", len(PDF), "pdf", digest, "张审查")
    assert {link.code for link in db.exec(select(EvidenceLink))} == {"5.1.1.1", "5.1.1.2"}
    assert read_evidence(db, store, e.id, by=actor())[1] == PDF


def test_the_same_file_twice_is_stored_once_and_linked_again(db, store, engagement):
    first = upload(db, store, engagement, "a.pdf", PDF, codes=("5.1.1.1",))
    again = upload(db, store, engagement, "copy of a.pdf", PDF, codes=("5.1.4.1",))
    assert again.duplicate and again.evidence.id == first.evidence.id and again.new_links == 1
    assert len(stored_files(store)) == 1 and len(db.exec(select(Evidence)).all()) == 1
    assert upload(db, store, engagement, "a.pdf", PDF, codes=("5.1.4.1",)).new_links == 0


def test_every_upload_is_in_the_audit_log_with_its_hash(db, store, engagement):
    upload(db, store, engagement, "组织架构图.pdf", PDF)
    upload(db, store, engagement, "组织架构图.pdf", PDF, codes=("5.1.4.1",))
    with pytest.raises(InvalidInput):
        upload(db, store, engagement, "photo.jpg", PDF)  # refused: nothing recorded, nothing logged
    rows = db.exec(select(AuditEvent).where(AuditEvent.action == Event.EVIDENCE_UPLOADED).order_by(AuditEvent.id)).all()
    digest = hashlib.sha256(PDF).hexdigest()
    assert [(r.username, r.target) for r in rows] == [("张审查", f"评价项目 {engagement.id} / 组织架构图.pdf")] * 2
    assert rows[0].detail.startswith(digest) and "补充关联" in rows[1].detail and "补充关联" not in rows[0].detail


@pytest.mark.parametrize("name, data, max_bytes, message", [
    ("big.pdf", PDF + b"x" * (2 * MB), MB, "超过大小上限"),
    ("empty.pdf", b"", MB, "空文件"),
    ("report.pdf", PNG, MB, "内容与扩展名不符"),
    ("photo.jpg", PDF, MB, "内容与扩展名不符"),
    ("program.exe", b"MZ\x90\x00", MB, "不受支持"),
    ("../../etc/passwd.txt", b"root:x:0:0", MB, "含有路径"),
    ("C:\\Windows\\evil.txt", b"text", MB, "含有路径"),
])
def test_bad_uploads_are_refused_and_leave_neither_file_nor_row(db, store, engagement, name, data, max_bytes, message):
    with pytest.raises(InvalidInput, match=message):
        upload(db, store, engagement, name, data, max_bytes=max_bytes)
    db.rollback()
    assert stored_files(store) == [] and db.exec(select(Evidence)).all() == []


def test_html_and_svg_are_kept_as_what_they_are(db, store, engagement):
    assert upload(db, store, engagement, "page.html", b"<!DOCTYPE html><script>x</script>").evidence.kind == "html"
    assert upload(db, store, engagement, "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>").evidence.kind == "svg"
    with pytest.raises(InvalidInput, match="内容与扩展名不符"):
        upload(db, store, engagement, "notes.txt", b"<html><body><script>alert(1)</script>")


def test_removing_evidence_keeps_the_record_and_the_file(db, store, engagement):
    e = upload(db, store, engagement, "a.pdf", PDF).evidence
    remove_evidence(db, evidence_id=e.id, reason="上传错了文件", by=actor("李评审"))
    assert list_evidence(db, engagement.id, by=actor()) == []
    kept = list_evidence(db, engagement.id, by=actor(), include_removed=True)
    assert [(x.removed_by, x.removed_reason) for x in kept] == [("李评审", "上传错了文件")]
    assert store.exists(e.sha256)
    with pytest.raises(InvalidInput, match="理由"):
        remove_evidence(db, evidence_id=upload(db, store, engagement, "b.png", PNG).evidence.id, reason=" ", by=actor())


def test_coverage_counts_files_and_checklist_items_per_clause(db, store, engagement):
    e = upload(db, store, engagement, "a.pdf", PDF, codes=("5.1.1.1",)).evidence
    link_evidence(db, evidence_id=e.id, links={"5.1.2.1": {0, 2}}, tree=TREE, by=actor())
    upload(db, store, engagement, "b.png", PNG, codes=("5.1.1.1",))
    cover = coverage(db, engagement.id, by=actor())
    assert cover["5.1.1.1"].files == 2 and cover["5.1.2.1"].files == 1 and cover["5.1.2.1"].items == {0, 2}
    assert "5.3.2.a" not in cover
    with pytest.raises(InvalidInput, match="没有第 9 项"):
        link_evidence(db, evidence_id=e.id, links={"5.1.2.1": {8}}, tree=TREE, by=actor())


def make_zip(entries: dict, *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def run_import(db, store, engagement, data: bytes):
    entries = list(zip_entries(io.BytesIO(data), len(data)))
    return import_package(db, store, engagement_id=engagement.id, entries=entries, tree=TREE, by=actor(),
                          max_bytes=MB)


@pytest.mark.parametrize("archive, message", [
    (lambda: make_zip({"../escape.pdf": PDF}), "上级目录"),
    (lambda: make_zip({"/abs/path.pdf": PDF}), "绝对路径"),
    (lambda: make_zip({"5.1.1.1 a.pdf": PDF}, symlink="5.1.1.2 link.pdf"), "链接"),
    (lambda: make_zip({"5.1.1.1 bomb.txt": b"0" * (60 * MB)}), "压缩炸弹"),
    (lambda: b"PK\x03\x04 not really a zip", "不是有效的 ZIP"),
])
def test_a_dangerous_package_is_refused_whole_and_nothing_is_stored(db, store, engagement, archive, message):
    with pytest.raises(InvalidInput, match=message):
        run_import(db, store, engagement, archive())
    assert stored_files(store) == [] and db.exec(select(Evidence)).all() == []


def test_a_package_with_a_manifest_links_every_file_to_its_clauses(db, store, engagement):
    manifest = "文件,条款,证据项\n组织/架构图.pdf,5.1.1.1;5.1.1.2,1\n人员名册.png,5.1.2.1 5.1.2.2,\n缺失.pdf,5.1.3.1,\n"
    data = make_zip({"manifest.csv": manifest.encode("utf-8-sig"), "组织/架构图.pdf": PDF, "人员名册.png": PNG,
                     "多余.pdf": PDF + b"%extra"})
    lines = {line.path: line for line in run_import(db, store, engagement, data)}
    assert lines["组织/架构图.pdf"].outcome == "imported" and lines["人员名册.png"].outcome == "imported"
    assert lines["缺失.pdf"].outcome == "refused" and "不在压缩包中" in lines["缺失.pdf"].detail
    assert lines["多余.pdf"].outcome == "refused" and "清单中没有此文件" in lines["多余.pdf"].detail
    cover = coverage(db, engagement.id, by=actor())
    assert {c: cover[c].files for c in cover} == {"5.1.1.1": 1, "5.1.1.2": 1, "5.1.2.1": 1, "5.1.2.2": 1}
    assert cover["5.1.1.1"].items == {0}
    again = run_import(db, store, engagement, data)
    assert {line.path: line.outcome for line in again}["人员名册.png"] == "duplicate"


def test_without_a_manifest_clause_codes_come_from_names_and_folders(db, store, engagement, tmp_path):
    folder = tmp_path / "package"
    (folder / "5.2.4.a 维修").mkdir(parents=True)
    (folder / "5.2.4.a 维修" / "工单.pdf").write_bytes(PDF)
    (folder / "5.1.1.1_组织架构.png").write_bytes(PNG)
    (folder / "说明.txt").write_text("无条款", encoding="utf-8")
    lines = import_package(db, store, engagement_id=engagement.id, entries=list(folder_entries(folder)), tree=TREE,
                           by=actor(), max_bytes=MB)
    assert {line.path: line.outcome for line in lines} == {
        "5.1.1.1_组织架构.png": "imported", "5.2.4.a 维修/工单.pdf": "imported", "说明.txt": "refused"}


SLOW_WRITER = """
import io, sys, time
sys.path.insert(0, {root!r})
from evidence.store import LocalBlobStore

class Slow(io.RawIOBase):
    def __init__(self): self.sent = 0
    def readable(self): return True
    def read(self, n=-1):
        if self.sent == 3: print("writing", flush=True)
        time.sleep(0.05); self.sent += 1
        return b"%PDF-" + b"x" * (1024 * 1024)

LocalBlobStore({store!r}).put(Slow(), max_bytes=10**12, check=lambda p, h, s: "pdf")
"""


def test_a_kill_while_storing_leaves_no_file_the_database_could_point_to(store):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER.format(root=root, store=str(store.root))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    blobs = [p for p in store.root.rglob("*") if p.is_file() and p.parent != store.tmp]
    assert blobs == [] and list(store.tmp.glob("*.part"))
    assert store.sweep() == 1 and list(store.tmp.iterdir()) == []
