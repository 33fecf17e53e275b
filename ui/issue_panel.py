"""The issued record on the dashboard, for whoever may manage the engagement: issue the chosen document (its
exact Word file and PDF kept, with their hashes) and download its archive with the manifest to check it by."""
from __future__ import annotations

import streamlit as st

from config import settings
from criteria.model import Tree
from issuance.services import issue_certificate_document, issue_document
from ui.built_download import offer_built
from ui.current import actor
from ui.feedback import shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store
from web.files import build_archive


def issue_row(page: PageState, engagement_id: int, tree: Tree, number: int, name: str, label: str) -> None:
    note, issue, download = st.columns([2, 1, 1], vertical_alignment="center")
    note.caption("签发：保存所选文档的 Word 原件和 PDF 及其 SHA-256，记录所用模板版本；项目归档含全部签发文档、证据文件和"
                 "清单，可据清单核对每个文件是否被改动。")
    if issue.button(f"签发{label}", key=f"issue-{engagement_id}", icon=":material/verified:"):
        with shown_errors(), st.spinner(f"正在生成并签发{label}…"), db_session() as s:
            issued = issue_document(s, evidence_store(), engagement_id=engagement_id, name=name, tree=tree,
                                    by=actor(), zone=settings().timezone, body_name=settings().body_name,
                                    soffice=settings().soffice_path, timeout=settings().template_timeout_seconds)
            made = f"模板第 {issued.template_version} 版" if issued.template_version else "内置版式"
            st.success(f"已签发{label}（{made}），Word SHA-256：{issued.docx_sha256}"
                       + (f"；PDF SHA-256：{issued.pdf_sha256}" if issued.pdf_sha256 else "；未安装 LibreOffice，未生成 PDF"))
    held = f"archive-{engagement_id}"
    if download.button("生成项目归档（ZIP）", key=f"build-{held}", icon=":material/inventory_2:"):
        with shown_errors(), st.spinner("正在打包签发文档和证据文件…"), db_session() as s:
            page.kept[held] = build_archive(s, evidence_store(), engagement_id, tree, by=actor())
    if held in page.kept:  # a file under the data folder, streamed by the server's route (web/files.py)
        offer_built(download, "下载项目归档", "archives", engagement_id, page.kept[held], f"项目归档-{number}.zip",
                    f"download-{held}")


def issue_certificate_button(certificate) -> None:
    """For whoever may manage certificates: keep the certificate as issued (Word and PDF with their hashes)."""
    if st.button("签发证书（存档 Word 和 PDF）", key=f"cert-issue-{certificate.id}", icon=":material/verified:"):
        with shown_errors(), st.spinner("正在生成并存档证书…"), db_session() as s:
            issued = issue_certificate_document(s, evidence_store(), certificate_id=certificate.id, by=actor(),
                                                soffice=settings().soffice_path,
                                                timeout=settings().template_timeout_seconds)
            st.success(f"已存档证书 {certificate.number}，Word SHA-256：{issued.docx_sha256}"
                       + (f"；PDF SHA-256：{issued.pdf_sha256}" if issued.pdf_sha256 else ""))
