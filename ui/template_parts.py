"""What the 文档模板 page shows: the templates as table rows, and the example template of each kind to start from."""
from __future__ import annotations

from pathlib import Path

from vocabulary import DOCUMENT_KIND_LABELS, DocumentKind

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "templates"
EXAMPLE = EXAMPLES / "example-report.docx"  # the engagement's documents share the report's variables
_OWN_EXAMPLE = {DocumentKind.NONCONFORMITIES: "example-nonconformities.docx",
                DocumentKind.CERTIFICATE: "example-certificate.docx", DocumentKind.PLAN: "example-plan.docx"}


def example_for(kind: DocumentKind) -> Path:
    return EXAMPLES / _OWN_EXAMPLE[kind] if kind in _OWN_EXAMPLE else EXAMPLE


def template_rows(templates, when) -> list[dict]:
    return [{"文档类型": DOCUMENT_KIND_LABELS.get(t.kind, t.kind), "版本": t.version, "名称": t.name,
             "上传人": t.uploaded_by, "上传时间": when(t.uploaded_at), "当前使用": "是" if t.active else "",
             "SHA-256": t.sha256} for t in templates]
