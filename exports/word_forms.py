"""The shorter documents: nonconformity reports, the one-page star-level result, the evaluation plan."""
from __future__ import annotations

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from criteria.model import points_text
from exports.context import ReportContext
from exports.docx_kit import clean, page_number_footer, save, setup_styles, table

AGENDA = [("首次会议", "介绍评价目的、范围、方法和日程，确认联系人"),
          ("文件与记录审查", "售后服务手册、制度、记录（5.1.4 规范要求等）"),
          ("现场评价", "按评价组分工，逐项收集证据并评分：{indicators}"),
          ("服务网点抽样评价", "按抽样方案访问服务网点，每个网点不少于 0.5 人日"),
          ("评价组内部沟通", "汇总发现，评定各条款得分，确定不符合项"),
          ("与企业沟通", "通报发现和不符合项，听取企业意见"),
          ("末次会议", "报告评价结果、不符合项及整改要求")]
VERIFIED = "整改有效，已关闭"  # the verification's conclusion once a verifier closed it
GAP_AGENDA = AGENDA[:-1] + [("末次会议", "通报差距分析结果：各指标准备度、预计星级和优先整改事项")]
PLAN_NOTICE = "本计划于现场评价前至少 3 天送达受评价企业；企业如有异议，可说明理由，由审查组长调整。"


def _document():
    doc = Document()
    setup_styles(doc)
    page_number_footer(doc)
    return doc


