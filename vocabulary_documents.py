"""The kinds of document a certification body issues (issue 18): part of the vocabulary, kept in their own module
so vocabulary.py stays short; vocabulary.py imports them and lists them in LABELS."""
from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """A kind of document the body issues; each has its own versioned templates."""
    REPORT = "report"
    GAP_REPORT = "gap_report"
    SURVEILLANCE_REPORT = "surveillance_report"
    NONCONFORMITIES = "nonconformities"
    RESULT = "result"
    PLAN = "plan"
    CERTIFICATE = "certificate"


DOCUMENT_KIND_LABELS = {
    DocumentKind.REPORT: "评价报告", DocumentKind.GAP_REPORT: "差距分析报告",
    DocumentKind.SURVEILLANCE_REPORT: "监督评价报告", DocumentKind.NONCONFORMITIES: "不符合报告",
    DocumentKind.RESULT: "评价结论", DocumentKind.PLAN: "评价计划", DocumentKind.CERTIFICATE: "证书",
}
