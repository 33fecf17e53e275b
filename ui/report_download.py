"""Build an engagement's documents on request, showing progress, and offer them for download."""
import streamlit as st

from config import settings
from criteria.model import Tree
from dossier.backup import backup_file
from exports.documents import DOCUMENTS, document_label
from issuance.services import build_document
from ui.built_download import offer_built
from ui.current import actor
from ui.feedback import shown_errors
from ui.issue_panel import issue_row
from ui.page_state import PageState
from ui.score_summary import engagement_kind
from ui.state import db_session, evidence_store
from web.files import built_folder

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_download(page: PageState, engagement_id: int, tree: Tree, number: int, *, backup: bool,
                    kind: str | None = None) -> None:
    """The documents for everyone who sees the engagement, named for its kind (a pre-audit's are a gap
    analysis's); the backup row only for whoever may manage it."""
    key = f"report-{engagement_id}"
    kind = kind or engagement_kind(engagement_id)

    def label(name: str) -> str:
        return document_label(name, kind)
    choice, build, download = st.columns([2, 1, 1], vertical_alignment="bottom")
    name = choice.selectbox("导出文档", list(DOCUMENTS), format_func=label, key=f"kind-{key}")
    if build.button(f"生成{label(name)}", key=f"build-{key}", icon=":material/description:"):
        with shown_errors(), st.status(f"正在生成{label(name)}…", expanded=False) as status:
            status.update(label="正在汇总项目数据、计算得分并排版…")
            with db_session() as s:
                page.kept[key] = (name, build_document(
                    s, evidence_store(), engagement_id=engagement_id, name=name, tree=tree, by=actor(),
                    zone=settings().timezone, body_name=settings().body_name,
                    timeout=settings().template_timeout_seconds))
            status.update(label=f"{label(name)}已生成", state="complete")
    if key in page.kept:
        built, data = page.kept[key]
        download.download_button(f"下载{label(built)}", data, file_name=f"{label(built)}-{number}.docx",
                                 mime=DOCX, key=f"download-{key}", icon=":material/download:")
    if backup:  # issuing, the archive and the backup are for whoever may manage the engagement
        issue_row(page, engagement_id, tree, number, name, label(name))
        _backup(page, engagement_id, tree, number, key)


def _backup(page: PageState, engagement_id: int, tree: Tree, number: int, key: str) -> None:
    """A row of its own under the documents, aligned with their buttons. The zip is written to a file on disk
    (evidence copied a chunk at a time) and downloaded through the server's streamed route; the page keeps only
    the file's path."""
    held = f"zip-{key}"
    note, build, download = st.columns([2, 1, 1], vertical_alignment="center")
    note.caption("项目备份：评价数据、历史与证据文件，可在另一安装中恢复。")
    if build.button("备份本项目（ZIP）", key=f"backup-{key}", icon=":material/archive:"):
        with shown_errors(), st.spinner("正在打包项目数据和证据文件…"), db_session() as s:
            page.kept[held] = backup_file(s, evidence_store(), engagement_id, tree, built_folder("backups"),
                                          by=actor())
    if held in page.kept:
        offer_built(download, "下载项目备份", "backups", engagement_id, page.kept[held], f"项目备份-{number}.zip",
                    f"download-{held}")
