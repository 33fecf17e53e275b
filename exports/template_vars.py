"""The variables a certification body's template may use: one documented dictionary with Chinese names, built
from a report context. Pure: plain values only (text, numbers, lists, dicts), so they cross a process boundary as
JSON. docs/template-variables.md publishes the same list; a test keeps the two in step.
"""
from __future__ import annotations

from datetime import date

from criteria.model import points_text
from exports.context import ReportContext
from exports.docx_kit import CONTENTS_MARK, clean
from exports.report_extras import CONFIDENTIALITY, DISTRIBUTION, score_comparison
from exports.sample_annex import SAMPLE_COLUMNS, TARGET_COLUMNS
from exports.word_forms import VERIFIED, acknowledgement_text
from vocabulary import ClauseStatus

CHARTS = {"一级指标得分图": "一级指标得分", "二级指标得分图": "二级指标得分"}  # variable -> chart title

# name -> what it holds (the documentation's table is this dictionary)
VARIABLES: dict[str, str] = {
    "认证机构": "认证机构名称（设置 AUDIT_BODY_NAME）",
    "文档标题": "文档的标题（预评价为差距分析的标题）",
    "报告编号": "报告编号",
    "企业名称": "受评价企业名称",
    "统一社会信用代码": "企业统一社会信用代码",
    "企业地址": "企业地址",
    "评价类型": "评价类型（预评价、初次认证、监督、再认证……）",
    "评价日期": "评价起止日期",
    "指标体系": "指标体系名称和编号",
    "得分": "总得分（两位小数）",
    "星级": "星级；预评价为预计星级",
    "结论": "规则允许的结论；预评价为总体准备度",
    "预评价": "是否为预评价（差距分析）：真或假，供 {% if 预评价 %} 使用",
    "审查组长": "审查组长姓名",
    "评价组": "列表，每项：姓名、角色",
    "场所": "列表，每项：名称、类型、地址",
    "得分表": "列表，每行：层级、代码、名称、分值、涉及项分值、实际得分、结果、是否小计",
    "指标分组": "列表，每个一级指标一项：指标、实际得分、涉及项分值、条款（列表，每行：代码、名称、分值、实际得分、结果）；"
                "在条款循环中用 {% vm %}{{ 组.指标 }} 纵向合并一级指标单元格",
    "删减条款": "列表，每项：条款、名称、理由",
    "审核发现": "列表，每项：条款、名称、结果、发现",
    "特别扣分项": "列表，每项：类别、条款、理由",
    "特别加分项": "列表，每项：条款、理由",
    "不符合项": "列表，每项：编号、条款、严重程度、状态、整改期限、不符合事实、要求、要求来源、场所、观察到的证据、开具人、开具日期、"
            "企业代表确认（签字人、日期、说明、录入人合并的文字）、确认人、确认日期、确认说明、计划完成日期、原因分析、纠正、"
            "纠正措施、整改证据（列表，每项：文件、SHA256）、验证方式、验证记录、验证结论、验证人、验证日期",
    "样本": "列表，抽样条款每项：条款、名称、抽样数、不符合数",
    "样本清单": "列表，样本登记的每个样本：" + "、".join(SAMPLE_COLUMNS),
    "服务目标": "列表，企业的服务目标与承诺每项：" + "、".join(TARGET_COLUMNS),
    "证据": "列表，每项：文件、关联条款、上传人、SHA256",
    "准备度": "列表（预评价），每项：指标、准备度",
    "下一星级": "下一星级目标",
    "优先整改": "列表，每项：条款、名称、现状、可提高分数",
    "一级指标得分图": "一级指标得分柱状图（图片）",
    "二级指标得分图": "二级指标得分柱状图（图片）",
    "认证目的": "评价计划载明的评价目的",
    "评价准则": "评价计划载明的评价准则",
    "评价范围": "评价计划载明的评价范围",
    "现场访问": "列表，实际访问的场所每项：场所、日期、评价人员",
    "推荐意见": "评价组推荐意见（含星级）；未记录时为空",
    "推荐条件": "推荐意见所附条件",
    "认证决定": "认证决定（批准/不批准及星级、日期、决定人员、理由）；尚未决定时为空",
    "适用规则": "列表，适用的认证方案规则（文字）",
    "遗留不符合项": "列表（监督、再认证），每项：编号、来自、条款、严重程度、不符合事实、状态、验证",
    "企业变更": "列表，上次评价以来企业报告的变更，每项：日期、变更类型、内容、处理、处理说明",
    "得分对比": "列表，一、二级指标每项：代码、指标、上次得分率、本次得分率",
    "尚缺文件": "列表（预评价），尚无文件覆盖的证据清单项，每项：条款、名称、文件",
    "保密声明": "保密声明（文字）",
    "分发清单": "列表，报告分发对象（文字）",
    "目录": "单独成段时，在此处生成已填好页码的目录",
    "生成日期": "文档生成日期",
}


