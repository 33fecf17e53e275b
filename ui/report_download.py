"""Build the Word report on request, showing progress, and offer it for download."""
import streamlit as st

from audits.snapshot import build_snapshot
from criteria.model import Tree
from exports.context import build_report_context
from exports.word_report import render_report
from ui.current import actor
from ui.feedback import shown_errors
from ui.state import db_session


def report_download(engagement_id: int, tree: Tree, number: int) -> None:
    key = f"report-{engagement_id}"
    if st.button("生成评价报告（Word）", key=f"build-{key}", icon=":material/description:"):
        with shown_errors(), st.status("正在生成评价报告…", expanded=False) as status:
            status.update(label="正在汇总项目数据…")
            with db_session() as s:
                snapshot = build_snapshot(s, engagement_id, tree, by=actor())
            status.update(label="正在计算得分并绘制图表…")
            context = build_report_context(snapshot, tree)
            st.session_state[key] = render_report(context)
            status.update(label="评价报告已生成", state="complete")
    if key in st.session_state:
        st.download_button("下载评价报告", st.session_state[key], file_name=f"评价报告-{number}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           key=f"download-{key}", icon=":material/download:")
