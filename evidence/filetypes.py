"""What a file really is, judged from its first bytes, and whether that matches its extension.

Pure functions: `sniff` names the content's kind; `check_file` refuses empty files, unknown extensions and
content that does not match its extension (a .pdf that is really an image, an .exe renamed .docx, ...).
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from errors import InvalidInput

EXTENSIONS = {
    ".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp",
    ".bmp": "bmp", ".tif": "tiff", ".tiff": "tiff",
    ".docx": "docx", ".xlsx": "xlsx", ".pptx": "pptx", ".doc": "ole", ".xls": "ole", ".ppt": "ole",
    ".txt": "text", ".csv": "text", ".md": "text", ".log": "text", ".json": "text", ".xml": "text",
    ".html": "html", ".htm": "html", ".svg": "svg",
    ".zip": "zip", ".mp4": "video", ".mov": "video", ".mp3": "audio", ".wav": "audio",
}
KIND_LABELS = {
    "pdf": "PDF 文档", "png": "PNG 图片", "jpeg": "JPEG 图片", "gif": "GIF 图片", "webp": "WebP 图片",
    "bmp": "BMP 图片", "tiff": "TIFF 图片", "docx": "Word 文档", "xlsx": "Excel 表格", "pptx": "PowerPoint 演示文稿",
    "ole": "旧版 Office 文档", "text": "文本", "html": "HTML 网页", "svg": "SVG 图形", "zip": "ZIP 压缩包",
    "video": "视频", "audio": "音频", "binary": "未知的二进制内容",
}
IMAGES = {"png", "jpeg", "gif", "webp", "bmp"}
ACTIVE = {"html", "svg"}  # could run in a browser: offered for download only, never rendered
MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "bmp": "image/bmp", "tiff": "image/tiff", "text": "text/plain",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
SNIFF_BYTES = 64 * 1024


def sniff(head: bytes, whole: bytes | Path | None = None) -> str:
    """The kind of content that starts with `head` (`whole`, bytes or a file, tells Office files from ZIPs)."""
    signatures = [(b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"),
                  (b"GIF89a", "gif"), (b"BM", "bmp"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
                  (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"ID3", "audio")]
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "audio"
    if head[4:8] == b"ftyp":
        return "video"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(whole or head)
    return _text_kind(head)


def _office_kind(data: bytes | Path) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"
    for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
            return kind
    return "zip"


def _text_kind(head: bytes) -> str:
    if b"\x00" in head:
        return "binary"
    text = decode_text(head[: SNIFF_BYTES - 4])
    if text is None:
        return "binary"
    start = text.lstrip("\ufeff \t\r\n").lower()[:1000]
    if "<svg" in start:
        return "svg"
    if start.startswith(("<!doctype html", "<html")) or "<script" in start:
        return "html"
    return "text"


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) or GB18030, the encodings Chinese documents arrive in; None for binary."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def check_file(name: str, head: bytes, size: int, whole: bytes | Path | None = None) -> str:
    """The file's kind, or InvalidInput saying why it is refused."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if size == 0:
        raise InvalidInput(f"“{name}” 是空文件，未保存")
    expected = EXTENSIONS.get(suffix)
    if expected is None:
        known = " ".join(sorted(EXTENSIONS))
        raise InvalidInput(f"“{name}” 的文件类型（{suffix or '无扩展名'}）不受支持。支持：{known}")
    actual = sniff(head, whole)
    if actual == expected or (expected == "text" and actual in ("text", "html", "svg") and suffix == ".xml"):
        return expected
    if expected == "zip" and actual in ("docx", "xlsx", "pptx"):
        return "zip"
    raise InvalidInput(f"“{name}” 的内容与扩展名不符：扩展名 {suffix} 应为{KIND_LABELS[expected]}，"
                       f"而内容是{KIND_LABELS[actual]}。未保存")


def table_rows(what: str, name: str, data: bytes) -> list[list[str]]:
    """A small table file as rows of text: the first sheet of an .xlsx, or CSV as Excel saves it ("CSV UTF-8"
    with BOM; plain "CSV" on Chinese Windows, GBK, within GB18030; "Unicode 文本", UTF-16 with BOM and tabs;
    other programs write UTF-8 without BOM). `what` names the file in messages."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(what, data)
    try:
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else decode_text(data)
    except UnicodeDecodeError:
        text = None
    if text is None:
        raise InvalidInput(f"{what} 的文字编码无法识别（已尝试 UTF-8（含或不含 BOM）、GB18030/GBK、带 BOM 的 UTF-16）；"
                           "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试")
    first = text.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first and "," not in first else ","))


def _xlsx_rows(what: str, data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        sheet.reset_dimensions()
        return [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(f"{what} 不是有效的 Excel（.xlsx）文件") from None


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)