def build_template_variables(ctx: ReportContext, *, body_name: str = "", title: str = "",
                             today: date | None = None) -> dict:
    """Every variable of VARIABLES except the charts (the renderer draws those when a template asks for them).
    Texts pass through `clean`, which drops what XML cannot hold and keeps everything else as it was."""
    lead = next((name for name, role in ctx.team if role == "审查组长"), "")
    variables = {
        "认证机构": body_name, "文档标题": title or ctx.wording.titles["report"], "报告编号": ctx.report_number,
        "企业名称": ctx.company.get("name", ""), "统一社会信用代码": ctx.company.get("credit_code", ""),
        "企业地址": ctx.company.get("address", ""), "评价类型": ctx.kind, "评价日期": ctx.period,
        "指标体系": ctx.tree_title, "得分": ctx.score, "星级": ctx.star, "结论": ctx.decision,
        "预评价": ctx.wording.gap, "审查组长": lead,
        "评价组": [{"姓名": n, "角色": role} for n, role in ctx.team],
        "场所": [{"名称": n, "类型": k, "地址": a} for n, k, a in ctx.sites],
        "得分表": [{"层级": row.level, "代码": row.code, "名称": row.name, "分值": points_text(row.points),
                  "涉及项分值": points_text(row.applicable), "实际得分": f"{row.earned:.2f}", "结果": row.result,
                  "是否小计": row.level < 3} for row in ctx.rows],
        "指标分组": _groups(ctx),
        "删减条款": [{"条款": c, "名称": n, "理由": why} for c, n, why in ctx.exclusions],
        "审核发现": [{"条款": c, "名称": n, "结果": res, "发现": f} for c, n, res, f in ctx.findings],
        "特别扣分项": [{"类别": k, "条款": c, "理由": why} for k, c, why in ctx.deductions],
        "特别加分项": [{"条款": c, "理由": why} for c, why in ctx.bonus],
        "不符合项": [_nonconformity(n) for n in ctx.nonconformities],
        "样本": [{"条款": code, "名称": ctx_name, "抽样数": c.sampled, "不符合数": c.nonconforming}
               for code, ctx_name, c in _sampled(ctx)],
        "样本清单": [dict(zip(SAMPLE_COLUMNS, row, strict=True)) for row in ctx.samples],
        "服务目标": [dict(zip(TARGET_COLUMNS, row, strict=True)) for row in ctx.targets],
        "证据": [{"文件": n, "关联条款": codes, "上传人": who, "SHA256": sha} for n, codes, who, sha in ctx.evidence],
        "准备度": [{"指标": f"{x.code} {x.name}", "准备度": x.text} for x in ctx.readiness],
        "下一星级": ctx.next_star,
        "优先整改": [{"条款": c, "名称": n, "现状": now, "可提高分数": gain} for c, n, now, gain in ctx.fix_first],
        **_extras(ctx),
        "目录": CONTENTS_MARK,
        "生成日期": (today or date.today()).isoformat(),
    }
    return cleaned(variables)


def _extras(ctx: ReportContext) -> dict:
    extras, plan = ctx.extras, ctx.extras.get("plan") or {}
    recommendation = extras.get("recommendation") or {}
    return {
        "认证目的": plan.get("objectives", ""), "评价准则": plan.get("criteria", ""),
        "评价范围": plan.get("scope", ""),
        "现场访问": [{"场所": v["site"], "日期": v["day"], "评价人员": v["by"]} for v in extras.get("visits", [])],
        "推荐意见": "" if ctx.wording.gap else recommendation.get("text", ""),
        "推荐条件": "" if ctx.wording.gap else recommendation.get("conditions", ""),
        "认证决定": "" if ctx.wording.gap or not extras.get("decision") else
        "{text}（{day}，{by}）：{reasons}".format(**extras["decision"]),
        "适用规则": list(extras.get("rules", [])),
        "遗留不符合项": [{"编号": c["number"], "来自": c["from"], "条款": c["code"], "严重程度": c["severity"],
                     "不符合事实": c["finding"], "状态": c["status"], "验证": c["verification"]}
                    for c in extras.get("carried", [])],
        "企业变更": [{"日期": c["day"], "变更类型": c["kind"], "内容": c["description"], "处理": c["response"],
                  "处理说明": c.get("note") or ""}
                 for c in extras.get("changes", [])],
        "得分对比": [dict(zip(("代码", "指标", "上次得分率", "本次得分率"), row, strict=True))
                 for row in score_comparison(ctx)],
        "尚缺文件": [{"条款": m["code"], "名称": m["name"], "文件": m["item"]} for m in extras.get("missing", [])],
        "保密声明": "" if ctx.wording.gap else CONFIDENTIALITY, "分发清单": [] if ctx.wording.gap else list(DISTRIBUTION),
    }