def _title(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = 1
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(18)


def render_nonconformity_reports(ctx: ReportContext) -> bytes:
    """One page per nonconformity, with spaces for the client's answer and the verification."""
    doc = _document()
    ncs = [n for n in ctx.nonconformities if not n["observation"]]
    if not ncs:
        _title(doc, ctx.wording.titles["nonconformities"])
        doc.add_paragraph("本次预评价未发现差距项。" if ctx.wording.gap else "本次评价未开具不符合项。")
    for index, nc in enumerate(ncs):
        if index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(doc, ctx.wording.titles["nonconformities"])
        if ctx.wording.gap:
            doc.add_paragraph("差距分析发现：供企业在正式评价前整改，不构成认证评价结果。")
        table(doc, ["项目", "内容"], [
            ["报告编号", f"{ctx.report_number}-{nc['number']}"], ["受评价企业", ctx.company.get("name", "")],
            ["场所", nc.get("site", "")], ["条款", nc["code"]], ["要求", nc["requirement"]],
            ["要求来源", nc.get("source", "")], ["不符合事实", nc["finding"]],
            ["观察到的证据", nc.get("evidence_seen", "")], ["严重程度", nc["severity"]], ["当前状态", nc["status"]],
            ["开具人 / 日期", f"{nc.get('raised_by', '')} {nc.get('raised_day', '')}".strip()],
            ["整改期限", nc["due_date"]], ["企业代表确认（签字 / 日期）", acknowledgement_text(nc)]], widths=[3.5, 12.5])
        doc.add_heading("企业整改（由受评价企业填写）", level=2)
        answer, check = nc["answer"], nc["verification"]
        _room_to_write(table(doc, ["项目", "内容"], [
            ["原因分析", answer.get("cause", "")], ["纠正", answer.get("correction", "")],
            ["纠正措施", answer.get("corrective_action", "")], ["计划完成日期", nc.get("planned_completion", "")],
            ["企业负责人 / 日期", ""]], widths=[3.5, 12.5]))
        _rectification_evidence(doc, nc.get("rectification_evidence", []))
        doc.add_heading("整改验证（由评价组填写）", level=2)
        _room_to_write(table(doc, ["项目", "内容"], [
            ["验证方式", check["method"]], ["验证记录", check["comment"]],
            ["验证结论", VERIFIED if check["by"] else ""],
            ["验证人 / 日期", f"{check['by']} {check['day']}".strip()]], widths=[3.5, 12.5]))
    return save(doc)


def acknowledgement_text(nc: dict) -> str:
    """Who acknowledged for the company, when, their remark, and who recorded it when not the same person; blank
    (room to sign a printed copy) until it is recorded."""
    ack = nc.get("acknowledgement") or {}
    if not ack.get("by"):
        return ""
    entered = f"（{ack['entered_by']} 代为录入）" if ack.get("entered_by") and ack["entered_by"] != ack["by"] else ""
    return "\n".join(filter(None, [f"{ack['by']} {ack.get('day', '')}".strip() + entered, ack.get("note", "")]))


def _rectification_evidence(doc, files: list[tuple[str, str]]) -> None:
    """The files the company's answer names, each by its name and the whole hash it is checked by."""
    if files:
        table(doc, ["整改证据文件", "SHA-256"], [[name, sha] for name, sha in files], widths=[5, 11])


def _room_to_write(grid) -> None:
    """Rows tall enough to fill in by hand on a printed copy."""
    for row in grid.rows[1:]:
        row.height, row.height_rule = Cm(1.6), WD_ROW_HEIGHT_RULE.AT_LEAST


def render_result(ctx: ReportContext) -> bytes:
    """The star-level result (评价结论) on one page; for a pre-audit, its readiness (准备度评估)."""
    doc = _document()
    _title(doc, ctx.wording.titles["result"])
    if ctx.wording.gap:
        return _readiness_letter(doc, ctx)
    r = ctx.result
    table(doc, ["项目", "内容"], [
        ["受评价企业", ctx.company.get("name", "")], ["统一社会信用代码", ctx.company.get("credit_code", "")],
        ["评价类型", ctx.kind], ["评价日期", ctx.period], ["指标体系", ctx.tree_title],
        ["得分", ctx.score], ["星级", ctx.star], ["结论", ctx.decision],
        ["实际得分 / 涉及项分值", f"{float(r.earned_points):.2f} / {points_text(r.applicable_points)}"],
        ["特别扣分 / 特别加分", f"{r.special_deductions} 项 / {r.special_bonus} 项"],
        ["未关闭的严重不符合", f"{r.open_serious} 项"]], widths=[5, 11])
    doc.add_paragraph()
    doc.add_paragraph("审查组长：                    日期：")
    doc.add_paragraph("认证决定人员：                日期：")
    return save(doc)


def _readiness_letter(doc, ctx: ReportContext) -> bytes:
    r = ctx.result
    table(doc, ["项目", "内容"], [
        ["受评价企业", ctx.company.get("name", "")], ["评价类型", ctx.kind], ["评价日期", ctx.period],
        ["指标体系", ctx.tree_title], ["当前得分", ctx.score], [ctx.wording.star, ctx.star],
        [f"总体{ctx.wording.conclusion}", ctx.decision], ["已评条款", f"{r.rated} / {r.applicable_clauses}"],
        ["特别扣分 / 特别加分", f"{r.special_deductions} 项 / {r.special_bonus} 项"]]
        + [[f"准备度：{x.code} {x.name}", x.text] for x in ctx.readiness]
        + [["下一星级目标", ctx.next_star or "—"],
           ["优先整改条款", "、".join(f"{code} {name}" for code, name, _, _ in ctx.fix_first) or "—"]],
        widths=[5, 11])
    doc.add_paragraph("本评估为差距分析，仅供企业整改参考。")
    doc.add_paragraph("咨询师：                    日期：")
    return save(doc)


def render_plan(ctx: ReportContext, notice: str = PLAN_NOTICE) -> bytes:
    """The evaluation plan (评价计划) that goes to the company before the on-site visit."""
    doc = _document()
    _title(doc, ctx.wording.titles["plan"])
    table(doc, ["项目", "内容"], [["受评价企业", ctx.company.get("name", "")], ["评价类型", ctx.kind],
                                ["评价日期", ctx.period], ["评价依据", ctx.tree_title],
                                ["评价组", "、".join(f"{n}（{r}）" for n, r in ctx.team)]], widths=[4, 12])
    doc.add_heading("评价场所", level=2)
    table(doc, ["场所", "类型", "地址"], [list(s) for s in ctx.sites] or [["（待定）", "", ""]], widths=[5, 4, 7])
    doc.add_heading("日程", level=2)
    indicators = "、".join(name for name, _, _ in ctx.first_level)
    agenda = GAP_AGENDA if ctx.wording.gap else AGENDA
    table(doc, ["环节", "内容"], [[step, clean(text.format(indicators=indicators))] for step, text in agenda],
          widths=[4, 12])
    doc.add_paragraph(notice)
    return save(doc)
