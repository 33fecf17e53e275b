"""The documents an engagement exports, by name: what each is called and the function that renders it."""
from exports.word_forms import render_nonconformity_reports, render_plan, render_result
from exports.word_report import render_report
from exports.wording import wording

DOCUMENTS = {
    "report": ("评价报告", render_report),
    "nonconformities": ("不符合报告", render_nonconformity_reports),
    "result": ("评价结论", render_result),
    "plan": ("评价计划", render_plan),
}


def document_label(name: str, kind: str | None) -> str:
    """What a document is called for an engagement of `kind` (a pre-audit's report is a 差距分析报告)."""
    return wording(kind).documents[name]
