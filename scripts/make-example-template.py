"""Writes docs/templates/example-report.docx: a certification body's report form using every kind of template
construct (variables with Chinese names, a filled contents, row loops, a merged first-level indicator column,
charts, a pre-audit branch). Run from the project folder: `python scripts/make-example-template.py`."""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exports.docx_kit import save, setup_styles  # noqa: E402

TARGET = ROOT / "docs" / "templates" / "example-report.docx"


def loop_table(doc, headers: list[str], loop: str, cells: list[str], widths: list[float]) -> None:
    """A header row, then a row loop: `{%tr for ... %}`, the row repeated, `{%tr endfor %}`."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for i, text in enumerate(headers):
        grid.cell(0, i).text = text
    grid.cell(1, 0).text = f"{{%tr for {loop} %}}"
    for i, text in enumerate(cells):
        grid.cell(2, i).text = text
    grid.cell(3, 0).text = "{%tr endfor %}"


def build() -> bytes:
    doc = Document()
    setup_styles(doc)
    header = doc.sections[0].header.paragraphs[0]
    header.text = "{{ 认证机构 }}    表单编号：QR-27922-01    版本：A/0"
    title = doc.add_paragraph("{{ 文档标题 }}")
    title.alignment = 1
    doc.add_paragraph("报告编号：{{ 报告编号 }}    生成日期：{{ 生成日期 }}")
    doc.add_paragraph("目录")
    doc.add_paragraph("{{ 目录 }}")
    doc.add_heading("一、基本信息", level=1)
    info = doc.add_table(rows=7, cols=2)
    info.style = "Table Grid"
    for row, (label, value) in enumerate([("受评价企业", "{{ 企业名称 }}"), ("统一社会信用代码", "{{ 统一社会信用代码 }}"),
                                          ("地址", "{{ 企业地址 }}"), ("评价类型", "{{ 评价类型 }}"),
                                          ("评价日期", "{{ 评价日期 }}"), ("指标体系", "{{ 指标体系 }}"),
                                          ("审查组长", "{{ 审查组长 }}")]):
        info.cell(row, 0).text, info.cell(row, 1).text = label, value
    doc.add_heading("二、结果", level=1)
    doc.add_paragraph("得分：{{ 得分 }}    星级：{{ 星级 }}    结论：{{ 结论 }}")
    doc.add_paragraph("{% if 预评价 %}本报告为差距分析，下一星级目标：{{ 下一星级 }}{% endif %}")
    doc.add_heading("三、各指标得分", level=1)
    grid = doc.add_table(rows=6, cols=4)
    grid.style = "Table Grid"
    for i, text in enumerate(["一级指标", "条款", "实际得分", "结果"]):
        grid.cell(0, i).text = text
    grid.cell(1, 0).text = "{%tr for 组 in 指标分组 %}"
    grid.cell(2, 0).text = "{%tr for 行 in 组.条款 %}"
    for i, text in enumerate(["{% vm %}{{ 组.指标 }}", "{{ 行.代码 }} {{ 行.名称 }}", "{{ 行.实际得分 }}",
                              "{{ 行.结果 }}"]):
        grid.cell(3, i).text = text
    grid.cell(4, 0).text = "{%tr endfor %}"
    grid.cell(5, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{{ 一级指标得分图 }}")
    doc.add_heading("四、抽样", level=1)
    loop_table(doc, ["条款", "名称", "抽样数", "不符合数"], "样 in 样本",
               ["{{ 样.条款 }}", "{{ 样.名称 }}", "{{ 样.抽样数 }}", "{{ 样.不符合数 }}"], [3, 7, 3, 3])
    doc.add_heading("五、审核发现", level=1)
    loop_table(doc, ["条款", "结果", "发现"], "发现 in 审核发现",
               ["{{ 发现.条款 }}", "{{ 发现.结果 }}", "{{ 发现.发现 }}"], [3, 4, 9])
    doc.add_heading("六、不符合项", level=1)
    loop_table(doc, ["编号", "条款", "严重程度", "不符合事实"], "项 in 不符合项",
               ["{{ 项.编号 }}", "{{ 项.条款 }}", "{{ 项.严重程度 }}", "{{ 项.不符合事实 }}"], [2, 3, 3, 8])
    doc.add_heading("七、签字", level=1)
    doc.add_paragraph("审查组长：              日期：")
    return save(doc)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build())
    print(f"已生成 {TARGET.relative_to(ROOT)}")
