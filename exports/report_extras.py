"""What a certification report adds to the scores by kind of engagement, from `ReportContext.extras` (plain values
issuance/extras.py gathers): for an initial certification or recertification, the body, the objectives and
criteria, the sites visited with their dates, the sample sizes, deviations from the plan, the team's
recommendation with its conditions, the scheme rules applied, confidentiality and distribution; for a
surveillance, what was verified since the last visit, the changes reported and the scores beside the last
visit's. A pre-audit adds none of it (a gap analysis carries no certification wording)."""
from __future__ import annotations

from exports.context import ReportContext
from exports.docx_kit import table
from vocabulary import CLAUSE_STATUS_LABELS, ClauseStatus, EngagementKind

CONFIDENTIALITY = ("本报告及评价中获得的企业信息仅用于本次认证评价，由认证机构按保密规定管理；未经受评价企业书面同意，"
                   "不向第三方披露，法律法规另有规定的除外。")
NOT_COVERED = CLAUSE_STATUS_LABELS[ClauseStatus.NOT_COVERED]
DISTRIBUTION = ("受评价企业（正本）", "认证机构认证决定人员", "认证机构档案（副本）")


def extra_sections(doc, ctx: ReportContext, body_name: str = "") -> None:
    if ctx.wording.gap:
        _missing(doc, ctx)
        return
    extras = ctx.extras
    if extras.get("carried") or extras.get("previous") or ctx.engagement.get("kind") == EngagementKind.SURVEILLANCE:
        _surveillance(doc, ctx)
    _certification(doc, ctx, body_name)


def _missing(doc, ctx: ReportContext) -> None:
    """A pre-audit's list of the documents and records no file covers yet, clause by clause."""
    if "missing" not in ctx.extras:
        return
    doc.add_heading("尚缺的文件和记录", level=1)
    missing = ctx.extras["missing"]
    if missing:
        table(doc, ["条款", "名称", "应具备的文件或记录"], [[m["code"], m["name"], m["item"]] for m in missing],
              widths=[2.5, 5, 8.5])
    else:
        doc.add_paragraph("各条款所列文件和记录均已有对应文件。")


def _certification(doc, ctx: ReportContext, body_name: str) -> None:
    extras, plan = ctx.extras, ctx.extras.get("plan") or {}
    doc.add_heading("附：认证评价信息", level=1)
    table(doc, ["项目", "内容"], [
        ["认证机构", body_name or "（未设置认证机构名称）"],
        ["评价目的", plan.get("objectives") or "（评价计划未载明）"],
        ["评价准则", plan.get("criteria") or "GB/T 27922-2011《商品售后服务评价体系》及认证实施规则"],
        ["评价范围", plan.get("scope") or ctx.company.get("scope", "")],
        ["计划日期", plan.get("visit") or ctx.period]], widths=[4, 12])
    doc.add_heading("现场评价的场所与日期", level=2)
    visits = extras.get("visits") or []
    if visits:
        table(doc, ["场所", "日期", "评价人员"], [[v["site"], v["day"], v["by"]] for v in visits], widths=[7, 4, 5])
    else:
        doc.add_paragraph("按评价计划：" + ("、".join(plan.get("sites", [])) or "（计划未列场所）")
                          + (f"，{plan['visit']}" if plan.get("visit") else "") + "。")
    doc.add_heading("抽样", level=2)
    samples = [[row.code, row.name, row.result] for row in ctx.rows if row.result.startswith("不符合 ")]
    if samples:
        table(doc, ["条款", "名称", "抽样结果"], samples, widths=[3, 8, 5])
    else:
        doc.add_paragraph("本次评价无按样本评分的条款。")
    doc.add_heading("评价范围内本次未覆盖的条款", level=2)
    not_covered = [[row.code, row.name] for row in ctx.rows if row.result == NOT_COVERED]
    if not_covered:
        table(doc, ["条款", "名称"], not_covered, widths=[3, 13])
    else:
        doc.add_paragraph("评价范围内的条款本次均已覆盖。")
    doc.add_heading("与评价计划的偏离", level=2)
    planned = set(plan.get("sites", []))
    unvisited = sorted(planned - {v["site"] for v in visits}) if visits else []
    doc.add_paragraph("计划中未访问的场所：" + "、".join(unvisited) + "。" if unvisited else "无偏离。")
    doc.add_heading("评价组推荐意见", level=2)
    recommendation = extras.get("recommendation")
    if recommendation:
        table(doc, ["推荐意见", "条件", "审查组长", "日期"],
              [[recommendation["text"], recommendation["conditions"] or "无", recommendation["by"],
                recommendation["day"]]], widths=[4, 6, 3, 3])
    else:
        doc.add_paragraph("审查组长尚未记录推荐意见。")
    doc.add_heading("适用的认证方案规则", level=2)
    for rule in extras.get("rules", []):
        doc.add_paragraph(rule, style="List Bullet")
    doc.add_heading("保密与分发", level=2)
    doc.add_paragraph(CONFIDENTIALITY)
    doc.add_paragraph("分发：" + "；".join(DISTRIBUTION) + "。")


def _surveillance(doc, ctx: ReportContext) -> None:
    extras = ctx.extras
    doc.add_heading("附：上次评价以来", level=1)
    doc.add_heading("遗留不符合项及其验证", level=2)
    carried = extras.get("carried") or []
    if carried:
        table(doc, ["编号", "来自", "条款", "严重程度", "不符合事实", "状态", "验证"],
              [[c["number"], c["from"], c["code"], c["severity"], c["finding"], c["status"], c["verification"]]
               for c in carried], widths=[1.5, 2.5, 1.7, 1.8, 3.5, 1.8, 3.2])
    else:
        doc.add_paragraph("上次评价无需本次验证的不符合项。")
    doc.add_heading("企业报告的变更", level=2)
    changes = extras.get("changes") or []
    if changes:
        table(doc, ["日期", "变更类型", "内容", "处理"],
              [[c["day"], c["kind"], c["description"], "，".join(p for p in (c["response"], c["note"]) if p)]
               for c in changes], widths=[2.5, 3, 6.5, 4])
    else:
        doc.add_paragraph("上次评价以来企业未报告变更。")
    doc.add_heading("投诉、证书和认证标志的使用", level=2)
    table(doc, ["项目", "评价组记录"], [["上次评价以来收到的投诉及处理", ""], ["证书和认证标志的使用", ""]],
          widths=[6, 10])
    doc.add_heading("得分与上次评价对比", level=2)
    table(doc, ["代码", "指标", "上次得分率", "本次得分率"], score_comparison(ctx), widths=[2, 8, 3, 3])


def score_comparison(ctx: ReportContext) -> list[list[str]]:
    """Each first- and second-level indicator's share of its applicable points, last visit and this one."""
    previous = ctx.extras.get("previous") or {}
    return [[row.code, row.name, _percent(*previous[row.code]) if row.code in previous else "—",
             _percent(row.earned, row.applicable)] for row in ctx.rows if row.level <= 2]


def _percent(earned: float, applicable: float) -> str:
    return f"{earned / applicable * 100:.1f}%" if applicable else "不适用"
