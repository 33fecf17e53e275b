"""Bulk evidence import of the packages clients really send: made by Windows, Info-ZIP, macOS and Excel, with
damaged, encrypted or lying members. Each ends with a summary, stores the right Chinese names, and refuses
each bad member on its own. The archives are built byte for byte here; the CLI runs them too."""
import io
import os
import struct
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from evidence.importing import import_package
from evidence.models import Evidence
from evidence.package import zip_entries
from evidence.store import LocalBlobStore
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()
MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def pdf(tag: str) -> bytes:
    """A small PDF, different for each tag so no two files are duplicates."""
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + tag.encode() + b"\ntrailer<<>>\n%%EOF\n"


class Member(zipfile.ZipInfo):
    """A zip entry as another program writes it: the name's bytes as given, the flag bits as chosen."""

    def __init__(self, raw: bytes, *, utf8_flag: bool = False, encrypted: bool = False, extra: bytes = b""):
        super().__init__(raw.decode("cp437"))
        self.raw, self.extra = raw, extra
        self.more = (0x800 if utf8_flag else 0) | (0x1 if encrypted else 0)

    def _encodeFilenameFlags(self):  # what zipfile calls for both the local and the central header
        return self.raw, (self.flag_bits & ~0x800) | self.more


def build(members: list, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def understate_size(data: bytes, name: str, size: int) -> bytes:
    """Make the local and central headers of member `name` declare `size` uncompressed bytes."""
    raw, out = name.encode(), bytearray(data)
    offset = zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset
    out[offset + 22: offset + 26] = struct.pack("<I", size)
    central = 0
    while (central := data.find(b"PK\x01\x02", central)) >= 0:
        if data[central + 46: central + 46 + len(raw)] == raw:
            out[central + 24: central + 28] = struct.pack("<I", size)
        central += 4
    return bytes(out)


def windows_gbk_names() -> bytes:
    """Windows' own zip on a Chinese system: names in GBK, no UTF-8 flag."""
    return build([(Member("5.1.1.1 组织架构/架构图.pdf".encode("gbk")), pdf("a")),
                  (Member("5.1.4.1 售后服务手册.pdf".encode("gbk")), pdf("b"))])


def infozip_utf8_names() -> bytes:
    """Info-ZIP on Linux: UTF-8 names without the flag."""
    return build([(Member("5.1.1.1 组织架构图.pdf".encode()), pdf("a")),
                  (Member("5.2.4.a 维修/工单记录.pdf".encode()), pdf("b"))])


def macos_archive_utility() -> bytes:
    """macOS: decomposed UTF-8 names without the flag, resource forks under __MACOSX, a .DS_Store."""
    def nfd(text):
        return unicodedata.normalize("NFD", text).encode()
    return build([(Member(nfd("5.1.4.1 手册（Café 版）.pdf")), pdf("a")),
                  (Member(nfd("__MACOSX/._5.1.4.1 手册（Café 版）.pdf")), b"\x00\x05\x16\x07resource fork"),
                  (Member(b".DS_Store"), b"\x00\x00\x00\x01Bud1"),
                  (Member(nfd("5.2.4.a 维修/派工单.pdf")), pdf("b"))])


def gbk_manifest() -> bytes:
    """清单.csv saved by Excel on Chinese Windows (plain CSV: GBK)."""
    manifest = "文件,条款,证据项\n售后服务手册.pdf,5.1.4.1,1\n人员名册.pdf,5.1.2.1、5.1.2.2,\n".encode("gbk")
    return build([("清单.csv", manifest), ("售后服务手册.pdf", pdf("a")), ("人员名册.pdf", pdf("b"))])


def windows_send_to_compressed_folder() -> bytes:
    """A folder sent to a compressed folder: everything inside one top folder, the manifest too."""
    manifest = "文件,条款\n手册.pdf,5.1.4.1\n人员\\名册.pdf,5.1.2.1\n".encode("utf-8-sig")
    return build([(Member("资料包/".encode("gbk")), b""), (Member("资料包/清单.csv".encode("gbk")), manifest),
                  (Member("资料包/手册.pdf".encode("gbk")), pdf("a")),
                  (Member("资料包/人员/名册.pdf".encode("gbk")), pdf("b"))])


def indicator_folders() -> bytes:
    """Folders named by an indicator (5.2.1 has two clauses) and by one of its clauses."""
    return build([("5.2.1 商品信息/说明书.pdf", pdf("a")), ("5.2.1 商品信息/5.2.1.b 保修卡.pdf", pdf("b"))])


def broken_members() -> bytes:
    """Between two good files: an encrypted member, one with a bad CRC, one whose header understates its size."""
    data = build([("5.1.1.1 前.pdf", pdf("a")), (Member("5.1.1.2 加密.pdf".encode(), utf8_flag=True, encrypted=True),
                                                 pdf("secret")),
                  ("5.1.2.1 损坏.pdf", pdf("CORRUPT-ME")), ("5.1.2.2 大小不符.pdf", pdf("big") + b"0" * 3 * MB),
                  ("5.1.3.1 后.pdf", pdf("b"))], method=zipfile.ZIP_STORED)
    data = data.replace(b"CORRUPT-ME", b"CORRUPT-ME"[::-1])
    return understate_size(data, "5.1.2.2 大小不符.pdf", 100)


# kind -> (archive, {path in the summary: outcome}, the names stored)
ARCHIVES = {
    "Windows GBK names": (windows_gbk_names, {"5.1.1.1 组织架构/架构图.pdf": "imported",
                                              "5.1.4.1 售后服务手册.pdf": "imported"}, {"架构图.pdf", "5.1.4.1 售后服务手册.pdf"}),
    "Info-ZIP UTF-8 names": (infozip_utf8_names, {"5.1.1.1 组织架构图.pdf": "imported", "5.2.4.a 维修/工单记录.pdf": "imported"},
                             {"5.1.1.1 组织架构图.pdf", "工单记录.pdf"}),
    "macOS Archive Utility": (macos_archive_utility, {"5.1.4.1 手册（Café 版）.pdf": "imported",
                                                      "5.2.4.a 维修/派工单.pdf": "imported"},
                              {"5.1.4.1 手册（Café 版）.pdf", "派工单.pdf"}),
    "GBK manifest": (gbk_manifest, {"售后服务手册.pdf": "imported", "人员名册.pdf": "imported"},
                     {"售后服务手册.pdf", "人员名册.pdf"}),
    "one top folder": (windows_send_to_compressed_folder, {"资料包/手册.pdf": "imported", "资料包/人员/名册.pdf": "imported"},
                       {"手册.pdf", "名册.pdf"}),
    "indicator folder": (indicator_folders, {"5.2.1 商品信息/说明书.pdf": "refused",
                                             "5.2.1 商品信息/5.2.1.b 保修卡.pdf": "imported"}, {"5.2.1.b 保修卡.pdf"}),
    "broken members": (broken_members, {"5.1.1.1 前.pdf": "imported", "5.1.1.2 加密.pdf": "refused",
                                        "5.1.2.1 损坏.pdf": "refused", "5.1.2.2 大小不符.pdf": "refused",
                                        "5.1.3.1 后.pdf": "imported"}, {"5.1.1.1 前.pdf", "5.1.3.1 后.pdf"}),
}


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


@pytest.fixture
def engagement(db):
    return make_engagement(db)


def run_import(db, store, engagement, data: bytes, max_bytes=MB):
    return import_package(db, store, engagement_id=engagement.id, entries=list(zip_entries(io.BytesIO(data), len(data))),
                          tree=TREE, by=actor(), max_bytes=max_bytes)


@pytest.mark.parametrize("kind", ARCHIVES)
def test_each_kind_of_package_ends_with_a_summary_and_stores_the_right_names(db, store, engagement, kind):
    archive, outcomes, names = ARCHIVES[kind]
    lines = run_import(db, store, engagement, archive())
    assert {line.path: line.outcome for line in lines} == outcomes
    assert all(line.detail for line in lines if line.outcome == "refused")
    assert {e.name for e in db.exec(select(Evidence).where(Evidence.engagement_id == engagement.id))} == names
    assert list(store.tmp.iterdir()) == []


def test_each_bad_member_is_refused_with_what_is_wrong_with_it(db, store, engagement):
    details = {line.path: line.detail for line in run_import(db, store, engagement, broken_members())}
    assert "加密" in details["5.1.1.2 加密.pdf"] and "密码" in details["5.1.1.2 加密.pdf"]
    assert "损坏" in details["5.1.2.1 损坏.pdf"] and "损坏" in details["5.1.2.2 大小不符.pdf"]


def test_a_folder_named_by_an_indicator_says_which_clauses_to_choose(db, store, engagement):
    details = {line.path: line.detail for line in run_import(db, store, engagement, indicator_folders())}
    assert "5.2.1.a" in details["5.2.1 商品信息/说明书.pdf"] and "5.2.1.b" in details["5.2.1 商品信息/说明书.pdf"]


def test_the_gbk_manifest_links_each_file_to_its_clauses_and_items(db, store, engagement):
    from evidence.services import coverage
    run_import(db, store, engagement, gbk_manifest())
    cover = coverage(db, engagement.id, by=actor())
    assert {code: cover[code].files for code in cover} == {"5.1.4.1": 1, "5.1.2.1": 1, "5.1.2.2": 1}
    assert cover["5.1.4.1"].items == {0}


class Spy(LocalBlobStore):
    def put(self, stream, **kw):
        self.asked = getattr(self, "asked", 0) + 1
        return super().put(stream, **kw)


def test_a_member_declared_larger_than_the_limit_is_refused_before_anything_is_written(db, tmp_path, engagement):
    spy = Spy(tmp_path / "evidence")
    data = build([("5.1.1.1 大文件.pdf", pdf("big") + b"0" * 2 * MB)])
    [line] = run_import(db, spy, engagement, data, max_bytes=MB)
    assert line.outcome == "refused" and "超过大小上限 1 MB" in line.detail
    assert getattr(spy, "asked", 0) == 0


def test_a_member_that_understates_its_size_never_writes_more_than_it_declared(db, tmp_path, engagement):
    spy = Spy(tmp_path / "evidence")
    data = understate_size(build([("5.1.1.1 炸弹.pdf", pdf("x") + b"0" * 3 * MB)], method=zipfile.ZIP_STORED),
                           "5.1.1.1 炸弹.pdf", 100)
    [line] = run_import(db, spy, engagement, data, max_bytes=MB)
    assert line.outcome == "refused" and "损坏" in line.detail
    assert list(spy.tmp.iterdir()) == []


@pytest.mark.parametrize("kind", ARCHIVES)
def test_the_command_line_import_ends_with_a_summary_and_no_traceback(engine, db, engagement, tmp_path, kind):
    archive, outcomes, _ = ARCHIVES[kind]
    (tmp_path / "资料包.zip").write_bytes(archive())
    env = {**os.environ, "AUDIT_DATA_DIR": str(tmp_path), "AUDIT_DATABASE_URL": engine.url.render_as_string(False),
           "AUDIT_EVIDENCE_DIR": str(tmp_path / "evidence"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "evidence", "import", "--engagement", str(engagement.id),
                           str(tmp_path / "资料包.zip"), "--as", "张审查"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == (1 if "refused" in outcomes.values() else 0), done.stderr
    printed = [line.split("\t") for line in done.stdout.splitlines() if "\t" in line]
    assert {path for _, path, _ in printed} == set(outcomes)
    assert done.stdout.splitlines()[-1].startswith("已导入 ")
