"""Show an evidence file in the app: images inline, the first pages of a PDF, text, Word and Excel content.

HTML and SVG could run in the browser, so they are never rendered, only offered for download.
"""
from __future__ import annotations

import io
from itertools import islice

import streamlit as st

from evidence.filetypes import ACTIVE, IMAGES, MIME, decode_text
from evidence.models import Evidence

PDF_PAGES = 3
TEXT_CHARS = 20_000


def preview(evidence: Evidence, data: bytes) -> None:
    st.download_button("下载原文件", data, file_name=evidence.name, key=f"download-{evidence.id}",
                       mime=MIME.get(evidence.kind, "application/octet-stream"), icon=":material/download:")
    if evidence.kind in ACTIVE:
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
    from docx import Document
    try:
        paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    except Exception:
        st.caption("无法预览此 Word 文档，请下载后查看。")
        return
    st.text("\n".join(paragraphs)[:TEXT_CHARS] or "（文档中没有文字段落）")


def _xlsx(data: bytes) -> None:
    from openpyxl import load_workbook
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [["" if c is None else str(c) for c in row] for row in islice(sheet.iter_rows(values_only=True), 50)]
    except Exception:
        st.caption("无法预览此 Excel 表格，请下载后查看。")
        return
    st.dataframe(rows, hide_index=True)
