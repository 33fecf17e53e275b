"""The documents an engagement exports, by name: what each is called, the function that renders it, and which
kind of body template replaces its built-in layout."""
from __future__ import annotations

from exports.certificate import render_certificate
from exports.certificate_vars import build_certificate_variables
from exports.context import ReportContext
from exports.plan_document import PlanDocument, render_plan_document
from exports.plan_vars import build_plan_variables, plan_from_context
from exports.template_vars import build_template_variables
from exports.templates import DEFAULT_TIMEOUT_SECONDS, render_certificate_template, render_template
from exports.word_forms import render_nonconformity_reports, render_plan, render_result
from exports.word_report import render_report
from exports.wording import wording
from vocabulary import DocumentKind, EngagementKind

DOCUMENTS = {
    "report": ("评价报告", render_report),
    "nonconformities": ("不符合报告", render_nonconformity_reports),
    "result": ("评价结论", render_result),
    "plan": ("评价计划", render_plan),
}
_REPORT_KINDS = {EngagementKind.PRE_AUDIT: DocumentKind.GAP_REPORT,
                 EngagementKind.SURVEILLANCE: DocumentKind.SURVEILLANCE_REPORT}


def document_label(name: str, kind: str | None) -> str:
    """What a document is called for an engagement of `kind` (a pre-audit's report is a 差距分析报告)."""
    return wording(kind).documents[name]


def template_kind(name: str, engagement_kind: str | None) -> DocumentKind:
    """The kind of template a document is made from: a pre-audit's report is a gap report, a surveillance's a
    surveillance report; the other documents are their own kind."""
    if name == DocumentKind.REPORT:
        return _REPORT_KINDS.get(engagement_kind, DocumentKind.REPORT)
    return DocumentKind(name)


def render_document(name: str, ctx: ReportContext, template: bytes | None = None, *, body_name: str = "",
                    timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """The document from the body's template when there is one, else in the built-in layout."""
    if template is None:
        return render_report(ctx, body_name=body_name) if name == DocumentKind.REPORT else DOCUMENTS[name][1](ctx)
    if name == DocumentKind.PLAN:  # a plan template prints a plan version (exports/plan_vars.py)
        return render_plan_version(plan_from_context(ctx), template, body_name=body_name, timeout=timeout)
    variables = build_template_variables(ctx, body_name=body_name, title=ctx.wording.titles[name])
    return render_template(template, variables, timeout=timeout,
                           charts={"一级指标得分图": ctx.first_level, "二级指标得分图": ctx.second_level})


def render_certificate_document(ctx: dict, template: bytes | None = None, *,
                                timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """The certificate (`ctx`: cycle.certificate_reads.certificate_context) from the body's certificate template
    when there is one, else in the built-in layout."""
    if template is None:
        return render_certificate(ctx)
    return render_certificate_template(template, build_certificate_variables(ctx), timeout=timeout)


def render_plan_version(plan: PlanDocument, template: bytes | None = None, *, body_name: str = "",
                        timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """A plan version (cycle/plan_document.py gathers it) from the body's plan template when there is one, else in
    the built-in layout."""
    if template is None:
        return render_plan_document(plan)
    return render_template(template, build_plan_variables(plan, body_name=body_name), timeout=timeout)
