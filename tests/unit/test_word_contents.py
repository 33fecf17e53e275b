"""The report's table of contents is written when it is built (issue 14 item 19): an entry per heading, linked to a
bookmark on it, with a page-number field that Word and LibreOffice fill; LibreOffice, WPS and PDFs made from the
file no longer show an empty contents page."""
import io
import os
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from exports.context import build_report_context
from exports.word_report import render_report
from tests.unit.test_word_report import TREE, snapshot


def headings(doc) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs if p.style.name.startswith("Heading ")]


def contents(doc) -> list[tuple[int, str, str, str]]:
    """(level, text, hyperlink anchor, PAGEREF bookmark) of each entry, in order."""
    entries = []
    for p in doc.paragraphs:
        if not p.style.name.lower().startswith("toc "):
            continue
        link = p._p.find(qn("w:hyperlink"))
        field = " ".join(t.text for t in p._p.iter(qn("w:instrText"))).split()
        text = "".join(t.text or "" for t in link.iter(qn("w:t"))) if link is not None else p.text
        entries.append((int(p.style.name.split()[-1]), text.strip(), link.get(qn("w:anchor")) if link is not None
                        else "", field[1] if field[:1] == ["PAGEREF"] else ""))
    return entries


def bookmarked(doc) -> dict[str, str]:
    """Bookmark name -> the text of the heading it starts in."""
    return {b.get(qn("w:name")): p.text for p in doc.paragraphs for b in p._p.iter(qn("w:bookmarkStart"))}


@pytest.fixture(scope="module")
def report() -> bytes:
    return render_report(build_report_context(snapshot(), TREE))


def test_the_contents_list_every_heading_in_order_and_level(report):
    doc = Document(io.BytesIO(report))
    assert [(level, text) for level, text, _, _ in contents(doc)] == headings(doc)
    assert (2, "评价场所") in [(level, text) for level, text, _, _ in contents(doc)]


def test_each_entry_links_to_its_heading_and_asks_for_its_page_number(report):
    doc = Document(io.BytesIO(report))
    marks = bookmarked(doc)
    assert contents(doc)
    for _, text, anchor, pageref in contents(doc):
        assert anchor == pageref and marks[anchor] == text


def test_the_contents_come_before_the_first_heading_under_their_title(report):
    doc = Document(io.BytesIO(report))
    texts = [p.text for p in doc.paragraphs]
    first_entry = next(i for i, p in enumerate(doc.paragraphs) if p.style.name.lower().startswith("toc "))
    assert texts.index("目录") < first_entry < texts.index("一、评价结论摘要")


def test_a_certification_bodys_template_gets_the_contents_too():
    template = io.BytesIO()
    Document().save(template)
    doc = Document(io.BytesIO(render_report(build_report_context(snapshot(), TREE), template.getvalue())))
    assert [(level, text) for level, text, _, _ in contents(doc)] == headings(doc)


def test_libreoffice_prints_the_contents_with_the_page_of_each_heading(report, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        if os.environ.get("AUDIT_REQUIRE_BROWSER"):
            pytest.fail("LibreOffice and poppler-utils must be installed (scripts/system-packages.sh)")
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "report.docx").write_bytes(report)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "report.docx")], check=True,
                   capture_output=True, timeout=120)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    listed = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\S+?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.M)}
    wanted = [text for _, text in headings(Document(io.BytesIO(report)))]
    assert list(listed) == wanted
    for text, page in listed.items():
        assert re.search(rf"^\s*{re.escape(text)}\s*$", pages[page - 1], re.M), (text, page)
