"""The Word audit report (评价报告) rendered from a report context; optionally on a certification body's template."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from criteria.model import points_text
from exports.charts import points_chart
from exports.context import ReportContext
from exports.docx_kit import clean, contents, fill_contents, page_number_footer, save, setup_styles, table
from exports.report_extras import extra_sections
from exports.sample_annex import sample_annex

METHOD = ("本次评价依据 GB/T 27922-2011《商品售后服务评价体系》，采用文件审查与现场评价相结合的方式：查阅文件和记录、"
          "询问工作人员、观察现场、访问或联系顾客，并对总部及抽样的服务网点进行评价。定性条款符合得满分、不符合不得分；"
          "抽样条款按不符合样本的比例扣分；删减条款不计入涉及项分值；每项特别扣分项在评分之外扣 1 分，特别加分项至多 1 项、"
          "加 1 分。得分 = 实际得分 ÷ 涉及项分值 × 100 − 特别扣分 + 特别加分，限定在 0～100 分并四舍五入至两位小数；")


def render_report(ctx: ReportContext, template: Path | bytes | None = None, body_name: str = "") -> bytes:
    doc = Document(io.BytesIO(template) if isinstance(template, bytes) else template)
    setup_styles(doc)
    page_number_footer(doc)
    _cover(doc, ctx)
    spot = contents(doc)
    _break(doc)
    _summary(doc, ctx)
    _scope(doc, ctx)
    doc.add_heading("三、评价方法", level=1)
    doc.add_paragraph(METHOD + ctx.result.scheme.floors_text() + "。")
    _scores(doc, ctx)
    _findings(doc, ctx)
    _nonconformities(doc, ctx)
    _evidence(doc, ctx)
    extra_sections(doc, ctx, body_name)
    sample_annex(doc, ctx.samples, ctx.targets, ctx.target_gaps, gap=ctx.wording.gap)
    _signatures(doc, ctx)
    fill_contents(doc, spot)
    return save(doc)


def _break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cover(doc, ctx: ReportContext) -> None:
    for _ in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run(ctx.wording.titles["report"])
    run.bold, run.font.size = True, Pt(26)
    subtitle = doc.add_paragraph("依据 GB/T 27922-2011《商品售后服务评价体系》")
    subtitle.alignment = 1
    doc.add_paragraph()
    lead = next((name for name, role in ctx.team if role == "审查组长"), "")
    rows = [["报告编号", ctx.report_number], ["受评价企业", ctx.company.get("name", "")],
            ["统一社会信用代码", ctx.company.get("credit_code", "")], ["评价类型", ctx.kind],
            ["评价日期", ctx.period], ["审查组长", lead], ["评价组成员", "、".join(f"{n}（{r}）" for n, r in ctx.team)],
            ["指标体系", ctx.tree_title]]
    table(doc, ["项目", "内容"], rows, widths=[4, 11])
    _break(doc)


def _summary(doc, ctx: ReportContext) -> None:
    r = ctx.result
    if ctx.wording.gap:
        _gap_summary(doc, ctx)
        return
    doc.add_heading("一、评价结论摘要", level=1)
    table(doc, ["得分", ctx.wording.star, ctx.wording.conclusion, "已评条款", "实际得分 / 涉及项分值"],
          [[ctx.score, ctx.star, ctx.decision, f"{r.rated} / {r.applicable_clauses}",
            f"{float(r.earned_points):.2f} / {points_text(r.applicable_points)}"]])
    notes = [f"特别扣分项 {r.special_deductions} 项，特别加分项 {r.special_bonus} 项。"]
    if not r.complete:
        notes.append("尚有适用条款未评分，评价未完成。")
    if r.open_serious:
        notes.append(f"尚有 {r.open_serious} 项严重不符合未关闭，在其整改经验证有效前暂缓认证决定。")
    doc.add_paragraph("".join(notes))


def _gap_summary(doc, ctx: ReportContext) -> None:
    """A pre-audit's summary: readiness per first-level indicator, the predicted star, what to fix first."""
    r = ctx.result
    doc.add_heading("一、差距分析摘要", level=1)
    table(doc, ["当前得分", ctx.wording.star, f"总体{ctx.wording.conclusion}", "已评条款"],
          [[ctx.score, ctx.star, ctx.decision, f"{r.rated} / {r.applicable_clauses}"]])
    doc.add_paragraph(f"准备度为已评且符合的分值占涉及项分值的比例（未评条款暂不得分）；预计星级仅按已评条款推算。"
                      f"特别扣分项 {r.special_deductions} 项，特别加分项 {r.special_bonus} 项。")
    doc.add_heading("各一级指标准备度", level=2)
    table(doc, ["一级指标", "准备度", "实际得分 / 涉及项分值"],
          [[f"{x.code} {x.name}", x.text, f"{float(x.earned):.2f} / {points_text(x.applicable)}"]
           for x in ctx.readiness], widths=[7, 4, 5])
    doc.add_heading("优先整改事项（升至下一星级的路径）", level=2)
    if ctx.next_star:
        doc.add_paragraph(f"目标：{ctx.next_star}")
    if ctx.fix_first:
        table(doc, ["条款", "名称", "当前", "得分 +"], [list(f) for f in ctx.fix_first], widths=[2, 8, 3, 3])


