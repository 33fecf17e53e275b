"""服务记录分析: the open engagement's imported records of the company, its service targets checked against them
(with charts), and samples drawn from them into a clause's register; on a pre-audit, what the records do not
yet support."""
import streamlit as st

from accounts.policy import Action
from audits.engagements import engagement_overview
from samples.imports import imports_of
from samples.targets import targets_of, unsupported
from ui.current import actor, may, require_engagement
from ui.feedback import show_flashes, shown_errors
from ui.page_state import page_state
from ui.records_panels import analysis_panel, draw_panel, import_panel, target_form, targets_table
from ui.state import db_session, tree_registry
from ui.text import md
from vocabulary import LOG_KIND_LABELS, EngagementKind

page = page_state("records")
engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    overview = engagement_overview(s, engagement_id, by=actor())
    tree = tree_registry().get(overview.engagement.tree_ref)
    imports = imports_of(s, engagement_id, by=actor())
    targets = targets_of(s, engagement_id, by=actor())
    may_rate = may(s, Action.RATE, engagement=overview.engagement)

st.title("服务记录分析")
st.caption(md(f"{overview.company.name} · {overview.engagement.title} · 项目编号 {engagement_id}"))
show_flashes()
if overview.engagement.kind == EngagementKind.PRE_AUDIT:
    gaps = unsupported(targets)
    if gaps:
        st.warning("差距分析：以下服务目标尚无记录支持  \n" + "  \n".join(md(g) for g in gaps))

st.subheader("服务目标与承诺")
targets_table(targets)
if may_rate:
    with st.expander("记录一项服务目标"):
        target_form(engagement_id, tree)

st.subheader("核对与图表")
analysis_panel(engagement_id, imports, targets, may_rate=may_rate)

st.subheader("导入的记录")
if imports:
    st.dataframe([{"编号": r.id, "类型": LOG_KIND_LABELS[r.kind], "文件": r.file_name, "行数": r.rows,
                   "编码": r.encoding or "Excel", "抽样种子": "" if r.seed is None else r.seed,
                   "导入人": r.imported_by, "SHA-256": r.original_sha256[:12]} for r in imports],
                 hide_index=True, width="stretch", key="records-imports")
else:
    st.caption("尚未导入企业的记录。")
if may_rate:
    st.markdown("**导入企业的记录（投诉、维修或送货安装记录）**")
    import_panel(page, engagement_id)
    st.subheader("抽样登记")
    draw_panel(engagement_id, tree, imports, targets)
