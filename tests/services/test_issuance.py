"""The body's templates and the issued record on a real database: versions per kind, a refused template leaves
nothing, an issued document records what made it and keeps its exact bytes, the archive checks against its
manifest and a changed byte is caught."""
import io
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from sqlmodel import func, select

from accounts.audit_log import AuditEvent, Event
from accounts.users import create_user
from errors import AccessDenied, InvalidInput
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from exports.archive import archive_problems
from exports.pdf import pdf_available
from issuance.models import DocumentTemplate, IssuedDocument
from issuance.services import (
    certificate_document,
    engagement_archive,
    issue_certificate_document,
    issue_document,
    list_templates,
    upload_template,
    use_built_in,
)
from tests.factories import actor, default_tree, make_engagement
from tests.services.access_issuance import plain_template
from tests.services.test_cycles import certified  # noqa: F401  (the fixture)
from vocabulary import DocumentKind

TREE = default_tree()
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "docs" / "templates" / "example-report.docx").read_bytes()
CERTIFICATE_EXAMPLE = (ROOT / "docs" / "templates" / "example-certificate.docx").read_bytes()


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


def issue(db, store, engagement_id, name="report", **kw):
    return issue_document(db, store, engagement_id=engagement_id, name=name, tree=TREE, by=actor(),
                          zone="Asia/Shanghai", **({"with_pdf": False} | kw))


def test_each_upload_is_a_new_version_and_the_latest_is_active(db, store):
    first = upload_template(db, store, kind=DocumentKind.REPORT, name="报告 A/0", data=EXAMPLE, by=actor())
    second = upload_template(db, store, kind=DocumentKind.REPORT, name="报告 A/1", data=EXAMPLE, by=actor())
    other = upload_template(db, store, kind=DocumentKind.RESULT, name="结论", data=plain_template(), by=actor())
    assert (first.version, second.version, other.version) == (1, 2, 1)
    active = {(t.kind, t.version) for t in list_templates(db, by=actor()) if t.active}
    assert active == {(DocumentKind.REPORT, 2), (DocumentKind.RESULT, 1)}
    assert store.path(second.sha256).read_bytes() == EXAMPLE
    logged = db.exec(select(func.count()).where(AuditEvent.action == Event.TEMPLATE_UPLOADED)).one()
    assert logged == 3


def test_a_refused_template_stores_nothing_and_lists_its_problems(db, store):
    bad = Document()
    bad.add_paragraph("｛｛ 企业名称 ｝｝")
    bad.add_paragraph("{{ 银行账号 }}")
    out = io.BytesIO()
    bad.save(out)
    with pytest.raises(InvalidInput) as refused:
        upload_template(db, store, kind=DocumentKind.REPORT, name="坏模板", data=out.getvalue(), by=actor())
    assert "全角括号" in refused.value.message and "银行账号" in refused.value.message
    assert db.exec(select(func.count()).select_from(DocumentTemplate)).one() == 0
    assert not any(p.is_file() for p in store.root.rglob("*") if p.parent != store.tmp)


def test_only_an_administrator_uploads_templates(db, store):
    user = create_user(db, username="zhang", display_name="张审查", role="assessor", password="a-long-password-1",
                       by=actor())
    from accounts.actor import Actor
    with pytest.raises(AccessDenied):
        upload_template(db, store, kind=DocumentKind.REPORT, name="x", data=EXAMPLE,
                        by=Actor(name="张审查", user_id=user.id, username="zhang", role="assessor"))


def test_an_issued_document_records_its_template_version_or_the_built_in_layout(db, store):
    engagement = make_engagement(db)
    built_in = issue(db, store, engagement.id)
    assert built_in.template_id is None and built_in.template_version is None
    template = upload_template(db, store, kind=DocumentKind.REPORT, name="机构报告", data=EXAMPLE, by=actor())
    from_template = issue(db, store, engagement.id)
    assert (from_template.template_id, from_template.template_version) == (template.id, 1)
    assert from_template.manifest["template"]["sha256"] == template.sha256
    doc = Document(store.path(from_template.docx_sha256))
    assert "杭州示例电器有限公司" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    use_built_in(db, kind=DocumentKind.REPORT, by=actor())
    assert issue(db, store, engagement.id).template_id is None
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.DOCUMENT_ISSUED)).one() == 3


def test_a_pre_audit_report_uses_the_gap_report_template(db, store):
    engagement = make_engagement(db, kind="pre_audit", title="预评价")
    gap = upload_template(db, store, kind=DocumentKind.GAP_REPORT, name="差距分析表", data=EXAMPLE, by=actor())
    upload_template(db, store, kind=DocumentKind.REPORT, name="认证报告", data=EXAMPLE, by=actor())
    issued = issue(db, store, engagement.id)
    assert (issued.kind, issued.template_id) == (DocumentKind.GAP_REPORT, gap.id)