def _scope(doc, ctx: ReportContext) -> None:
    doc.add_heading("二、评价范围", level=1)
    company = ctx.company
    doc.add_paragraph(clean(f"受评价企业：{company.get('name', '')}；地址：{company.get('address', '')}；"
                            f"行业：{company.get('industry', '')}。"))
    doc.add_paragraph(clean(f"认证范围（商品和服务）：{company.get('scope', '')}"))
    doc.add_heading("评价场所", level=2)
    if ctx.sites:
        table(doc, ["场所", "类型", "地址"], [list(s) for s in ctx.sites], widths=[4, 3, 8])
    else:
        doc.add_paragraph("（未登记场所）")
    _sampling(doc, ctx)
    doc.add_heading("删减条款", level=2)
    if ctx.exclusions:
        table(doc, ["条款", "名称", "删减理由"], [list(e) for e in ctx.exclusions], widths=[2, 4, 9])
    else:
        doc.add_paragraph("无删减。")


def _sampling(doc, ctx: ReportContext) -> None:
    """The sampling plan and the sites visited, when the snapshot has them (an old one does not)."""
    if not ctx.sampling and not ctx.sites_visited:
        return
    doc.add_heading("抽样方案与访问场所", level=2)
    if ctx.sampling:
        doc.add_paragraph(clean(ctx.sampling))
        table(doc, ["拟访问场所", "类型", "抽取方式", "理由"], [list(r) for r in ctx.planned_sites], widths=[4, 2.5, 3, 5.5])
    table(doc, ["已访问场所", "访问日期", "访问人"], [list(r) for r in ctx.sites_visited] or [["（尚未记录）", "", ""]],
          widths=[6, 4, 5])


def _scores(doc, ctx: ReportContext) -> None:
    doc.add_heading("四、各指标得分", level=1)
    rows = [[row.code, row.name, points_text(row.points), points_text(row.applicable), f"{row.earned:.2f}", row.result]
            for row in ctx.rows]
    bold = {i for i, row in enumerate(ctx.rows) if row.level < 3}
    table(doc, ["代码", "指标 / 条款", "分值", "涉及项分值", "实际得分", "结果"], rows,
          widths=[2, 5, 1.3, 2, 1.9, 3.8], bold_rows=bold)
    doc.add_paragraph("注：代码带字母的检查项（如 5.1.6.a）为本产品依据指标主题拟定，并非标准原文；"
                      "各条款分值为本产品的默认规则，认证机构可使用自己的评分表。").runs[0].font.size = Pt(8)
    for title, data in (("一级指标得分", ctx.first_level), ("二级指标得分", ctx.second_level)):
        doc.add_picture(io.BytesIO(points_chart(title, data)), width=Cm(16))


def _findings(doc, ctx: ReportContext) -> None:
    doc.add_heading("五、审核发现", level=1)
    if ctx.findings:
        table(doc, ["条款", "名称", "结果", "审核发现"], [list(f) for f in ctx.findings], widths=[2, 3.3, 3.8, 6.9])
    else:
        doc.add_paragraph("（无记录的审核发现）")
    doc.add_heading("特别扣分项与特别加分项", level=2)
    rows = [["特别扣分（−1）", d[0], d[1], d[2]] for d in ctx.deductions] + \
        [["特别加分（+1）", "", b[0], b[1]] for b in ctx.bonus]
    if rows:
        table(doc, ["类型", "类别", "条款", "事实与理由"], rows, widths=[3, 4, 2, 7])
    else:
        doc.add_paragraph("无。")


def _nonconformities(doc, ctx: ReportContext) -> None:
    doc.add_heading("六、不符合项", level=1)
    if not ctx.nonconformities:
        doc.add_paragraph("本次评价未发现不符合项。")
        return
    table(doc, ["编号", "条款", "严重程度", "状态", "整改期限", "不符合事实"],
          [[n["number"], n["code"], n["severity"], n["status"], n["due_date"], n["finding"]]
           for n in ctx.nonconformities], widths=[1.6, 2, 2.2, 2.6, 2.2, 5.4])


def _evidence(doc, ctx: ReportContext) -> None:
    doc.add_heading("七、证据索引", level=1)
    if not ctx.evidence:
        doc.add_paragraph("（未登记证据文件）")
        return
    # the whole hash: a file is checked against it, and a cut one cannot be
    table(doc, ["文件", "关联条款", "上传人", "SHA-256"], [list(e) for e in ctx.evidence], widths=[4, 3, 2, 7])


def _signatures(doc, ctx: ReportContext) -> None:
    doc.add_heading("八、签字", level=1)
    table(doc, ["角色", "签字", "日期"], [[role, "", ""] for role in ctx.wording.signatures], widths=[5, 6, 4])
