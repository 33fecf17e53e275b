"""The readiness report (整改准备情况报告) for the client's management, from plain data (readiness/documents.py
gathers it): where the company stands per indicator, the predicted score and star, what to finish first, and the
open tasks with their owners and due dates."""
from __future__ import annotations

from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt

from exports.docx_kit import page_number_footer, save, setup_styles, table


@dataclass(frozen=True)
class ReadinessReport:
    """`indicators`: (code, name, ready, in progress, missing, share text); `path`: (code, name, points added);
    `tasks`: (code, what, owner, due, state, overdue mark)."""

    company: str
    engagement: str
    today: str
    predicted: str                 # "86.50 分 · 三星级"
    if_done: str
    next_star: str                 # "再完成 2 个条款可达四星级" or why not
    ready_share: str
    counts: str                    # "任务 40 项，已接受 3 项，待确认 1 项，逾期 2 项"
    indicators: list[tuple[str, str, int, int, int, str]] = field(default_factory=list)
    path: list[tuple[str, str, str]] = field(default_factory=list)
    tasks: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


def render_readiness_report(report: ReadinessReport) -> bytes:
    doc = Document()
    setup_styles(doc)
    page_number_footer(doc)
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run("整改准备情况报告")
    run.bold, run.font.size = True, Pt(18)
    table(doc, ["项目", "内容"], [["企业", report.company], ["预评价项目", report.engagement], ["报告日期", report.today],
                                ["条款就绪率", report.ready_share], ["任务", report.counts],
                                ["按已接受的整改预计", report.predicted], ["全部任务完成后预计", report.if_done],
                                ["下一星级", report.next_star]], widths=[4, 12])
    doc.add_paragraph("预计得分按预评价的评分计算，已接受整改的条款计为符合；尚未评价且未就绪的条款不计入。"
                      "预计结果仅供企业准备参考，认证结果以认证机构的评价为准。")
    doc.add_heading("各指标准备情况", level=2)
    table(doc, ["指标", "名称", "已就绪", "准备中", "缺失", "就绪率"],
          [[c, n, str(r), str(p), str(m), s] for c, n, r, p, m, s in report.indicators] or [["—", "", "", "", "", ""]],
          widths=[1.8, 6.2, 2, 2, 2, 2])
    doc.add_heading("优先完成（达到下一星级）", level=2)
    table(doc, ["条款", "名称", "可增加得分"], [list(step) for step in report.path] or [["—", "无", ""]],
          widths=[2.5, 9.5, 4])
    doc.add_heading("未完成的任务", level=2)
    table(doc, ["条款", "要准备的内容", "负责人", "完成期限", "状态", "逾期"],
          [list(task) for task in report.tasks] or [["—", "全部任务已完成", "", "", "", ""]],
          widths=[1.6, 7.4, 2, 2.2, 1.8, 1])
    return save(doc)
