"""The variables a certification body's plan template (kind 评价计划) may use: the plan version sent to the company
(number, version, objectives, scope, criteria, visit dates, team, agenda, assignments, sites, sampling, sending,
revision) and the company it goes to. Pure, like exports/template_vars.py; docs/template-variables.md publishes the
same list under its own heading, and a test keeps the two in step.

Both documents of the kind read this one dictionary: the plan version on the preparation page
(cycle/plan_document.py gathers it) and the engagement's plan export (`plan_from_context`: the latest sent
version's content the report context carries, the standard agenda, the company's sites).
"""
from __future__ import annotations

from datetime import date

from exports.context import ReportContext
from exports.docx_kit import CONTENTS_MARK
from exports.plan_document import PlanDocument
from exports.template_vars import cleaned
from exports.word_forms import AGENDA, GAP_AGENDA, PLAN_NOTICE

PLAN_VARIABLES: dict[str, str] = {
    "认证机构": "认证机构名称（设置 AUDIT_BODY_NAME）",
    "文档标题": "评价计划的标题（预评价为差距分析计划的标题）",
    "计划编号": "评价计划编号",
    "计划版本": "计划的版本号（第几版）；计划尚未发送时（评价计划导出）为空",
    "企业名称": "受评价企业名称",
    "统一社会信用代码": "企业统一社会信用代码",
    "企业地址": "企业地址",
    "评价类型": "评价类型（预评价、初次认证、监督、再认证……）",
    "指标体系": "指标体系名称和编号",
    "评价目的": "计划载明的评价目的",
    "评价范围": "计划载明的评价范围",
    "评价准则": "计划载明的评价准则（依据）",
    "现场评价日期": "现场评价起止日期；未定时为空",
    "审查组长": "审查组长姓名",
    "评价组": "列表，每项：姓名、角色",
    "日程": "列表，日程每项：时间、内容、人员",
    "分工": "列表，评价组分工每项：成员、指标、场所",
    "评价场所": "列表，计划访问的场所每项：名称、类型、地址",
    "抽样说明": "抽样方案的说明；尚未保存抽样方案时为空",
    "拟访问场所": "列表，抽样方案选定的场所每项：场所、类型、抽取方式、理由",
    "已访问场所": "列表，已访问的场所每项：场所、日期、访问人",
    "已发送": "是否已发送给企业：真或假，供 {% if 已发送 %} 使用（草稿为假）",
    "发送日期": "发送给企业的日期；草稿为空",
    "发送人": "发送计划的人员；草稿为空",
    "修订原因": "本版的修订理由；第 1 版为空",
    "送达说明": "计划送达期限和企业提出异议的说明",
    "目录": "单独成段时，在此处生成已填好页码的目录",
    "生成日期": "文档生成日期",
}
_ROWS = {"评价组": ("姓名", "角色"), "日程": ("时间", "内容", "人员"), "分工": ("成员", "指标", "场所"),
         "评价场所": ("名称", "类型", "地址"), "拟访问场所": ("场所", "类型", "抽取方式", "理由"),
         "已访问场所": ("场所", "日期", "访问人")}  # a list variable's fields, in the order its rows hold them


def build_plan_variables(plan: PlanDocument, *, body_name: str = "", today: date | None = None) -> dict:
    """Every variable of PLAN_VARIABLES; texts pass through `clean` (what XML cannot hold is dropped)."""
    rows = {"评价组": plan.members, "日程": plan.agenda, "分工": plan.assignments, "评价场所": plan.sites,
            "拟访问场所": plan.planned_sites, "已访问场所": plan.sites_visited}
    return cleaned({
        "认证机构": body_name, "文档标题": plan.title, "计划编号": plan.number, "计划版本": plan.version or "",
        "企业名称": plan.company, "统一社会信用代码": plan.credit_code, "企业地址": plan.address,
        "评价类型": plan.kind, "指标体系": plan.tree_title, "评价目的": plan.objectives, "评价范围": plan.scope,
        "评价准则": plan.criteria, "现场评价日期": plan.visit,
        "审查组长": next((name for name, role in plan.members if role == "审查组长"), ""),
        **{name: [dict(zip(_ROWS[name], row, strict=True)) for row in value] for name, value in rows.items()},
        "抽样说明": plan.sampling, "已发送": bool(plan.sent_on), "发送日期": plan.sent_on, "发送人": plan.sent_by,
        "修订原因": plan.revision_reason, "送达说明": plan.notice, "目录": CONTENTS_MARK,
        "生成日期": (today or date.today()).isoformat(),
    })


def plan_from_context(ctx: ReportContext) -> PlanDocument:
    """The engagement's plan export as a plan version: the latest sent version's content (issuance/extras.py puts
    it in the context) else the engagement's own dates and the tree, the standard agenda, the company's sites."""
    plan = ctx.extras.get("plan") or {}
    indicators = "、".join(name for name, _, _ in ctx.first_level)
    return PlanDocument(
        number=plan.get("number", ""), version=plan.get("version", 0), company=ctx.company.get("name", ""),
        kind=ctx.kind, objectives=plan.get("objectives", ""), scope=plan.get("scope", ""),
        criteria=plan.get("criteria") or ctx.tree_title, visit=plan.get("visit") or ctx.period,
        team="、".join(f"{n}（{r}）" for n, r in ctx.team),
        agenda=[("", f"{step}：{text.format(indicators=indicators)}", "")
                for step, text in (GAP_AGENDA if ctx.wording.gap else AGENDA)],
        sites=list(ctx.sites), notice=PLAN_NOTICE, sampling=ctx.sampling, planned_sites=list(ctx.planned_sites),
        sites_visited=list(ctx.sites_visited), title=ctx.wording.titles["plan"],
        credit_code=ctx.company.get("credit_code", ""), address=ctx.company.get("address", ""),
        tree_title=ctx.tree_title, members=list(ctx.team), sent_on=plan.get("sent_on", ""),
        sent_by=plan.get("sent_by", ""))


def sample_plan_variables() -> dict:
    """Plausible values for every variable, one row in every list: a plan template is tried with them before it
    is accepted."""
    values: dict = {name: "示例" for name in PLAN_VARIABLES}
    values.update({name: [dict.fromkeys(fields, "示例")] for name, fields in _ROWS.items()})
    values.update({"计划版本": 1, "已发送": True, "目录": CONTENTS_MARK})
    return values
