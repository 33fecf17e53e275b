"""证书: the certificates the user may see, filtered by state; one certificate's fields, history and documents,
and suspend / restore / withdraw for whoever may manage certificates. Opening the page expires what is due."""
import streamlit as st

from accounts.policy import Action
from criteria.scheme import STAR_LABELS, Star
from cycle.certificate_changes import expire_due_certificates
from cycle.certificate_reads import certificate_history, visible_certificates
from timefmt import local_today
from ui.certificate_forms import certificate_details, downloads, history_table, state_actions, suspended_until
from ui.chinese import CHOOSE, table
from ui.current import actor, may
from ui.feedback import show_flashes, shown_errors
from ui.issue_panel import issue_certificate_button
from ui.page_state import page_state
from ui.state import db_session
from vocabulary import CERTIFICATE_STATE_LABELS, CertificateState

page = page_state("certificates")
st.title("证书")
show_flashes()
state = st.selectbox("证书状态", [None, *CertificateState], key="cert-state-filter",
                     format_func=lambda v: "全部" if v is None else CERTIFICATE_STATE_LABELS[v])
with shown_errors(stop=True), db_session() as s:
    expire_due_certificates(s, local_today(), actor())
    certificates = {c.id: c for c in visible_certificates(s, by=actor(), state=state)}
table([{"证书编号": c.number, "获证企业": c.company_name, "星级": STAR_LABELS[Star(c.star)], "状态": CERTIFICATE_STATE_LABELS[c.state],
        "发证日期": f"{c.issued_on:%Y-%m-%d}", "有效期至": f"{c.expires_on:%Y-%m-%d}"} for c in certificates.values()],
      empty="没有可查看的证书。")
wanted = st.query_params.get("certificate", "")
ids = list(certificates)
chosen = st.selectbox("查看证书", ids, key="cert-choose", placeholder=CHOOSE,
                      index=ids.index(int(wanted)) if wanted.isdigit() and int(wanted) in certificates else None,
                      format_func=lambda i: f"{certificates[i].number}　{certificates[i].company_name}")
if chosen is None:
    st.stop()
st.query_params["certificate"] = str(chosen)
certificate = certificates[chosen]
with shown_errors(stop=True), db_session() as s:
    events = certificate_history(s, chosen, by=actor())
    manage = may(s, Action.MANAGE_CERTIFICATES, company_id=certificate.company_id)
if certificate.state == CertificateState.SUSPENDED:
    st.warning(suspended_until(events) or "证书已暂停。")
details, history = st.tabs(["证书内容", "证书记录"])
with details:
    certificate_details(certificate)
    downloads(page, certificate)
    if manage:
        issue_certificate_button(certificate)
        state_actions(page, certificate)
with history:
    history_table(events)