def _nonconformity(n: dict) -> dict:
    """Every field of the A5 nonconformity report (exports/word_forms.py prints the same)."""
    answer, check, ack = n.get("answer") or {}, n["verification"], n.get("acknowledgement") or {}
    return {"编号": n["number"], "条款": n["code"], "严重程度": n["severity"], "状态": n["status"],
            "整改期限": n["due_date"], "不符合事实": n["finding"], "要求": n["requirement"],
            "要求来源": n.get("source", ""), "场所": n.get("site", ""), "观察到的证据": n.get("evidence_seen", ""),
            "开具人": n.get("raised_by", ""), "开具日期": n.get("raised_day", ""),
            "企业代表确认": acknowledgement_text(n), "确认人": ack.get("by", ""), "确认日期": ack.get("day", ""),
            "确认说明": ack.get("note", ""), "计划完成日期": n.get("planned_completion", ""),
            "原因分析": answer.get("cause", ""), "纠正": answer.get("correction", ""),
            "纠正措施": answer.get("corrective_action", ""),
            "整改证据": [{"文件": name, "SHA256": sha} for name, sha in n.get("rectification_evidence", [])],
            "验证方式": check["method"], "验证记录": check["comment"],
            "验证结论": VERIFIED if check["by"] else "", "验证人": check["by"], "验证日期": check["day"]}


def _groups(ctx: ReportContext) -> list[dict]:
    """The clauses under their first-level indicator, so a template can merge the indicator's cell."""
    groups: list[dict] = []
    for row in ctx.rows:
        if row.level == 1:
            groups.append({"指标": f"{row.code} {row.name}", "实际得分": f"{row.earned:.2f}",
                           "涉及项分值": points_text(row.applicable), "条款": []})
        elif row.result and groups:
            groups[-1]["条款"].append({"代码": row.code, "名称": row.name, "分值": points_text(row.points),
                                     "实际得分": f"{row.earned:.2f}", "结果": row.result})
    return groups


def _sampled(ctx: ReportContext):
    names = {row.code: row.name for row in ctx.rows}
    return [(code, names.get(code, ""), c) for code, c in ctx.result.clauses.items()
            if c.status == ClauseStatus.SAMPLED]


def cleaned(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}
    return value


def sample_variables() -> dict:
    """Plausible values for every variable, one row in every list: a template is tried with them before it is
    accepted."""
    row = {"层级": 3, "代码": "5.1.1.1", "名称": "示例", "分值": "2", "涉及项分值": "2", "实际得分": "2.00",
           "结果": "符合", "是否小计": False}
    one = {"姓名": "示例", "角色": "审查组长", "名称": "示例", "类型": "总部", "地址": "示例", "一级指标": "5.1 示例",
           "代码": "5.1", "分值": "2", "实际得分": "2.00", "结果": "符合", "条款": "5.1.1.1", "理由": "示例",
           "发现": "示例", "类别": "示例", "编号": "NC-01", "严重程度": "一般", "状态": "待整改", "整改期限": "2026-12-31",
           "不符合事实": "示例", "要求": "示例", "抽样数": 5, "不符合数": 1, "文件": "示例.pdf", "关联条款": "5.1",
           "上传人": "示例", "SHA256": "0" * 64, "指标": "5.1 示例", "准备度": "80%", "现状": "不符合",
           "可提高分数": "+1.00", "层级": 3, "涉及项分值": "2", "是否小计": False, "来自": "初次认证",
           "验证": "验证并关闭", "日期": "2026-01-01", "评价人员": "示例", "场所": "示例", "变更类型": "企业名称",
           "内容": "示例", "处理": "更新证书", "处理说明": "示例", "上次得分率": "90.0%", "本次得分率": "95.0%", "要求来源": "示例",
           "观察到的证据": "示例", "开具人": "示例", "开具日期": "2026-01-01", "企业代表确认": "示例 2026-01-02",
           "确认人": "示例", "确认日期": "2026-01-02", "确认说明": "示例", "计划完成日期": "2026-01-20",
           "原因分析": "示例", "纠正": "示例", "纠正措施": "示例", "整改证据": [{"文件": "示例.pdf", "SHA256": "0" * 64}],
           "验证方式": "文件验证", "验证记录": "示例", "验证结论": "整改有效，已关闭", "验证人": "示例", "验证日期": "2026-01-25",
           "样本编号": "WO-001", "时间": "示例", "适用时限": "24 小时", "结论": "符合", "备注": "示例", "目标": "示例",
           "实测": "示例", "依据": "示例"}
    values = {}
    for name, what in VARIABLES.items():
        values[name] = [dict(one, **row)] if what.startswith("列表") else "示例"
    values["预评价"] = False
    values["适用规则"] = values["分发清单"] = ["示例"]
    values["指标分组"] = [{"指标": "5.1 示例", "实际得分": "2.00", "涉及项分值": "2", "条款": [dict(one, **row)]}]
    values["目录"] = CONTENTS_MARK
    return values
