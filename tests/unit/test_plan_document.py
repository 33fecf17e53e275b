"""The evaluation plan's Word document from plain data: every part printed, an empty draft still a document,
hostile text kept as text."""
import io

from docx import Document

from exports.plan_document import PlanDocument, render_plan_document

HOSTILE = '<w:p>&amp; "引号" \'单引号\' ' + "长" * 3000 + "\x0b控制符"


def read(plan: PlanDocument) -> tuple[str, list[str]]:
    doc = Document(io.BytesIO(render_plan_document(plan)))
    return ("\n".join(p.text for p in doc.paragraphs),
            [c.text for t in doc.tables for row in t.rows for c in row.cells])


def test_an_empty_draft_is_a_document_that_says_what_is_missing():
    text, cells = read(PlanDocument(number="JH-2026-0001", version=1, company="甲公司", kind="初次认证",
                                    objectives="", scope="", criteria="", visit="", team=""))
    assert "评价计划" in text and "编号：JH-2026-0001　第 1 版" in text
    assert "尚未发送（草稿）" in cells and "待定" in cells and "（待定）" in cells


def test_every_part_is_printed_and_hostile_text_stays_text():
    text, cells = read(PlanDocument(
        number="JH-2026-0002", version=3, company=HOSTILE, kind="再认证", objectives=HOSTILE, scope="范围 & <b>",
        criteria='"GB/T 27922"', visit="2026-12-03 至 2026-12-04", team="张审查（审查组长）",
        agenda=[("09:00", HOSTILE, "张审查")], assignments=[("李评审", "5.1 售后服务体系", "城西网点")],
        sites=[("杭州总部", "总部", "西湖区 <1号>")], sent="2026-11-28（张审查）", revision_reason="企业异议：改期",
        notice="本计划于现场评价前至少 3 天送达"))
    kept = HOSTILE.replace("\x0b", "")  # Word takes no control characters
    assert cells.count(kept) == 3 and "范围 & <b>" in cells and '"GB/T 27922"' in cells
    assert {"2026-12-03 至 2026-12-04", "2026-11-28（张审查）", "企业异议：改期", "5.1 售后服务体系", "城西网点",
            "西湖区 <1号>", "张审查（审查组长）"} <= set(cells)
    assert "第 3 版" in text and "本计划于现场评价前至少 3 天送达" in text
