"""The example body templates in docs/templates render every document kind for the demo engagements (a pre-audit,
an initial certification in progress, one being planned), a surveillance and a certificate; each output opens in
python-docx with the body's form header, the company and the document's title."""
import io

import pytest
from docx import Document
from sqlmodel import select

from dossier.demo import load_demo_if_empty
from evidence.store import LocalBlobStore
from exports.documents import DOCUMENTS, document_label
from issuance.services import build_document, certificate_document, upload_template
from records.models import Engagement
from tests.factories import actor, default_tree
from tests.services.test_cycles import certified, surveillance  # noqa: F401  (the fixture)
from tests.services.test_document_strings import texts
from vocabulary import DocumentKind

TREE = default_tree()
EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "docs" / "templates"
FORMS = {DocumentKind.NONCONFORMITIES: "example-nonconformities.docx", DocumentKind.CERTIFICATE: "example-certificate.docx",
         DocumentKind.PLAN: "example-plan.docx"}
BODY = "中认示例认证有限公司"


def upload_examples(db, store):
    for kind in DocumentKind:
        upload_template(db, store, kind=kind, name=f"示例 {kind}",
                        data=(EXAMPLES / FORMS.get(kind, "example-report.docx")).read_bytes(), by=actor())


def made(db, store, engagement, name, by=None):
    data = build_document(db, store, engagement_id=engagement.id, name=name, tree=TREE, by=by or actor(),
                          zone="Asia/Shanghai", body_name=BODY)
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].header.paragraphs[0].text.startswith(BODY)
    return texts(data)


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


def test_every_document_of_the_demo_engagements_renders_from_the_examples(db, store):
    load_demo_if_empty(db, TREE)
    upload_examples(db, store)
    engagements = db.exec(select(Engagement).order_by(Engagement.id)).all()
    assert {e.kind for e in engagements} == {"pre_audit", "initial"}
    for engagement in engagements:
        company = engagement_company_name(db, engagement)
        for name in DOCUMENTS:
            text = made(db, store, engagement, name)
            assert document_label(name, engagement.kind) in text, (engagement.id, name)
            assert company in text, (engagement.id, name)


def test_a_surveillance_report_and_the_certificate_render_from_the_examples(db, store, certified):  # noqa: F811
    upload_examples(db, store)
    later = surveillance(db, certified)
    text = made(db, store, later, "report", by=certified["by"]["wu"])
    assert document_label("report", "surveillance") in text
    template, data = certificate_document(db, store, certificate_id=certified["certificate"].id, by=actor())
    assert template.kind == DocumentKind.CERTIFICATE
    doc = Document(io.BytesIO(data))
    assert certified["certificate"].number in texts(data) and doc.inline_shapes  # the QR code


def engagement_company_name(db, engagement):
    from records.models import Company
    return db.get(Company, engagement.company_id).name
