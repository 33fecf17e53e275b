"""Document skeletons for a company preparing its certification: Word outlines in our own words, filled with the
company's data where known and marked 【待填写】 where not (plain data in, .docx bytes out).

Each skeleton names the clauses it serves (`SKELETONS`), so a preparation task offers the ones for its clause.
The time limits and amounts printed are blanks or suggestions for the company to decide, never the standard's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt

from exports.docx_kit import page_number_footer, save, setup_styles, table

GAP = "【待填写】"


@dataclass(frozen=True)
class CompanyFacts:
    """What the product knows about the company; empty text is a gap. `sites`: (name, kind, address);
    `management_staff`: the service management headcount when the consultant entered it; `managers_required`: the
    售后服务管理师 count the 5.1.2.2 rule gives for it (computed by the caller)."""

    name: str = ""
    credit_code: str = ""
    address: str = ""
    contact: str = ""
    industry: str = ""
    scope: str = ""
    sites: list[tuple[str, str, str]] = field(default_factory=list)
    today: str = ""
    management_staff: int | None = None
    managers_required: int | None = None


@dataclass(frozen=True)
class Skeleton:
    key: str
    title: str
    serves: tuple[str, ...]
    file_stem: str


SKELETONS: dict[str, Skeleton] = {s.key: s for s in (
    Skeleton("manual", "售后服务手册（纲要）", ("5.1.4.1", "5.1.1.1", "5.1.7.a"), "售后服务手册纲要"),
    Skeleton("complaints", "投诉处理制度", ("5.3.2.a", "5.3.2.b", "5.3.2.c", "5.3.2.d"), "投诉处理制度"),
    Skeleton("commitments", "服务承诺", ("5.1.7.b", "5.2.4.a"), "服务承诺"),
    Skeleton("repair_fees", "维修收费标准", ("5.2.4.c", "5.2.1.b"), "维修收费标准"),
    Skeleton("survey", "顾客满意度调查表", ("5.3.1.c",), "满意度调查表"),
    Skeleton("roster", "售后服务人员花名册及售后服务管理师配置", ("5.1.2.1", "5.1.2.2"), "服务人员花名册"),
    Skeleton("laws", "适用法律法规及标准清单", ("5.1.4.2",), "法律法规清单"),
)}


def skeletons_for(code: str) -> list[Skeleton]:
    """The skeletons that serve a clause."""
    return [s for s in SKELETONS.values() if code in s.serves]


def _or_gap(text: str | None) -> str:
    return text.strip() if text and text.strip() else GAP


def render_skeleton(key: str, facts: CompanyFacts) -> bytes:
    skeleton = SKELETONS[key]
    doc = Document()
    setup_styles(doc)
    page_number_footer(doc)
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run(f"{_or_gap(facts.name)}\n{skeleton.title}")
    run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph(f"文件编号：{GAP}　版本：{GAP}　发布日期：{GAP}　编制日期：{_or_gap(facts.today)}")
    doc.add_paragraph("服务的评价条款（GB/T 27922）：" + "、".join(skeleton.serves))
    doc.add_paragraph(f"说明：本文件为框架稿，标有“{GAP}”之处请企业按实际情况填写，经批准后以受控文件发布。")
    BODIES[key](doc, facts)
    return save(doc)


def _company_table(doc, facts: CompanyFacts) -> None:
    table(doc, ["项目", "内容"], [["企业名称", _or_gap(facts.name)], ["统一社会信用代码", _or_gap(facts.credit_code)],
                                ["地址", _or_gap(facts.address)], ["联系人及电话", _or_gap(facts.contact)],
                                ["所属行业", _or_gap(facts.industry)], ["经营及服务范围", _or_gap(facts.scope)]],
          widths=[4, 12])


def _sites_table(doc, facts: CompanyFacts) -> None:
    rows = [[name, kind, _or_gap(address), GAP] for name, kind, address in facts.sites] or [[GAP, GAP, GAP, GAP]]
    table(doc, ["场所", "类型", "地址", "负责人及电话"], rows, widths=[4, 2.5, 6.5, 3])


def _sections(doc, sections: list[tuple[str, list[str]]]) -> None:
    for heading, lines in sections:
        doc.add_heading(heading, level=2)
        for line in lines:
            doc.add_paragraph(line)


def _manual(doc, facts: CompanyFacts) -> None:
    doc.add_heading("一、企业概况", level=2)
    _company_table(doc, facts)
    _sections(doc, [
        ("二、服务理念与服务目标", [f"服务理念：{GAP}", f"年度服务目标（如一次修复率、投诉解决率、满意度）：{GAP}"]),
        ("三、售后服务组织与职责", [f"售后服务部门及负责人：{GAP}", f"各岗位职责：{GAP}（附组织架构图）"]),
    ])
    doc.add_heading("四、服务网点", level=2)
    _sites_table(doc, facts)
    _sections(doc, [
        ("五、服务流程", ["1. 商品信息与售后服务信息的明示", "2. 配送与安装调试", "3. 维修与备件管理",
                     "4. 退换货与质量保证", "5. 投诉处理（见《投诉处理制度》）", "6. 回访与满意度调查",
                     f"各流程的责任岗位、时限与记录：{GAP}"]),
        ("六、资源与保障", [f"经费、培训、设施与信息系统：{GAP}"]),
        ("七、监督与改进", [f"监督检查的方式与频次、信息分析与改进：{GAP}"]),
        ("八、文件控制", [f"本手册的编制、审批、发放、修订与作废：{GAP}"]),
    ])


def _complaints(doc, facts: CompanyFacts) -> None:
    _sections(doc, [("一、目的与适用范围", [f"为及时、公正地处理顾客投诉，适用于{_or_gap(facts.name)}的全部商品与服务。"]),
                    ("二、投诉渠道", [f"服务热线：{GAP}；在线渠道：{GAP}；门店：{GAP}"])])
    doc.add_heading("三、处理步骤与时限（时限由企业确定并对外承诺）", level=2)
    table(doc, ["步骤", "内容", "时限", "责任岗位"], [
        ["受理登记", "记录顾客、商品、问题与诉求，给出受理编号", f"接到投诉后 {GAP} 小时内", GAP],
        ["答复顾客", "告知处理方案与预计完成时间", f"受理后 {GAP} 小时内", GAP],
        ["处理解决", "调查原因，采取措施，必要时上门", f"受理后 {GAP} 个工作日内", GAP],
        ["结案回访", "确认顾客满意并记录", f"结案后 {GAP} 个工作日内", GAP],
        ["升级处理", "超时未解决或重大投诉上报", f"超出时限或 {GAP} 情形时立即", GAP]], widths=[2.5, 6.5, 4, 3])
    _sections(doc, [("四、重大投诉与危机处理", [f"重大投诉的界定、升级路径与应急预案：{GAP}"]),
                    ("五、统计分析与改进", [f"每 {GAP} 对投诉进行统计分析，提出改进措施并验证效果。"]),
                    ("六、记录", ["投诉登记表、处理记录、回访记录、分析报告，保存期限 " + GAP + "。"])])


def _commitments(doc, facts: CompanyFacts) -> None:
    _sections(doc, [("我们的承诺", [
        f"{_or_gap(facts.name)}向顾客郑重承诺：",
        f"1. 服务热线 {GAP}，服务时间 {GAP}。",
        f"2. 接到报修后 {GAP} 小时内响应，城区 {GAP} 小时内上门，其他地区 {GAP} 小时内上门。",
        f"3. 严格执行国家三包规定，保修期：{GAP}。",
        "4. 维修收费按公示的《维修收费标准》执行，先报价后维修。",
        f"5. 投诉 {GAP} 小时内答复。",
        f"公开渠道：{GAP}（门店公示、官网、保修卡等）"])])


def _repair_fees(doc, facts: CompanyFacts) -> None:
    doc.add_paragraph(f"适用范围：{_or_gap(facts.scope)}。保修期内按三包规定免费维修；以下为保修期外的收费标准。")
    table(doc, ["收费项目", "收费标准（元）", "说明"], [
        ["上门服务费", GAP, f"{GAP}公里以内"], ["检测费", GAP, "维修的免收"], ["维修人工费", GAP, "按故障类别"],
        ["配件费", "按配件价目表", "易损件及配件价目表另附"], ["其他", GAP, GAP]], widths=[4, 4, 8])
    doc.add_paragraph(f"公示方式：{GAP}。收费须开具单据，顾客签字确认。")


def _survey(doc, facts: CompanyFacts) -> None:
    doc.add_paragraph(f"尊敬的顾客：感谢您选择{_or_gap(facts.name)}。请对我们的服务评价（5 分为非常满意，1 分为非常不满意）。")
    questions = ["商品信息与售后服务信息是否清楚", "配送是否准时、商品是否完好", "安装调试是否规范",
                 "维修响应与修复是否及时", "收费是否透明合理", "服务人员的态度与礼仪", "投诉处理是否及时满意",
                 "总体满意程度"]
    table(doc, ["序号", "评价内容", "5", "4", "3", "2", "1"], [[str(i), q, "□", "□", "□", "□", "□"]
                                                          for i, q in enumerate(questions, 1)],
          widths=[1.2, 8.8, 1.2, 1.2, 1.2, 1.2, 1.2])
    doc.add_paragraph("您的意见和建议：________________________________")
    doc.add_paragraph(f"调查方式与频次：{GAP}；样本量：{GAP}；结果分析与改进：{GAP}")


def _roster(doc, facts: CompanyFacts) -> None:
    doc.add_heading("一、售后服务管理师配置（5.1.2.2）", level=2)
    if facts.management_staff is None or facts.managers_required is None:
        doc.add_paragraph(f"服务管理人员总数：{GAP} 人。应配置售后服务管理师：服务管理人员总数的 10%，向上取整，"
                          f"且不少于 1 人，即 {GAP} 人。")
    else:
        doc.add_paragraph(f"服务管理人员总数：{facts.management_staff} 人。应配置售后服务管理师："
                          f"{facts.management_staff} × 10%，向上取整，且不少于 1 人，即 {facts.managers_required} 人。")
    doc.add_paragraph(f"现有持证售后服务管理师：{GAP} 人。")
    table(doc, ["姓名", "证件号码", "证书编号", "任命文件", "岗位职责"], [[GAP, GAP, GAP, GAP, GAP]],
          widths=[2.5, 4, 3.5, 3, 3])
    doc.add_heading("二、售后服务人员花名册（5.1.2.1）", level=2)
    places = [name for name, _, _ in facts.sites] or [GAP]
    table(doc, ["姓名", "岗位", "所在场所", "资质证书及编号", "有效期", "培训考核"],
          [[GAP, GAP, place, GAP, GAP, GAP] for place in places], widths=[2.2, 2.5, 3.3, 3.5, 2.2, 2.3])


LAWS = [
    ("《中华人民共和国消费者权益保护法》", "经营者义务、修理更换退货、信息明示"),
    ("《中华人民共和国产品质量法》", "产品质量责任、标识"),
    ("《中华人民共和国民法典》（合同编）", "买卖合同、服务合同"),
    ("《中华人民共和国价格法》", "收费明码标价"),
    ("《中华人民共和国个人信息保护法》", "顾客信息的收集、保存与使用"),
    ("《中华人民共和国电子商务法》", "网络销售的售后服务（适用时）"),
    ("《部分商品修理更换退货责任规定》", "三包责任（适用的商品）"),
    ("GB/T 27922—2011《商品售后服务评价体系》", "售后服务评价要求"),
]


def _laws(doc, facts: CompanyFacts) -> None:
    doc.add_paragraph(f"行业：{_or_gap(facts.industry)}。请核对现行有效版本，补充行业和产品适用的法规与标准，"
                      "并记录识别与宣贯情况。")
    rows = [[name, use, GAP, GAP] for name, use in LAWS] + [[f"行业及产品相关法规、标准：{GAP}", GAP, GAP, GAP]]
    table(doc, ["名称", "适用内容", "识别日期", "宣贯记录"], rows, widths=[6, 5, 2.5, 2.5])


BODIES: dict[str, Callable] = {"manual": _manual, "complaints": _complaints, "commitments": _commitments,
                               "repair_fees": _repair_fees, "survey": _survey, "roster": _roster, "laws": _laws}
