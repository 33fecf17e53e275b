"""Show an evidence file in the app: images inline, the first pages of a PDF, text, Word and Excel content.

HTML and SVG could run in the browser, so they are never rendered, only offered for download. The download is a
link to the server's streamed route (/files/<id>, web/files.py), so the file never passes through the session's
memory; a preview reads the file, so files above PREVIEW_BYTES are offered for download only. Run as
`streamlit run audit_app.py` alone (no server routes), the button hands the bytes over through the session.
"""
from __future__ import annotations

import io
from itertools import islice

import streamlit as st

from evidence.filetypes import ACTIVE, IMAGES, MIME, decode_text
from evidence.models import Evidence
from evidence.services import evidence_to_read, read_evidence
from web import routes

PDF_PAGES = 3
TEXT_CHARS = 20_000
TABLE_ROWS = 50  # rows shown of a sheet or a Word table, below its heading row
PREVIEW_BYTES = 20 * 1024 * 1024


def read_shown(session, evidence_id: int, *, by) -> tuple[Evidence, bytes | None]:
    """The record `by` may read and, when small enough to preview, its bytes (None above PREVIEW_BYTES)."""
    evidence = evidence_to_read(session, evidence_id, by=by)
    if evidence.size > PREVIEW_BYTES:
        return evidence, None
    from ui.state import evidence_store
    return read_evidence(session, evidence_store(), evidence_id, by=by)


def download(evidence: Evidence, data: bytes | None) -> None:
    if routes.ACTIVE:
        st.link_button("下载原文件", f"/files/{evidence.id}", key=f"download-{evidence.id}",
                       icon=":material/download:")
        return
    from ui.state import evidence_store
    store = evidence_store()
    st.download_button("下载原文件", data if data is not None else lambda: b"".join(store.chunks(evidence.sha256)),
                       file_name=evidence.name, key=f"download-{evidence.id}",
                       mime=MIME.get(evidence.kind, "application/octet-stream"), icon=":material/download:")


def preview(evidence: Evidence, data: bytes | None) -> None:
    download(evidence, data)
    if data is None and evidence.kind not in ACTIVE:
        st.caption("文件较大，不在页面中预览，请下载后查看。")
    elif evidence.kind in ACTIVE:
        st.warning("此类文件（HTML/SVG）可能包含脚本，为安全起见不在页面中显示，请下载后查看。")
    elif evidence.kind in IMAGES:
        _image(data, evidence.name)
    elif evidence.kind == "pdf":
        _pdf(data)
    elif evidence.kind == "text":
        st.text((decode_text(data) or "")[:TEXT_CHARS])
    elif evidence.kind == "docx":
        _docx(data)
    elif evidence.kind == "xlsx":
        _xlsx(data)
    else:
        st.caption("此类文件不提供预览，请下载后查看。")


def _image(data: bytes, name: str) -> None:
    from PIL import Image
    try:
        Image.open(io.BytesIO(data)).verify()
    except Exception:  # a damaged image is still evidence: offer the download only
        st.caption("无法预览此图片（文件可能已损坏），请下载后查看。")
        return
    st.image(data, caption=name)


def _pdf(data: bytes) -> None:
    try:
        import pypdfium2 as pdfium
        document = pdfium.PdfDocument(data)
    except Exception:  # a damaged PDF is still evidence: offer the download only
        st.caption("无法预览此 PDF，请下载后查看。")
        return
    count = len(document)
    for index in range(min(PDF_PAGES, count)):
        image = document[index].render(scale=1.2).to_pil()
        st.image(image, caption=f"第 {index + 1} 页，共 {count} 页")
    if count > PDF_PAGES:
        st.caption(f"仅预览前 {PDF_PAGES} 页。")


def _docx(data: bytes) -> None:
    """The paragraphs and the tables, in the order the document has them."""
    try:
        blocks = docx_blocks(data)
    except Exception:
        st.caption("无法预览此 Word 文档，请下载后查看。")
        return
    if not blocks:
        st.caption("（文档中没有文字或表格）")
    for block in blocks:
        if isinstance(block, str):
            st.text(block)
        else:
            st.dataframe(headed(block), hide_index=True)


def docx_blocks(data: bytes) -> list[str | list[list[str]]]:
    """Runs of non-blank paragraphs joined into one text, and each table as its rows of cell texts; the text is cut
    at TEXT_CHARS in all."""
    from docx import Document
    from docx.table import Table
    blocks: list[str | list[list[str]]] = []
    lines: list[str] = []
    budget = TEXT_CHARS
    for item in Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Table):
            if lines:
                blocks.append("\n".join(lines))
                lines = []
            rows = [[cell.text for cell in row.cells] for row in islice(item.rows, TABLE_ROWS + 1)]
            blocks += [rows] if rows else []
        elif item.text.strip() and budget > 0:
            lines.append(item.text[:budget])
            budget -= len(item.text)
    return blocks + (["\n".join(lines)] if lines else [])


def headed(rows: list[list[str]]):
    """A table whose first row names its columns: a blank name becomes 第 n 列, a repeated one gets （2）, （3）…"""
    import pandas as pd
    width = max(len(row) for row in rows)
    names: list[str] = []
    for number, cell in enumerate(rows[0] + [""] * (width - len(rows[0])), start=1):
        base = cell.strip() or f"第 {number} 列"
        name, repeat = base, 1
        while name in names:
            repeat += 1
            name = f"{base}（{repeat}）"
        names.append(name)
    return pd.DataFrame([row + [""] * (width - len(row)) for row in rows[1:]], columns=names)


def _xlsx(data: bytes) -> None:
    from openpyxl import load_workbook
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [["" if c is None else str(c) for c in row]
                for row in islice(sheet.iter_rows(values_only=True), TABLE_ROWS + 2)]
    except Exception:
        st.caption("无法预览此 Excel 表格，请下载后查看。")
        return
    if not rows:
        st.caption("（工作表中没有内容）")
        return
    st.dataframe(headed(rows[:TABLE_ROWS + 1]), hide_index=True)
    if len(rows) > TABLE_ROWS + 1:
        st.caption(f"仅预览第一个工作表的前 {TABLE_ROWS} 行。")
