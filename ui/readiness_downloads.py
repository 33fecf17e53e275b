"""Downloads of the 整改准备 page: the readiness report and the document skeletons, built on request."""
from __future__ import annotations

import streamlit as st

from criteria.model import Tree
from exports.skeletons import SKELETONS, skeletons_for
from readiness.documents import readiness_report_file, skeleton_file
from ui.current import actor
from ui.feedback import shown_errors
from ui.page_state import PageState
from ui.state import db_session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _offer(page: PageState, held: str, label: str, key: str, build) -> None:
    """A build button, then the download of what it built (kept in the page state)."""
    left, right = st.columns(2, vertical_alignment="bottom")
    if left.button(f"生成{label}", key=f"{key}-build", icon=":material/description:"):
        with shown_errors(), db_session() as s:
            page.kept[held] = build(s)
    if held in page.kept:
        name, data = page.kept[held]
        right.download_button(f"下载{label}", data, file_name=name, mime=DOCX, key=f"{key}-download", on_click="ignore",
                              icon=":material/download:")


def report_section(page: PageState, engagement_id: int, tree: Tree) -> None:
    st.markdown("**整改准备情况报告**（供企业管理层）")
    _offer(page, f"report-{engagement_id}", "准备情况报告", "rd-report",
           lambda s: readiness_report_file(s, engagement_id, tree, by=actor()))


def skeleton_section(page: PageState, engagement_id: int, code: str | None = None) -> None:
    """The skeletons; those serving `code` (the chosen task's clause) first."""
    st.markdown("**文件框架**（以企业已登记的信息填写，空缺处标有【待填写】）")
    serving = [s.key for s in skeletons_for(code)] if code else []
    keys = serving + [k for k in SKELETONS if k not in serving]
    left, right = st.columns([2, 1])
    key = left.selectbox("文件", keys, key="rd-skeleton", format_func=lambda k: SKELETONS[k].title + (
        "（适用于本任务的条款）" if k in serving else "") + "　服务条款 " + "、".join(SKELETONS[k].serves))
    staff = right.number_input("服务管理人员人数（用于管理师配置）", min_value=0, max_value=1_000_000, value=None,
                               step=1, key="rd-staff", placeholder="未知")
    _offer(page, f"skeleton-{engagement_id}-{key}-{staff}", SKELETONS[key].title, "rd-skeleton",
           lambda s: skeleton_file(s, engagement_id, key, by=actor(),
                                   management_staff=None if staff is None else int(staff)))
