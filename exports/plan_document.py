"""The evaluation plan (评价计划) of one version as a Word document, from plain data (cycle/plan_document.py
gathers it)."""
from __future__ import annotations

from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt

from exports.docx_kit import page_number_footer, save, setup_styles, table


@dataclass(frozen=True)
class PlanDocument:
    """Everything the plan document prints, as text. `agenda`: (time, item, who); `assignments`: (member,
    indicators, sites); `sites`: (name, kind, address)."""

    number: str
    version: int
    company: str
    kind: str
    objectives: str
    scope: str
    criteria: str
    visit: str
    team: str
    agenda: list[tuple[str, str, str]] = field(default_factory=list)
    assignments: list[tuple[str, str, str]] = field(default_factory=list)
    sites: list[tuple[str, str, str]] = field(default_factory=list)
    sent: str = ""                  # "2026-11-20（张审查）" or "" for a draft
    revision_reason: str = ""
    notice: str = ""
    sampling: str = ""              # the sampling plan's rationale (exports/sampling_text.py)
    planned_sites: list[tuple[str, str, str, str]] = field(default_factory=list)  # site, kind, how, reason
    sites_visited: list[tuple[str, str, str]] = field(default_factory=list)       # site, date, team member
    # what a body's plan template prints besides (exports/plan_vars.py); the built-in layout does not need them
    title: str = "评价计划"          # the title by engagement kind (exports/wording.py)
    credit_code: str = ""
    address: str = ""
    tree_title: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)                  # name, role
    sent_on: str = ""
    sent_by: str = ""


def render_plan_document(plan: PlanDocument) -> bytes:
    doc = Document()
    setup_styles(doc)
    page_number_footer(doc)
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run("评价计划")
    run.bold, run.font.size = True, Pt(18)
    subtitle = doc.add_paragraph(f"编号：{plan.number}　第 {plan.version} 版")
    subtitle.alignment = 1
    table(doc, ["项目", "内容"], [
        ["受评价企业", plan.company], ["评价类型", plan.kind], ["评价目的", plan.objectives or "—"],
        ["评价范围", plan.scope or "—"], ["评价依据", plan.criteria or "—"], ["现场评价日期", plan.visit or "待定"],
        ["评价组", plan.team or "—"], ["发送日期", plan.sent or "尚未发送（草稿）"]]
        + ([["修订理由", plan.revision_reason]] if plan.revision_reason else []), widths=[3.5, 12.5])
    doc.add_heading("日程安排", level=2)
    table(doc, ["时间", "内容", "负责人"], [list(r) for r in plan.agenda] or [["—", "（待定）", ""]], widths=[3.5, 8.5, 4])
    doc.add_heading("评价组分工", level=2)
    table(doc, ["评价组成员", "负责指标", "负责场所"], [list(r) for r in plan.assignments] or [["—", "（待定）", ""]],
          widths=[3.5, 7.5, 5])
    doc.add_heading("拟访问场所", level=2)
    table(doc, ["场所", "类型", "地址"], [list(r) for r in plan.sites] or [["（待定）", "", ""]], widths=[5, 3, 8])
    doc.add_heading("抽样方案", level=2)
    doc.add_paragraph(plan.sampling or "尚未保存抽样方案。")
    if plan.planned_sites:
        table(doc, ["场所", "类型", "抽取方式", "理由"], [list(r) for r in plan.planned_sites], widths=[4, 2.5, 3, 6.5])
    if plan.sites_visited:
        doc.add_heading("已访问场所", level=2)
        table(doc, ["场所", "访问日期", "访问人"], [list(r) for r in plan.sites_visited], widths=[6, 4, 6])
    if plan.notice:
        doc.add_paragraph(plan.notice)
    return save(doc)
