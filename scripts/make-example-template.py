"""Writes the example body templates in docs/templates/: example-report.docx, a report form using every kind of
template construct (variables with Chinese names, a filled contents, row loops, a merged first-level indicator
column, charts, a pre-audit branch), which serves every document kind of an engagement; example-nonconformities.docx,
the nonconformity report with every field of domain brief A5; example-certificate.docx, the certificate with its
sites annex and QR code; example-plan.docx, the evaluation plan sent to the company (its own variables: agenda,
assignments, sites, sampling). Run from the project folder: `python scripts/make-example-template.py`."""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from exports.docx_kit import save, setup_styles  # noqa: E402

FOLDER = ROOT / "docs" / "templates"
TARGET = FOLDER / "example-report.docx"
NONCONFORMITIES = FOLDER / "example-nonconformities.docx"
CERTIFICATE = FOLDER / "example-certificate.docx"
PLAN = FOLDER / "example-plan.docx"


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


def form(doc, rows: list[tuple[str, str]]):
    """A two-column form: label, value."""
    grid = doc.add_table(rows=len(rows), cols=2)
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, [4.5, 11.5], strict=True):
        column.width = Cm(width)
    for row, (label, value) in enumerate(rows):
        grid.cell(row, 0).text, grid.cell(row, 1).text = label, value
    return grid


def build_nonconformities() -> bytes:
    """One section per nonconformity: the finding, the company's answer, the verification (domain brief A5)."""
    doc = Document()
    setup_styles(doc)
    doc.sections[0].header.paragraphs[0].text = "{{ 认证机构 }}    表单编号：QR-27922-05    版本：A/0"
    doc.add_paragraph("{{ 文档标题 }}").alignment = 1
    doc.add_paragraph("受评价企业：{{ 企业名称 }}    报告编号：{{ 报告编号 }}")
    doc.add_paragraph("{%p for 项 in 不符合项 %}")
    doc.add_heading("{{ 项.编号 }}  {{ 项.严重程度 }}", level=1)
    form(doc, [("场所", "{{ 项.场所 }}"), ("条款", "{{ 项.条款 }}"), ("要求", "{{ 项.要求 }}"),
               ("要求来源", "{{ 项.要求来源 }}"), ("不符合事实", "{{ 项.不符合事实 }}"),
               ("观察到的证据", "{{ 项.观察到的证据 }}"), ("开具人 / 日期", "{{ 项.开具人 }} {{ 项.开具日期 }}"),
               ("整改期限", "{{ 项.整改期限 }}"), ("企业代表确认", "{{ 项.确认人 }} {{ 项.确认日期 }} {{ 项.确认说明 }}"),
               ("原因分析", "{{ 项.原因分析 }}"), ("纠正", "{{ 项.纠正 }}"), ("纠正措施", "{{ 项.纠正措施 }}"),
               ("计划完成日期", "{{ 项.计划完成日期 }}"),
               ("整改证据", "{% for 件 in 项.整改证据 %}{{ 件.文件 }}（{{ 件.SHA256 }}） {% endfor %}"),
               ("验证方式 / 记录", "{{ 项.验证方式 }} {{ 项.验证记录 }}"), ("验证结论", "{{ 项.验证结论 }}"),
               ("验证人 / 日期", "{{ 项.验证人 }} {{ 项.验证日期 }}"), ("当前状态", "{{ 项.状态 }}")])
    doc.add_paragraph("{%p endfor %}")
    return save(doc)


def build_certificate() -> bytes:
    """The certificate: its fields, the validity statement, the QR code, and the sites annex when there are many."""
    doc = Document()
    setup_styles(doc)
    doc.sections[0].header.paragraphs[0].text = "{{ 认证机构 }}    表单编号：QR-27922-09    版本：A/0"
    for text in ("{{ 认证机构 }}", "{{ 文档标题 }}", "证书编号：{{ 证书编号 }}"):
        doc.add_paragraph(text).alignment = 1
    doc.add_paragraph("兹证明 {{ 企业名称 }} 的商品售后服务符合 {{ 依据标准 }} 的要求，经评价，达到{{ 星级 }}。")
    form(doc, [("获证企业", "{{ 企业名称 }}"), ("统一社会信用代码", "{{ 统一社会信用代码 }}"), ("企业地址", "{{ 企业地址 }}"),
               ("认证的服务", "{{ 认证的服务 }}"), ("产品类别", "{{ 产品类别 }}"), ("认证方案", "{{ 认证方案 }}"),
               ("覆盖场所", "{{ 场所摘要 }}"), ("发证日期", "{{ 发证日期 }}"), ("有效期至", "{{ 有效期至 }}"),
               ("证书状态", "{{ 证书状态 }}")])
    doc.add_paragraph("{{ 有效性声明 }}")
    doc.add_paragraph("证书查询：{{ 查询地址 }}    验证码：{{ 验证码 }}")
    doc.add_paragraph("{{ 二维码 }}").alignment = 1
    doc.add_paragraph("{{ 认证机构 }}（盖章）    生成日期：{{ 生成日期 }}").alignment = 2
    doc.add_paragraph("{%p if 场所见附件 %}")
    doc.add_heading("附件：证书覆盖场所", level=2)
    loop_table(doc, ["序号", "场所名称", "类型", "地址"], "场 in 覆盖场所",
               ["{{ 场.序号 }}", "{{ 场.名称 }}", "{{ 场.类型 }}", "{{ 场.地址 }}"], [1.5, 5.5, 2.5, 6.5])
    doc.add_paragraph("{%p endif %}")
    return save(doc)


