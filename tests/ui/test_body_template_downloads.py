"""AppTest: with a body's template active, the 证书 page's download is the certificate template's output and the
评价准备 page's plan Word button gives the plan template's output (the docs examples, read back with python-docx);
with none, the built-in layouts."""
import io

from docx import Document

from config import settings
from evidence.store import LocalBlobStore
from issuance.services import upload_template
from tests.factories import actor
from tests.services.test_document_strings import texts
from tests.ui.conftest import ROOT, go, kept, sign_in
from tests.ui.test_certificates_page import CERTIFICATES, DASHBOARD, INITIAL, approved, db, issued_certificate
from tests.ui.test_preparation_page import as_user, write_plan
from vocabulary import DocumentKind

EXAMPLES = ROOT / "docs" / "templates"


def activate(kind: DocumentKind, example: str) -> None:
    """The example as the body's active template, in the store the app reads."""
    with db() as s:
        upload_template(s, LocalBlobStore(settings().evidence_folder), kind=kind, name=f"示例 {kind}",
                        data=(EXAMPLES / example).read_bytes(), by=actor("管理员"))


def header(data: bytes) -> str:
    return Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text


def test_the_certificate_download_is_the_bodys_certificate_template(signed_in):
    approved()
    at = go(signed_in("admin"), DASHBOARD, engagement=INITIAL)
    certificate = issued_certificate(at)
    activate(DocumentKind.CERTIFICATE, "example-certificate.docx")
    at.button(key="logout").click().run()
    at = go(sign_in(at, "client"), CERTIFICATES, certificate=certificate.id)
    at.button(key=f"cert-build-{certificate.id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    data, _ = kept(at, "certificates", f"cert-doc-{certificate.id}-{certificate.version}")
    assert "表单编号：QR-27922-09" in header(data)  # the example's form, not the built-in layout
    assert certificate.number in texts(data) and Document(io.BytesIO(data)).inline_shapes  # the QR code


def test_the_plan_word_button_gives_the_bodys_plan_template(data_dir):
    lead = write_plan(as_user("zhang"))
    lead.button(key=f"plan-build-{INITIAL}").click().run()
    built_in = next(v for k, v in lead.session_state["page-preparation"].kept.items() if k.startswith("plan-docx-"))
    assert "QR-27922-03" not in header(built_in) and "评价售后服务体系的符合性" in texts(built_in)
    activate(DocumentKind.PLAN, "example-plan.docx")
    lead = as_user("zhang")
    lead.button(key=f"plan-build-{INITIAL}").click().run()
    assert not lead.exception and not lead.error, [e.value for e in lead.error]
    data = next(v for k, v in lead.session_state["page-preparation"].kept.items() if k.startswith("plan-docx-"))
    assert "表单编号：QR-27922-03" in header(data)
    text = texts(data)
    assert "评价售后服务体系的符合性" in text and "首次会议" in text and "文件审查" in text and "李评审" in text
    offered = [b for b in lead.get("download_button") if b.key == f"plan-download-{INITIAL}"]
    assert offered and offered[0].proto.label == "下载评价计划（Word）"
