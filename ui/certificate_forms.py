"""Certificate widgets: the issue form under an approving decision, one certificate's fields, history and
documents, and the suspend / restore / withdraw forms for whoever may manage certificates (asked of
accounts.access.permits, as the services check). Keys carry the decision's or certificate's id."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from accounts.policy import Action
from audits.companies import get_company
from config import settings
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_changes import restore_certificate, suspend_certificate, withdraw_certificate
from cycle.certificate_reads import decision_certificate, describe_event
from cycle.certificates import ON_CURRENT, issue_certificate
from exports.pdf import docx_to_pdf, pdf_available
from issuance.services import certificate_document
from records.models import CertificationDecision, Engagement
from timefmt import local_today
from ui.chinese import table
from ui.current import actor, may
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store, tree_registry
from vocabulary import CERTIFICATE_STATE_LABELS, CertificateMove, CertificateState, Limit

CERTIFICATES_PAGE = "ui/views/certificates.py"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issue_section(page: PageState, engagement: Engagement, decision: CertificationDecision) -> None:
    """Under a decision of 批准: the certificate it issued, or the form to issue it for whoever may."""
    with shown_errors(), db_session() as s:
        may_view, may_issue = may(s, Action.VIEW_CERTIFICATES, company_id=engagement.company_id), \
            may(s, Action.MANAGE_CERTIFICATES, engagement=engagement)
        issued = decision_certificate(s, decision.id, by=actor()) if may_view else None
        scope = get_company(s, engagement.company_id, by=actor()).scope if may_issue and issued is None else ""
    if issued is not None:
        st.markdown(f"证书：**{issued.number}**（{CERTIFICATE_STATE_LABELS[CertificateState(issued.state)]}，"
                    f"{STAR_LABELS[Star(issued.star)]}，有效期至 {issued.expires_on:%Y-%m-%d}）")
        st.page_link(CERTIFICATES_PAGE, label="查看证书", icon=":material/workspace_premium:",
                     query_params={"certificate": str(issued.id)})
    elif may_issue:
        _issue_form(page, engagement, decision, scope)


def _issue_form(page: PageState, engagement: Engagement, decision: CertificationDecision, scope: str) -> None:
    on_current = engagement.kind in ON_CURRENT
    with st.form(f"cert-issue-form-{decision.id}", enter_to_submit=False):
        if on_current:
            st.markdown("**记录到证书**：监督评价结果（及星级变化）记入本认证周期的现行证书，不另发新证书")
            services = products = ""
        else:
            st.markdown("**颁发证书**（有效期按认证方案计算，须通过年度监督评价保持有效）")
            services = st.text_area("认证的服务", value=scope, max_chars=Limit.REASON, key="cert-services", height=68,
                                    help="默认为企业登记的认证范围")
            products = st.text_input("产品类别", max_chars=Limit.REASON, key="cert-products")
        label = "记录到证书" if on_current else "颁发证书"
        if st.form_submit_button(label, key="cert-issue"):
            with shown_errors(), db_session() as s:
                made = issue_certificate(s, decision_id=decision.id, services=services, product_types=products,
                                         by=actor(), trees=tree_registry())
                flash(f"已{label}：{made.number}", "success")
                st.rerun()


def certificate_details(certificate) -> None:
    c = certificate
    sites = "；".join(f"{x.get('name', '')}（{x.get('kind', '')}）" for x in c.sites) or "—"
    table([{"项目": name, "内容": value} for name, value in [
        ("证书编号", c.number), ("状态", CERTIFICATE_STATE_LABELS[CertificateState(c.state)]
                             + (f"（自 {c.state_since:%Y-%m-%d}：{c.state_reason}）" if c.state_reason else "")),
        ("获证企业", c.company_name), ("统一社会信用代码", c.credit_code), ("地址", c.address),
        ("认证的服务", c.services), ("产品类别", c.product_types), ("依据标准", c.standard), ("认证方案", c.scheme),
        ("星级", STAR_LABELS[Star(c.star)]), ("覆盖场所", sites), ("发证日期", f"{c.issued_on:%Y-%m-%d}"),
        ("有效期至", f"{c.expires_on:%Y-%m-%d}"), ("验证码", c.check_code)]], empty="")


def history_table(events) -> None:
    table([describe_event(e) for e in events], empty="尚无证书记录。")


def downloads(page: PageState, certificate) -> None:
    """Build the document on request; offer Word, and PDF where LibreOffice is installed."""
    key = f"cert-doc-{certificate.id}-{certificate.version}"
    build, word, pdf = st.columns(3, vertical_alignment="bottom")
    if build.button("生成证书文档", key=f"cert-build-{certificate.id}", icon=":material/description:"):
        with shown_errors(), st.spinner("正在生成证书…"), db_session() as s:
            data = certificate_document(s, evidence_store(), certificate_id=certificate.id, by=actor(),
                                        timeout=settings().template_timeout_seconds)[1]
            page.kept[key] = (data, docx_to_pdf(data) if pdf_available() else None)
    if key in page.kept:
        data, as_pdf = page.kept[key]
        word.download_button("下载 Word", data, file_name=f"证书-{certificate.number}.docx", mime=DOCX,
                             key=f"cert-docx-{certificate.id}", icon=":material/download:")
        if as_pdf is not None:
            pdf.download_button("下载 PDF", as_pdf, file_name=f"证书-{certificate.number}.pdf", mime="application/pdf",
                                key=f"cert-pdf-{certificate.id}", icon=":material/download:")


def state_actions(page: PageState, certificate) -> None:
    """Suspend (valid), restore (suspended), withdraw (valid or suspended), each with its reason."""
    state, cid = CertificateState(certificate.state), certificate.id
    if state == CertificateState.VALID:
        with st.form(f"cert-suspend-form-{cid}", enter_to_submit=False):
            st.markdown("**暂停证书**")
            reason = st.text_area("暂停理由 *", max_chars=Limit.REASON, key=f"cert-suspend-reason-{cid}", height=68)
            today = local_today()
            until = st.date_input("暂停至", value=None, min_value=today + timedelta(days=1), format="YYYY-MM-DD",
                                  key=f"cert-suspend-until-{cid}", help="不填则为认证方案允许的最长期限")
            if st.form_submit_button("暂停证书", key=f"cert-suspend-{cid}"):
                _act(page, suspend_certificate, f"cert-suspend-reason-{cid}", "证书已暂停",
                     certificate_id=cid, reason=reason, until=until, trees=tree_registry())
    if state == CertificateState.SUSPENDED:
        _reason_form(page, cid, "restore", "恢复证书", "恢复理由 *", restore_certificate, "证书已恢复")
    if state in (CertificateState.VALID, CertificateState.SUSPENDED):
        _reason_form(page, cid, "withdraw", "撤销证书", "撤销理由 *", withdraw_certificate,
                     "证书已撤销（撤销后不能恢复）")


def _reason_form(page: PageState, cid: int, name: str, title: str, field: str, use_case, done: str) -> None:
    with st.form(f"cert-{name}-form-{cid}", enter_to_submit=False):
        st.markdown(f"**{title}**")
        reason = st.text_area(field, max_chars=Limit.REASON, key=f"cert-{name}-reason-{cid}", height=68)
        if st.form_submit_button(title, key=f"cert-{name}-{cid}"):
            _act(page, use_case, f"cert-{name}-reason-{cid}", done, certificate_id=cid, reason=reason,
                 trees=tree_registry())


def _act(page: PageState, use_case, reason_key: str, done: str, **arguments) -> None:
    with shown_errors(), db_session() as s:
        use_case(s, by=actor(), **arguments)
        page.show_next({reason_key: ""})
        flash(done, "success")
        st.rerun()



def suspended_until(events) -> str:
    """What the last suspension set as its end, for a suspended certificate's caption."""
    last = next((e for e in reversed(events) if e.event == CertificateMove.SUSPEND), None)
    return f"暂停至 {last.after['until']}，逾期未恢复应撤销证书。" if last and last.after.get("until") else ""