def build_plan() -> bytes:
    """The plan version sent to the company before the visit: every plan variable, its lists as row loops."""
    doc = Document()
    setup_styles(doc)
    doc.sections[0].header.paragraphs[0].text = "{{ 认证机构 }}    表单编号：QR-27922-03    版本：A/0"
    doc.add_paragraph("{{ 文档标题 }}").alignment = 1
    doc.add_paragraph("计划编号：{{ 计划编号 }}    {% if 计划版本 %}第 {{ 计划版本 }} 版{% endif %}    生成日期：{{ 生成日期 }}").alignment = 1
    doc.add_heading("一、基本信息", level=1)
    form(doc, [("受评价企业", "{{ 企业名称 }}"), ("统一社会信用代码", "{{ 统一社会信用代码 }}"), ("企业地址", "{{ 企业地址 }}"),
               ("评价类型", "{{ 评价类型 }}"), ("指标体系", "{{ 指标体系 }}"), ("评价目的", "{{ 评价目的 }}"),
               ("评价范围", "{{ 评价范围 }}"), ("评价准则", "{{ 评价准则 }}"), ("现场评价日期", "{{ 现场评价日期 }}"),
               ("审查组长", "{{ 审查组长 }}"),
               ("发送", "{% if 已发送 %}{{ 发送日期 }}（{{ 发送人 }}）{% else %}尚未发送（草稿）{% endif %}"),
               ("修订原因", "{{ 修订原因 }}")])
    doc.add_heading("二、评价组", level=1)
    loop_table(doc, ["姓名", "角色"], "人 in 评价组", ["{{ 人.姓名 }}", "{{ 人.角色 }}"], [8, 8])
    doc.add_heading("三、日程", level=1)
    loop_table(doc, ["时间", "内容", "人员"], "程 in 日程", ["{{ 程.时间 }}", "{{ 程.内容 }}", "{{ 程.人员 }}"], [3.5, 8.5, 4])
    doc.add_heading("四、评价组分工", level=1)
    loop_table(doc, ["成员", "负责指标", "负责场所"], "工 in 分工", ["{{ 工.成员 }}", "{{ 工.指标 }}", "{{ 工.场所 }}"],
               [3.5, 7.5, 5])
    doc.add_heading("五、评价场所", level=1)
    loop_table(doc, ["场所", "类型", "地址"], "场 in 评价场所", ["{{ 场.名称 }}", "{{ 场.类型 }}", "{{ 场.地址 }}"], [5, 3, 8])
    doc.add_heading("六、抽样方案", level=1)
    doc.add_paragraph("{{ 抽样说明 }}")
    loop_table(doc, ["抽样场所", "类型", "抽取方式", "理由"], "抽 in 拟访问场所",
               ["{{ 抽.场所 }}", "{{ 抽.类型 }}", "{{ 抽.抽取方式 }}", "{{ 抽.理由 }}"], [4, 2.5, 3, 6.5])
    loop_table(doc, ["已访问场所", "日期", "访问人"], "访 in 已访问场所", ["{{ 访.场所 }}", "{{ 访.日期 }}", "{{ 访.访问人 }}"],
               [6, 4, 6])
    doc.add_paragraph("{{ 送达说明 }}")
    doc.add_paragraph("审查组长：              日期：              受评价企业确认：")
    return save(doc)


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    for target, make in ((TARGET, build), (NONCONFORMITIES, build_nonconformities), (CERTIFICATE, build_certificate),
                         (PLAN, build_plan)):
        target.write_bytes(make())
        print(f"已生成 {target.relative_to(ROOT)}")