def test_the_archive_verifies_and_a_changed_byte_in_any_file_is_named(db, store, tmp_path):
    engagement = make_engagement(db)
    upload_evidence(db, store, engagement_id=engagement.id, name="服务手册.pdf", stream=io.BytesIO(b"%PDF-1.4 m"),
                    tree=TREE, links={"5.1.4.1": set()}, by=actor(), max_bytes=1024 * 1024)
    issued = issue(db, store, engagement.id)
    assert [e["name"] for e in issued.manifest["evidence"]] == ["服务手册.pdf"]
    path = engagement_archive(db, store, engagement.id, TREE, by=actor())
    try:
        assert archive_problems(path) == []
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n != "manifest.json"]
            contents = {n: archive.read(n) for n in archive.namelist()}
        assert any(n.endswith(".docx") for n in names) and any(n.startswith("evidence/") for n in names)
        for name in names:
            changed = bytearray(contents[name])
            changed[len(changed) // 2] ^= 0x01
            damaged = tmp_path / "damaged.zip"
            with zipfile.ZipFile(damaged, "w") as archive:
                for n, data in contents.items():
                    archive.writestr(n, bytes(changed) if n == name else data)
            problems = archive_problems(damaged)
            assert len(problems) == 1 and name in problems[0], problems
        done = subprocess.run([sys.executable, "-m", "exports", "verify", str(damaged)], capture_output=True,
                              text=True, cwd=ROOT)
        assert done.returncode != 0 and name in done.stderr and "未通过核对" in done.stderr
        ok = subprocess.run([sys.executable, "-m", "exports", "verify", str(path)], capture_output=True, text=True,
                            cwd=ROOT)
        assert ok.returncode == 0, ok.stderr
    finally:
        path.unlink()


def test_a_changed_byte_inside_the_compressed_zip_is_caught(db, store, tmp_path):
    engagement = make_engagement(db)
    issue(db, store, engagement.id)
    path = engagement_archive(db, store, engagement.id, TREE, by=actor())
    raw = bytearray(path.read_bytes())
    path.unlink()
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(".docx"))
    raw[info.header_offset + 30 + len(info.filename.encode()) + 40] ^= 0xFF
    damaged = tmp_path / "raw.zip"
    damaged.write_bytes(bytes(raw))
    problems = archive_problems(damaged)
    assert problems and info.filename in problems[0]


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
def test_issuing_keeps_a_pdf_made_from_the_exact_docx(db, store):
    engagement = make_engagement(db)
    issued = issue(db, store, engagement.id, name="result", with_pdf=True)
    assert store.path(issued.pdf_sha256).read_bytes().startswith(b"%PDF")
    assert [f["path"] for f in issued.manifest["files"]] == ["评价结论.docx", "评价结论.pdf"]
    assert db.exec(select(func.count()).select_from(IssuedDocument)).one() == 1


def test_issuing_a_certificate_keeps_its_document_under_its_engagement(db, store, certified):  # noqa: F811
    certificate = certified["certificate"]
    with pytest.raises(AccessDenied):
        issue_certificate_document(db, store, certificate_id=certificate.id, by=certified["by"]["zhang"],
                                   with_pdf=False)
    issued = issue_certificate_document(db, store, certificate_id=certificate.id, by=certified["by"]["admin"],
                                        with_pdf=False)
    assert (issued.engagement_id, issued.kind) == (certified["initial"].id, DocumentKind.CERTIFICATE)
    text = "\n".join(p.text for p in Document(store.path(issued.docx_sha256)).paragraphs)
    assert certificate.number in text
    path = engagement_archive(db, store, certified["initial"].id, TREE, by=certified["by"]["admin"])
    try:
        with zipfile.ZipFile(path) as archive:
            assert f"documents/001-证书-{certificate.number}.docx" in archive.namelist()
        assert archive_problems(path) == []
    finally:
        path.unlink()


def test_a_certificate_template_is_checked_against_the_certificates_variables(db, store):
    with pytest.raises(InvalidInput, match="未知变量：.*得分"):  # the report's variables are not a certificate's
        upload_template(db, store, kind=DocumentKind.CERTIFICATE, name="证书", data=EXAMPLE, by=actor())
    with pytest.raises(InvalidInput, match="未知变量：.*证书编号"):
        upload_template(db, store, kind=DocumentKind.REPORT, name="报告", data=CERTIFICATE_EXAMPLE, by=actor())
    accepted = upload_template(db, store, kind=DocumentKind.CERTIFICATE, name="证书 A/0", data=CERTIFICATE_EXAMPLE,
                               by=actor())
    assert (accepted.kind, accepted.version, accepted.active) == (DocumentKind.CERTIFICATE, 1, True)


def test_a_certificate_is_issued_and_downloaded_from_the_bodys_template(db, store, certified):  # noqa: F811
    certificate, admin = certified["certificate"], certified["by"]["admin"]
    built_in = certificate_document(db, store, certificate_id=certificate.id, by=admin)
    assert built_in[0] is None
    template = upload_template(db, store, kind=DocumentKind.CERTIFICATE, name="证书 A/0", data=CERTIFICATE_EXAMPLE,
                               by=admin)
    used, docx = certificate_document(db, store, certificate_id=certificate.id, by=certified["by"]["client"])
    assert used.id == template.id
    doc = Document(io.BytesIO(docx))
    assert "QR-27922-09" in doc.sections[0].header.paragraphs[0].text
    assert certificate.number in "\n".join(p.text for p in doc.paragraphs)
    assert doc.inline_shapes  # the QR code
    issued = issue_certificate_document(db, store, certificate_id=certificate.id, by=admin, with_pdf=False)
    assert (issued.template_id, issued.template_version) == (template.id, 1)
    assert issued.manifest["template"] == {"id": template.id, "version": 1, "sha256": template.sha256}
    assert store.path(issued.docx_sha256).read_bytes() == docx
