"""Every kind of document through LibreOffice to PDF (read back with pypdfium2): the contents page of each report
(certification, gap analysis, surveillance, and one made from the body's template) lists every heading with the
page it is printed on; the shorter documents convert with their titles."""
import io
import os
import re

import pypdfium2 as pdfium
import pytest
from docx import Document

from exports.context import build_report_context
from exports.documents import DOCUMENTS, render_document
from exports.pdf import docx_to_pdf, pdf_available
from tests.unit.test_body_templates import EXAMPLE
from tests.unit.test_word_report import TREE, snapshot

pytestmark = pytest.mark.skipif(not pdf_available() and not os.environ.get("AUDIT_REQUIRE_BROWSER"),
                                reason="LibreOffice is not installed")
ENTRY = re.compile(r"^\s*(\S.*?)\s*(?:\.{2,}|…+)\s*(\d+)\s*$", re.MULTILINE)


def pages(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(document))]


def context(kind: str):
    data = snapshot()
    data["engagement"] = dict(data["engagement"], kind=kind)
    ctx = build_report_context(data, TREE)
    if kind == "surveillance":
        ctx.extras = {"carried": [{"number": "NC-01", "from": "初次认证", "code": "5.1.6.b", "severity": "一般不符合",
                                   "finding": "改进措施未验证效果", "status": "已关闭", "verification": "验证并关闭"}],
                      "previous": {"5.1": (20.0, 25.0)}, "changes": [], "rules": []}
    return ctx


def headings(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs if p.style.name.startswith("Heading ")]


@pytest.mark.parametrize("kind, template", [("initial", False), ("pre_audit", False), ("surveillance", False),
                                            ("initial", True)])
def test_the_contents_page_lists_each_heading_with_its_page(kind, template):
    docx = render_document("report", context(kind), EXAMPLE.read_bytes() if template else None)
    text = pages(docx_to_pdf(docx))
    contents = next(page for page in text if "目录" in page)
    listed = [(m.group(1).strip(), int(m.group(2))) for m in ENTRY.finditer(contents)]
    assert [title for title, _ in listed] == headings(docx)
    for title, page in listed:
        assert title in text[page - 1], (title, page)


@pytest.mark.parametrize("name", [n for n in DOCUMENTS if n != "report"])
def test_the_shorter_documents_convert_with_their_titles(name):
    ctx = context("initial")
    text = "".join(pages(docx_to_pdf(render_document(name, ctx))))
    assert ctx.wording.titles[name] in text.replace(" ", "")


def test_the_nonconformity_and_certificate_examples_convert_with_their_contents():
    from exports.documents import render_certificate_document
    from tests.unit.test_body_templates import EXAMPLE
    folder = EXAMPLE.parent
    ctx = context("initial")
    nc = "".join(pages(docx_to_pdf(render_document("nonconformities", ctx,
                                                   (folder / "example-nonconformities.docx").read_bytes()))))
    assert ctx.wording.titles["nonconformities"] in nc.replace(" ", "") and "计划完成日期" in nc
    certificate = {"body_name": "中认示例认证有限公司", "number": "GBT27922-2026-0001", "company_name": "示例企业",
                   "address": "杭州", "credit_code": "91330106MA2DEMX01W", "services": "安装及维修",
                   "product_types": "家用电器", "standard": "GB/T 27922-2011", "scheme": "商品售后服务评价",
                   "star_label": "五星级", "state_label": "有效", "issued_on": "2026-12-01", "expires_on": "2029-11-30",
                   "statement": "须通过年度监督", "verify_address": "https://example.org/verify", "check_code": "ab12",
                   "verification_url": "https://example.org/verify?n=1",
                   "sites": [{"name": f"网点{i}", "kind": "服务网点", "address": "杭州"} for i in range(8)]}
    text = "".join(pages(docx_to_pdf(render_certificate_document(
        certificate, (folder / "example-certificate.docx").read_bytes())))).replace(" ", "")
    assert "GBT27922-2026-0001" in text and "附件：证书覆盖场所" in text and "网点7" in text
