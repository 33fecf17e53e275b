"""证据: the open engagement's evidence: coverage across the tree, a clause's checklist, upload, files, import."""
import streamlit as st

from accounts.policy import Action
from audits.engagements import engagement_overview
from evidence.services import coverage
from ui.charts import evidence_coverage
from ui.chinese import CHOOSE, PLOTLY_CONFIG
from ui.current import actor, may, require_engagement
from ui.evidence_panels import checklist_panel, files_panel, import_panel, notices, upload_panel
from ui.feedback import shown_errors
from ui.page_state import page_state
from ui.state import db_session, tree_registry
from ui.text import md

page = page_state("evidence")
engagement_id = require_engagement()
with shown_errors(stop=True), db_session() as s:
    overview = engagement_overview(s, engagement_id, by=actor())
    tree = tree_registry().get(overview.engagement.tree_ref)
    cover = coverage(s, engagement_id, by=actor())
    may_upload = may(s, Action.UPLOAD_EVIDENCE, engagement=overview.engagement)  # upload, link, remove, import

st.title("证据")
st.caption(md(f"{overview.company.name} · {overview.engagement.title} · 项目编号 {engagement_id}"))
notices()
codes = [leaf.code for leaf in tree.leaves()]
names = {leaf.code: leaf.name for leaf in tree.leaves()}
st.plotly_chart(evidence_coverage(codes, names, {c: v.files for c, v in cover.items()}), key="coverage",
                config=PLOTLY_CONFIG)
missing = [c for c in codes if c not in cover]
if missing:
    with st.expander(f"尚无证据的条款（{len(missing)} 条）"):
        st.markdown("  \n".join(f"{md(c)} {md(names[c])}" for c in missing))

code = st.selectbox("条款", codes, key="evidence-clause", format_func=lambda c: f"{c} {names[c]}", placeholder=CHOOSE)
checklist, upload = st.columns(2)
with checklist:
    checklist_panel(page, engagement_id, tree, code, may_link=may_upload)
with upload:
    if may_upload:
        upload_panel(page, engagement_id, overview.engagement.company_id, tree, code)
st.subheader("证据文件")
only_clause = st.toggle("只看本条款的文件", key="evidence-only-clause")
files_panel(page, engagement_id, code if only_clause else None, may_remove=may_upload)
if may_upload:
    with st.expander("批量导入资料包", key="evidence-import"):  # keyed: stays open when the import reruns the page
        import_panel(engagement_id, tree)
