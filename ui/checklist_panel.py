"""The workspace's offline checklist: download it, upload it filled in, review what will change, confirm."""
import streamlit as st

from criteria.model import Tree
from dossier.checklist import apply_import, export_checklist, plan_import
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.layout import lazy_expander
from ui.page_state import PageState
from ui.state import db_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def checklist_panel(page: PageState, engagement_id: int, tree: Tree) -> None:
    key = f"checklist-{engagement_id}"
    with lazy_expander("离线评分表（Excel）：现场离线评分后导入", key=f"{key}-open") as is_open:
        if not is_open:
            return
        if st.button("生成评分表", key=f"build-{key}", icon=":material/table:"):
            with shown_errors(), db_session() as s:
                page.kept[key] = export_checklist(s, engagement_id, tree, by=actor())
        if key in page.kept:
            st.download_button("下载评分表", page.kept[key], file_name=f"评分表-{engagement_id}.xlsx",
                               mime=XLSX, key=f"download-{key}", icon=":material/download:")
        upload = st.file_uploader("导入填写好的评分表", type=["xlsx"], key=f"upload-{key}")
        if upload is None:
            return
        with shown_errors(), db_session() as s:
            plan = plan_import(s, engagement_id, tree, upload.getvalue(), by=actor())
        if plan.errors:
            st.error(f"评分表有 {len(plan.errors)} 处错误，未导入任何内容。请修改后重新上传。")
            st.dataframe([{"行": e.row or "", "列": e.column, "问题": e.message} for e in plan.errors],
                         hide_index=True, width="stretch")
            return
        if not plan.changes:
            st.info("评分表与当前评分一致，没有需要导入的内容。")
            return
        st.markdown(f"**将修改 {len(plan.changes)} 个条款：**")
        st.dataframe([{"条款": c.code, "修改": c.summary(), "审核发现": c.after["finding"]} for c in plan.changes],
                     hide_index=True, width="stretch")
        if st.button(f"确认导入 {len(plan.changes)} 项", type="primary", key=f"apply-{key}"):
            with shown_errors(), db_session() as s:
                count = apply_import(s, engagement_id, plan, by=actor())
                flash(f"已导入 {count} 个条款的评分", "success")
                st.session_state.pop(f"upload-{key}", None)
                st.rerun()
