"""Previews of Word and Excel evidence (issue 14 item 20): a sheet's first row names the columns, and a Word file's
tables are shown where they stand among its paragraphs."""
import io

import pytest
from docx import Document
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest


def show(kind: str, data: bytes) -> None:
    from types import SimpleNamespace

    from ui.evidence_preview import preview
    preview(SimpleNamespace(id=1, name=f"证据.{kind}", kind=kind), data)


def previewed(kind: str, data: bytes) -> AppTest:
    at = AppTest.from_function(show, args=(kind, data), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shown(at: AppTest) -> list[tuple[str, object]]:
    """What the preview shows, in order: ("text", str) or ("table", DataFrame)."""
    found = []
    for node in at.main.children.values():
        if node.type == "text":
            found.append(("text", node.value))
        elif node.type == "dataframe":
            found.append(("table", node.value))
    return found


def test_a_sheets_first_row_names_the_columns():
    at = previewed("xlsx", workbook(["条款", "证据", "份数"], ["5.1.1.1", "组织架构图", 2], ["5.1.2.1", "证书", 3]))
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["条款", "证据", "份数"]
    assert frame.values.tolist() == [["5.1.1.1", "组织架构图", "2"], ["5.1.2.1", "证书", "3"]]


@pytest.mark.parametrize(("header", "columns"), [
    (["条款", None, "条款"], ["条款", "第 2 列", "条款（2）"]),
    ([None, None, None], ["第 1 列", "第 2 列", "第 3 列"]),
])
def test_blank_and_repeated_headings_still_make_distinct_columns(header, columns):
    at = previewed("xlsx", workbook(header, ["a", "b", "c"]))
    assert list(at.dataframe[0].value.columns) == columns


def test_a_sheet_with_only_its_heading_row_shows_the_columns_and_no_rows():
    frame = previewed("xlsx", workbook(["条款", "证据"])).dataframe[0].value
    assert list(frame.columns) == ["条款", "证据"] and len(frame) == 0


def test_an_empty_sheet_says_so():
    at = previewed("xlsx", workbook())
    assert not at.dataframe and any("没有内容" in c.value for c in at.caption)


def word_file() -> bytes:
    doc = Document()
    doc.add_paragraph("一、售后服务制度")
    grid = doc.add_table(rows=3, cols=2)
    for r, values in enumerate([("项目", "内容"), ("响应时限", "24 小时"), ("回访", "7 日内")]):
        for c, value in enumerate(values):
            grid.cell(r, c).text = value
    doc.add_paragraph("二、附则")
    doc.add_paragraph("本制度自发布之日起施行。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_files_tables_are_shown_in_order_with_its_paragraphs():
    parts = shown(previewed("docx", word_file()))
    assert [kind for kind, _ in parts] == ["text", "table", "text"]
    assert parts[0][1] == "一、售后服务制度"
    assert list(parts[1][1].columns) == ["项目", "内容"]
    assert parts[1][1].values.tolist() == [["响应时限", "24 小时"], ["回访", "7 日内"]]
    assert parts[2][1] == "二、附则\n本制度自发布之日起施行。"


def test_cells_beyond_the_heading_row_keep_a_column_of_their_own():
    frame = previewed("xlsx", workbook(["条款"], ["5.1.1.1", "备注"])).dataframe[0].value
    assert list(frame.columns) == ["条款", "第 2 列"] and frame.values.tolist() == [["5.1.1.1", "备注"]]


def test_a_damaged_word_file_is_offered_for_download_only():
    at = previewed("docx", b"PK\x03\x04 not really a document")
    assert any("无法预览此 Word 文档" in c.value for c in at.caption) and not at.dataframe
