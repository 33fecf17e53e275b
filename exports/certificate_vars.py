"""The variables a certification body's certificate template may use: every field of domain brief A7, from the
certificate's plain data (cycle.certificate_reads.certificate_context). Pure, like exports/template_vars.py;
docs/template-variables.md publishes the same list under its own heading, and a test keeps the two in step.
"""
from __future__ import annotations

from datetime import date

from exports.certificate import ANNEX_AFTER, SUBTITLE, covered_sites
from exports.docx_kit import CONTENTS_MARK
from exports.template_vars import cleaned

QR_CODE = "二维码"  # the one image: the QR code of the verification link, drawn when the template names it

CERTIFICATE_VARIABLES: dict[str, str] = {
    "认证机构": "认证机构名称（设置 AUDIT_BODY_NAME）",
    "文档标题": f"证书的标题（{SUBTITLE}）",
    "证书编号": "证书编号",
    "企业名称": "获证企业名称",
    "统一社会信用代码": "获证企业统一社会信用代码",
    "企业地址": "获证企业地址",
    "认证的服务": "认证的服务",
    "产品类别": "认证覆盖的产品类别",
    "依据标准": "依据标准（GB/T 27922-2011）",
    "认证方案": "认证方案",
    "星级": "星级（如 五星级）",
    "覆盖场所": "列表，证书覆盖的场所每项：序号、名称、类型、地址",
    "场所摘要": f"覆盖场所的一句话说明；超过 {ANNEX_AFTER} 个场所时为“见附件”",
    "场所见附件": f"覆盖场所是否超过 {ANNEX_AFTER} 个、列入附件：真或假，供 {{% if 场所见附件 %}} 使用",
    "发证日期": "发证日期",
    "有效期至": "有效期截止日期",
    "证书状态": "证书当前状态（有效、暂停……）",
    "有效性声明": "证书须通过年度监督保持有效的声明",
    "查询地址": "证书查询页面地址",
    "验证码": "证书验证码",
    "查询链接": "带证书编号和验证码的查询链接（二维码指向它）",
    QR_CODE: "指向查询链接的二维码（图片）",
    "目录": "单独成段时，在此处生成已填好页码的目录",
    "生成日期": "文档生成日期",
}


def build_certificate_variables(ctx: dict, *, today: date | None = None) -> dict:
    """Every variable but the QR code (the renderer draws it when the template asks for it)."""
    sites = ctx.get("sites") or []
    return cleaned({
        "认证机构": ctx.get("body_name") or "", "文档标题": SUBTITLE, "证书编号": ctx["number"],
        "企业名称": ctx["company_name"], "统一社会信用代码": ctx["credit_code"], "企业地址": ctx["address"] or "",
        "认证的服务": ctx["services"] or "", "产品类别": ctx["product_types"] or "", "依据标准": ctx["standard"],
        "认证方案": ctx["scheme"], "星级": ctx["star_label"],
        "覆盖场所": [{"序号": i, "名称": s.get("name", ""), "类型": s.get("kind", ""), "地址": s.get("address", "")}
                 for i, s in enumerate(sites, 1)],
        "场所摘要": covered_sites(sites), "场所见附件": len(sites) > ANNEX_AFTER,
        "发证日期": ctx["issued_on"], "有效期至": ctx["expires_on"], "证书状态": ctx.get("state_label", ""),
        "有效性声明": ctx["statement"], "查询地址": ctx["verify_address"], "验证码": ctx["check_code"],
        "查询链接": ctx["verification_url"], "目录": CONTENTS_MARK,
        "生成日期": (today or date.today()).isoformat(),
    })


def sample_certificate_variables() -> dict:
    """Plausible values for every variable: a certificate template is tried with them before it is accepted."""
    values = {name: "示例" for name in CERTIFICATE_VARIABLES if name != QR_CODE}
    values["覆盖场所"] = [{"序号": 1, "名称": "示例", "类型": "总部", "地址": "示例"}]
    values["场所见附件"] = False
    values["查询链接"] = "https://example.org/verify"
    values["目录"] = CONTENTS_MARK
    return values
