"""Pure rules of the package import: zip member names in every encoding makers use, manifests in every encoding
Excel saves, and which clause a code in a name, a folder or the manifest stands for."""
import io
import struct
import zipfile
import zlib

import pytest

from errors import InvalidInput
from evidence.models import GENERAL
from evidence.names import zip_member_name
from evidence.package import Entry, map_to_clauses
from tests.factories import default_tree, small_tree

TREE = default_tree()


def member(raw: bytes, *, flag: int = 0, extra: bytes = b"") -> zipfile.ZipInfo:
    """A member as zipfile lists it after reading an archive: unflagged names decoded as cp437."""
    info = zipfile.ZipInfo(raw.decode("utf-8") if flag & 0x800 else raw.decode("cp437"))
    info.flag_bits, info.extra = flag, extra
    return info


def unicode_path_field(raw: bytes, name: str, crc: int | None = None) -> bytes:
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw) if crc is None else crc) + name.encode()
    return struct.pack("<HH", 0x7075, len(body)) + body


@pytest.mark.parametrize("raw, flag, extra, expected", [
    ("组织/架构图.pdf".encode(), 0x800, b"", "组织/架构图.pdf"),                   # flagged UTF-8
    ("5.1.1.1 组织架构图.pdf".encode(), 0, b"", "5.1.1.1 组织架构图.pdf"),          # Info-ZIP, macOS
    ("售后服务手册.pdf".encode("gbk"), 0, b"", "售后服务手册.pdf"),                   # Windows, Chinese
    ("手册（Café）.pdf".encode("gb18030"), 0, b"", "手册（Café）.pdf"),
    (b"caf\x82.pdf", 0, b"", "café.pdf"),                                             # neither: cp437
    ("Cafe\u0301.pdf".encode(), 0, b"", "Café.pdf"),                                   # decomposed: NFC
    ("资料\\手册.pdf".encode("gbk"), 0, b"", "资料/手册.pdf"),                         # a Windows separator
    (b"5.1.1.1 ??.pdf", 0, unicode_path_field(b"5.1.1.1 ??.pdf", "5.1.1.1 组织.pdf"), "5.1.1.1 组织.pdf"),
    (b"5.1.1.1 ??.pdf", 0, unicode_path_field(b"5.1.1.1 ??.pdf", "别的.pdf", crc=1), "5.1.1.1 ??.pdf"),
])
def test_zip_member_names_are_decoded_as_their_maker_meant(raw, flag, extra, expected):
    assert zip_member_name(member(raw, flag=flag, extra=extra)) == expected


def entries(files: dict[str, bytes]) -> list[Entry]:
    return [Entry(path, len(data), lambda data=data: io.BytesIO(data)) for path, data in files.items()]


def mapped(files: dict[str, bytes], tree=TREE) -> dict[str, tuple[dict, str]]:
    return {e.path: (e.links, e.problem) for e in map_to_clauses(entries(files), tree)}


MANIFEST = "文件,条款,证据项\n手册.pdf,5.1.4.1,①\n名册.pdf,5.1.2.1、5.1.2.2,\n"


@pytest.mark.parametrize("encoded", [
    MANIFEST.encode("utf-8"), MANIFEST.encode("utf-8-sig"), MANIFEST.encode("gbk"), MANIFEST.encode("gb18030"),
    MANIFEST.replace(",", "\t").encode("utf-16"),
])
def test_a_manifest_is_read_in_each_encoding_excel_saves(encoded):
    found = mapped({"清单.csv": encoded, "手册.pdf": b"", "名册.pdf": b""})
    assert found == {"手册.pdf": ({"5.1.4.1": {0}}, ""), "名册.pdf": ({"5.1.2.1": {GENERAL}, "5.1.2.2": {GENERAL}}, "")}


def test_a_manifest_in_no_known_encoding_says_which_were_tried():
    with pytest.raises(InvalidInput) as refused:
        mapped({"manifest.csv": b"\x80\x80,5.1.4.1\n", "a.pdf": b""})
    assert all(word in refused.value.message for word in ("manifest.csv", "UTF-8", "GB18030", "CSV UTF-8"))


@pytest.mark.parametrize("path, code", [
    ("5.1.1.1 组织架构图.pdf", "5.1.1.1"), ("5.1.1.1组织架构图.pdf", "5.1.1.1"), ("5.1.1.1.pdf", "5.1.1.1"),
    ("５.１.１.１ 全角.pdf", "5.1.1.1"), ("5.2.4.a维修/工单.pdf", "5.2.4.a"),
    ("5.2.4 维修/5.2.4.b 备件/清单.pdf", "5.2.4.b"), ("5.2.4.b 备件/5.2 总览.pdf", "5.2.4.b"),
])
def test_the_innermost_clause_code_in_a_path_is_the_clause(path, code):
    assert mapped({path: b""})[path] == ({code: {GENERAL}}, "")


