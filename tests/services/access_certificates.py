"""The access matrix's rows for certificates (tests/services/test_access_matrix.py): issuing, suspending, reading a
company's certificates and a certificate's history. Same signature and expectations as there. Decisions and
certificates are written straight into the tables before the data are compared (tests/cycle_rows.py)."""
from datetime import date

from sqlmodel import select

from cycle.certificate_changes import suspend_certificate
from cycle.certificate_reads import certificate_history, company_certificates
from cycle.certificates import issue_certificate
from cycle.models import Certificate
from issuance.services import certificate_document
from records.models import CertificationDecision, Engagement
from tests import cycle_rows as rows

DECIDED = date(2026, 1, 5)


def _decided(db, e):
    rows.decision(db, db.get(Engagement, e), DECIDED)


def _certified(db, e):
    rows.certificate(db, db.get(Engagement, e), DECIDED)


def _decision(db, e) -> int:
    return db.exec(select(CertificationDecision.id).where(CertificationDecision.engagement_id == e)).first()


def _certificate(db, e) -> int:
    return db.exec(select(Certificate.id).where(Certificate.engagement_id == e)).first()


CERTIFICATE_ACTIONS = {
    "issue a certificate": lambda db, w, by, who, e, c: issue_certificate(
        db, decision_id=_decision(db, e), services="维修服务", product_types="家电", by=by, today=date(2026, 1, 6)),
    "suspend a certificate": lambda db, w, by, who, e, c: suspend_certificate(
        db, certificate_id=_certificate(db, e), reason="监督评价逾期", by=by, today=date(2026, 6, 1)),
    "read a company's certificates": lambda db, w, by, who, e, c: company_certificates(db, c, by=by),
    "read a certificate's history": lambda db, w, by, who, e, c: certificate_history(db, _certificate(db, e), by=by),
    "download a certificate": lambda db, w, by, who, e, c: certificate_document(
        db, w.store, certificate_id=_certificate(db, e), by=by),
}
CERTIFICATE_PREPARE = {"issue a certificate": _decided, "suspend a certificate": _certified,
                       "read a certificate's history": _certified, "download a certificate": _certified}
CERTIFICATE_EXPECTED = {
    "issue a certificate":             {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "suspend a certificate":           {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "read a company's certificates":   {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "YN"},
    "read a certificate's history":    {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "YN"},
    "download a certificate":          {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "YN"},
}
