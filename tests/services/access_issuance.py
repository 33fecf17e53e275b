"""The access matrix's rows for the body's templates and the issued record (tests/services/test_access_matrix.py):
uploading a template is the administrator's; issuing and the archive (which holds the evidence files) follow
who may manage the engagement; a nonconformity's acknowledgement is the client's, or the team's on its behalf.
Same signature and expectations as there."""
import io

from docx import Document

from issuance.services import engagement_archive, issue_document, upload_template
from nonconformities.acknowledgement import acknowledge_nonconformity
from tests.factories import default_tree
from vocabulary import DocumentKind

TREE = default_tree()


def plain_template() -> bytes:
    doc = Document()
    doc.add_paragraph("{{ 企业名称 }} {{ 得分 }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _issue(db, w, by, engagement_id):
    return issue_document(db, w.store, engagement_id=engagement_id, name="result", tree=TREE, by=by,
                          zone="Asia/Shanghai", with_pdf=False)


def _archive(db, w, by, engagement_id):
    engagement_archive(db, w.store, engagement_id, TREE, by=by).unlink()


ISSUANCE_ACTIONS = {
    "upload a document template": lambda db, w, by, who, e, c: upload_template(
        db, w.store, kind=DocumentKind.RESULT, name="机构评价结论表", data=plain_template(), by=by),
    "issue a document": lambda db, w, by, who, e, c: _issue(db, w, by, e),
    "download the engagement archive": lambda db, w, by, who, e, c: _archive(db, w, by, e),
    "acknowledge a nonconformity": lambda db, w, by, who, e, c: acknowledge_nonconformity(
        db, nc_id=w.ncs[e], representative="王经理", planned_completion=None, by=by),
}
ISSUANCE_EXPECTED = {
    "upload a document template":      {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "issue a document":                {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "download the engagement archive": {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    # the client signs; the team enters a paper signature on its behalf
    "acknowledge a nonconformity":     {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "YN"},
}

