"""The public certificate verification page (证书查询), served beside the app and needing no login.

GET /verify asks for the certificate number and check code; with both, it answers what cycle.certificate_reads.
verify allows the public to see: number, company name, star, state as of today, issue and expiry dates, and the
day since for a suspended or withdrawn certificate. An unknown number and a wrong code get the same neutral
answer, with status 200. Everything shown is HTML-escaped.
"""
from __future__ import annotations

from html import escape

from cycle.certificate_reads import PublicCertificate, verify
from vocabulary import CertificateState

NOT_FOUND = "未查询到与该证书编号和验证码相符的证书。请核对证书上的编号和验证码，或联系认证机构。"
STATE_COLOURS = {CertificateState.VALID: "#1a7f37", CertificateState.SUSPENDED: "#9a6700",
                 CertificateState.WITHDRAWN: "#cf222e", CertificateState.EXPIRED: "#57606a"}
STYLE = ("body{font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;max-width:40rem;"
         "margin:2rem auto;padding:0 1rem;color:#1f2328}h1{font-size:1.4rem}label{display:block;margin:.6rem 0 .2rem}"
         "input{width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}button{margin-top:.8rem;"
         "padding:.4rem 1.2rem;font-size:1rem}table{border-collapse:collapse;width:100%;margin:1rem 0}"
         "th,td{border:1px solid #d0d7de;padding:.5rem;text-align:left}th{background:#f6f8fa;width:9rem}"
         ".state{font-weight:bold}.notice{padding:.8rem;background:#fff8c5;border:1px solid #d4a72c}")


def page(body: str) -> str:
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"robots\" content=\"noindex\"><title>证书查询</title><style>{STYLE}</style></head>"
            f"<body><h1>商品售后服务评价认证证书查询</h1>{body}</body></html>")


def form(number: str = "", code: str = "") -> str:
    return ("<form method=\"get\" action=\"/verify\">"
            f"<label for=\"no\">证书编号</label><input id=\"no\" name=\"no\" value=\"{escape(number)}\" maxlength=\"60\" required>"
            f"<label for=\"code\">验证码</label><input id=\"code\" name=\"code\" value=\"{escape(code)}\" maxlength=\"40\" "
            "autocomplete=\"off\" required><button type=\"submit\">查询</button></form>")


def result(found: PublicCertificate) -> str:
    rows = [("证书编号", found.number), ("获证企业", found.company_name), ("星级", found.star_label),
            ("发证日期", f"{found.issued_on:%Y-%m-%d}"), ("有效期至", f"{found.expires_on:%Y-%m-%d}")]
    state = (f"<tr><th>证书状态</th><td class=\"state\" id=\"state\" style=\"color:{STATE_COLOURS[found.state]}\">"
             f"{escape(found.state_label)}"
             + (f"（自 {found.since:%Y-%m-%d} 起）" if found.since else "") + "</td></tr>")
    cells = "".join(f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>" for name, value in rows)
    return f"<table>{cells}{state}</table>"


def answer(session, number: str, code: str) -> str:
    """The page for these query values: the form alone, or the result (or the neutral notice) above it."""
    number, code = number.strip(), code.strip()
    if not number or not code:
        return page("<p>请输入证书上的证书编号和验证码（扫描证书上的二维码可直接查询）。</p>" + form(number, code))
    found = verify(session, number, code)
    shown = result(found) if found else f"<p class=\"notice\" id=\"not-found\">{escape(NOT_FOUND)}</p>"
    return page(shown + "<h2 style=\"font-size:1.1rem\">查询其他证书</h2>" + form())