@pytest.mark.parametrize("path", ["2023.10.5 会议纪要.pdf", "5.1.1.10 无此条款.pdf", "说明.pdf"])
def test_a_path_without_a_clause_code_is_refused_as_before(path):
    links, problem = mapped({path: b""})[path]
    assert links == {} and "不以条款代码开头" in problem


def test_an_indicator_with_several_clauses_names_them_and_links_nothing():
    links, problem = mapped({"5.2.1 商品信息/说明书.pdf": b""})["5.2.1 商品信息/说明书.pdf"]
    assert links == {} and all(code in problem for code in ("5.2.1.a", "5.2.1.b", "5.2.1 商品信息"))
    links, problem = mapped({"清单.csv": "说明书.pdf,5.2.1".encode(), "说明书.pdf": b""})["说明书.pdf"]
    assert links == {} and "清单第 1 行" in problem and "5.2.1.a" in problem


def test_an_indicator_with_one_clause_links_to_that_clause():
    tree = small_tree([1.0])
    assert mapped({"1.1 二级/记录.pdf": b""}, tree)["1.1 二级/记录.pdf"] == ({"1.1.1": {GENERAL}}, "")
    assert mapped({"清单.csv": "记录.pdf,1.1".encode(), "记录.pdf": b""}, tree)["记录.pdf"] == ({"1.1.1": {GENERAL}}, "")


def test_an_unknown_code_in_the_manifest_refuses_that_file_only():
    found = mapped({"清单.csv": b"a.pdf,9.9.9\nb.pdf,5.1.1.1\n", "a.pdf": b"", "b.pdf": b""})
    assert found["a.pdf"][1].startswith("清单第 1 行") and "9.9.9" in found["a.pdf"][1]
    assert found["b.pdf"] == ({"5.1.1.1": {GENERAL}}, "")


def test_a_manifest_inside_the_one_top_folder_is_found_and_read_from_there():
    found = mapped({"资料包/清单.csv": "文件,条款\n手册.PDF,5.1.4.1\n人员\\名册.pdf,5.1.2.1\n".encode(),
                    "资料包/手册.pdf": b"", "资料包/人员/名册.pdf": b""})
    assert found == {"资料包/手册.pdf": ({"5.1.4.1": {GENERAL}}, ""), "资料包/人员/名册.pdf": ({"5.1.2.1": {GENERAL}}, "")}


def test_an_xlsx_manifest_with_numbers_typed_as_numbers_is_read():
    from openpyxl import Workbook
    book = Workbook()
    for row in (["文件", "条款", "证据项"], ["手册.pdf", "5.1.4.1", 2], ["broken.pdf", "5.1.4.2", 1.0]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    found = mapped({"资料/清单.xlsx": out.getvalue(), "资料/手册.pdf": b"", "资料/broken.pdf": b""})
    assert found == {"资料/手册.pdf": ({"5.1.4.1": {1}}, ""), "资料/broken.pdf": ({"5.1.4.2": {0}}, "")}


def test_a_manifest_that_is_not_a_workbook_is_named_in_the_refusal():
    with pytest.raises(InvalidInput, match="清单 “清单.xlsx” 不是有效的 Excel"):
        mapped({"清单.xlsx": b"PK\x03\x04 not a workbook", "a.pdf": b""})


def test_a_zip_whose_names_claim_utf8_but_are_not_is_refused_with_a_message():
    from evidence.package import zip_entries
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.pdf", b"%PDF-1.4")
    data = buffer.getvalue()
    offset = data.index(b"PK\x01\x02")  # set the UTF-8 flag on a name that is GBK
    data = data.replace(b"x.pdf", "表.pdf".encode("gbk")[:5])
    data = data[:offset + 8] + bytes([data[offset + 8], data[offset + 9] | 0x08]) + data[offset + 10:]
    with pytest.raises(InvalidInput, match="UTF-8"):
        list(zip_entries(io.BytesIO(data), len(data)))


def test_a_manifest_row_without_codes_says_so():
    found = mapped({"清单.csv": "文件,条款\n手册.pdf,\n".encode(), "手册.pdf": b""})
    assert found["手册.pdf"] == ({}, "清单第 2 行：没有写条款代码")
