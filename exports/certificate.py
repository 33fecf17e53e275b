"""The certificate (商品售后服务评价认证证书) as a Word document, from plain data (cycle.certificate_reads.
certificate_context): every field of domain brief A7, the statement that validity depends on annual surveillance,
the verification address and a QR code pointing to it. Sites go to an annex when there are more than
ANNEX_AFTER of them."""
from __future__ import annotations

import io

import segno
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from exports.docx_kit import clean, save, setup_styles, table

ANNEX_AFTER = 5
TITLE, SUBTITLE = "证书", "商品售后服务评价认证证书"


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG (medium error correction survives a printed, stamped copy)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def render_certificate(ctx: dict) -> bytes:
    doc = Document()
    setup_styles(doc)
    if ctx.get("body_name"):
        _centred(doc, ctx["body_name"], 14, bold=True)
    _centred(doc, TITLE, 28, bold=True)
    _centred(doc, SUBTITLE, 18, bold=True)
    _centred(doc, f"证书编号：{ctx['number']}", 12)
    doc.add_paragraph(f"兹证明 {clean(ctx['company_name'])} 的商品售后服务符合 {clean(ctx['standard'])} 的要求，"
                      f"经评价，达到{clean(ctx['star_label'])}。")
    sites = ctx.get("sites") or []
    in_annex, covered = len(sites) > ANNEX_AFTER, covered_sites(sites)
    table(doc, ["项目", "内容"], [
        ["获证企业", ctx["company_name"]], ["统一社会信用代码", ctx["credit_code"]], ["企业地址", ctx["address"] or "—"],
        ["认证的服务", ctx["services"] or "—"], ["产品类别", ctx["product_types"] or "—"],
        ["依据标准", ctx["standard"]], ["认证方案", ctx["scheme"]], ["星级", ctx["star_label"]],
        ["覆盖场所", covered], ["发证日期", ctx["issued_on"]], ["有效期至", ctx["expires_on"]]], widths=[4, 12])
    doc.add_paragraph(ctx["statement"])
    _verification(doc, ctx)
    signature = doc.add_paragraph(f"{clean(ctx.get('body_name') or '认证机构')}（盖章）\n发证日期：{ctx['issued_on']}")
    signature.alignment = 2
    if in_annex:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading("附件：证书覆盖场所", level=2)
        doc.add_paragraph(f"证书编号：{clean(ctx['number'])}    获证企业：{clean(ctx['company_name'])}")
        table(doc, ["序号", "场所名称", "类型", "地址"],
              [[str(i), s.get("name", ""), s.get("kind", ""), s.get("address", "")] for i, s in enumerate(sites, 1)],
              widths=[1.5, 5.5, 2.5, 6.5])
    return save(doc)


def covered_sites(sites: list[dict]) -> str:
    """The sites the certificate covers in one line, or a pointer to the annex when there are many."""
    if len(sites) > ANNEX_AFTER:
        return f"共 {len(sites)} 个场所，见附件《证书覆盖场所》"
    return "；".join(_site(s) for s in sites) or "—"


def _site(site: dict) -> str:
    return f"{site.get('name', '')}（{site.get('kind', '')}）" + (f"：{site['address']}" if site.get("address") else "")


def _centred(doc, text: str, size: int, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = 1
    run = paragraph.add_run(clean(text))
    run.bold, run.font.size = bold, Pt(size)


def _verification(doc, ctx: dict) -> None:
    doc.add_paragraph(f"证书查询：请访问 {clean(ctx['verify_address'])}，输入证书编号 {clean(ctx['number'])} 和验证码 "
                      f"{clean(ctx['check_code'])}，或扫描下方二维码查询本证书的当前状态。")
    picture = doc.add_paragraph()
    picture.alignment = 1
    picture.add_run().add_picture(io.BytesIO(qr_png(ctx["verification_url"])), width=Cm(3.5))
