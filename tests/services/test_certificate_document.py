"""The certificate as a Word document (and PDF where LibreOffice is installed): every field of domain brief A7, read
back with python-docx, hostile text kept as text, sites in an annex when many, and a QR code that decodes to the
verification address."""
import io
import shutil
import subprocess
from datetime import date

import pytest
import zxingcpp
from docx import Document
from PIL import Image

from audits.companies import add_site
from cycle.certificate_reads import certificate_context, verification_url
from cycle.certificates import issue_certificate
from exports.certificate import render_certificate
from exports.pdf import docx_to_pdf, pdf_available
from tests import cycle_rows as rows
from tests.factories import actor, make_company

SYSTEM = actor("系统")
HOSTILE = '<b>甲&乙</b> "引号" \'单引号\' ' + "很长的名称" * 30


def issued(db, *, sites: int, name="杭州示例电器有限公司", services="家用电器的安装、维修服务"):
    company = make_company(db, name=name, address="杭州市西湖区 <文三路> & 1 号")
    for number in range(sites):
        add_site(db, company_id=company.id, data={"name": f"服务网点{number + 1:02d}", "kind": "outlet",
                                                  "address": f"网点路 {number + 1} 号"}, by=SYSTEM)
    engagement = rows.engagement(db, company)
    decision = rows.decision(db, engagement, date(2026, 3, 2), star="five_star")
    return issue_certificate(db, decision_id=decision.id, services=services, product_types="空调 & 冰箱 <家电>",
                             by=SYSTEM, today=date(2026, 3, 5))


def texts(document: Document) -> str:
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def qr_codes(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    images = [part.blob for part in document.part.package.parts if part.content_type == "image/png"]
    return [found.text for blob in images for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(blob)))]


@pytest.fixture
def settings_for_documents(monkeypatch):
    from config import settings
    monkeypatch.setenv("AUDIT_BODY_NAME", "示例认证有限公司")
    monkeypatch.setenv("AUDIT_PUBLIC_URL", "https://cert.example.cn")
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_the_document_carries_every_field_and_a_qr_code_to_the_verification_page(db, settings_for_documents):
    c = issued(db, sites=2, name=HOSTILE[:200], services='安装 & 维修 "上门" <服务>')
    data = render_certificate(certificate_context(db, c.id, by=SYSTEM))
    text = texts(Document(io.BytesIO(data)))
    for expected in ["示例认证有限公司", "证书", "商品售后服务评价认证证书", f"证书编号：{c.number}", HOSTILE[:200],
                     "杭州市西湖区 <文三路> & 1 号", c.credit_code, '安装 & 维修 "上门" <服务>', "空调 & 冰箱 <家电>",
                     "GB/T 27922-2011 商品售后服务评价体系", c.scheme, "五星级", "服务网点01（服务网点）：网点路 1 号",
                     "2026-03-05", "2029-03-04", "年度监督评价", "https://cert.example.cn/verify", c.check_code]:
        assert expected in text, expected
    assert "附件" not in text
    assert qr_codes(data) == [verification_url(c.number, c.check_code)]
    assert qr_codes(data)[0] == f"https://cert.example.cn/verify?no={c.number}&code={c.check_code}"


def test_many_sites_go_to_an_annex(db, settings_for_documents):
    c = issued(db, sites=7)
    document = Document(io.BytesIO(render_certificate(certificate_context(db, c.id, by=SYSTEM))))
    assert "共 7 个场所，见附件《证书覆盖场所》" in texts(document)
    annex = document.tables[-1]
    assert [cell.text for cell in annex.rows[0].cells] == ["序号", "场所名称", "类型", "地址"]
    assert [row.cells[1].text for row in annex.rows[1:]] == [f"服务网点{n:02d}" for n in range(1, 8)]


@pytest.mark.skipif(not pdf_available() or not shutil.which("pdftotext"), reason="LibreOffice is not installed")
def test_libreoffice_makes_a_pdf_of_the_certificate(db, settings_for_documents, tmp_path):
    c = issued(db, sites=1)
    pdf = docx_to_pdf(render_certificate(certificate_context(db, c.id, by=SYSTEM)))
    (tmp_path / "c.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True).stdout
    assert pdf.startswith(b"%PDF") and c.number in text and "商品售后服务评价认证证书" in text
