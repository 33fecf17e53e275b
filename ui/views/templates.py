"""文档模板 (administrators): the certification body's own .docx forms per document kind, their versions, a new
version uploaded (checked before it is kept), or back to the built-in layout."""
import streamlit as st

from accounts.policy import Action
from config import settings
from exports.templates import variables_for
from issuance.services import TEMPLATE_KINDS, list_templates, upload_template, use_built_in
from timefmt import local_time
from ui.chinese import table
from ui.current import actor, may
from ui.feedback import flash, show_flashes, shown_errors
from ui.state import db_session, evidence_store
from ui.template_parts import example_for, template_rows
from vocabulary import DOCUMENT_KIND_LABELS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

st.title("文档模板")
show_flashes()
with shown_errors(stop=True), db_session() as s:
    if not may(s, Action.MANAGE_TEMPLATES):
        st.info("只有管理员可以管理文档模板。")
        st.stop()
    templates = list_templates(s, by=actor())

st.caption("认证机构可为每类文档上传自己的受控表单（.docx，含表单编号、机构名称、签字和盖章栏）；没有模板时使用内置版式。"
           "模板中用 {{ 企业名称 }} 这样的变量和 {%tr for 行 in 得分表 %} 这样的循环，每类文档可用的变量见下方变量表"
           "（证书和评价计划各有单独的变量）。每次上传为该类文档的新版本并立即启用，签发的文档记录所用的模板版本。")

st.subheader("已上传的模板")
table(template_rows(templates, local_time), empty="尚未上传模板：各类文档使用内置版式。", key="template-table")

st.subheader("上传新版本")
kind = st.selectbox("文档类型", list(TEMPLATE_KINDS), format_func=DOCUMENT_KIND_LABELS.get, key="template-kind")
example = example_for(kind)
with st.expander(f"{DOCUMENT_KIND_LABELS[kind]}模板可用的变量"):
    table([{"变量": name, "内容": meaning} for name, meaning in variables_for(kind).items()], empty="",
          key="template-variables")
st.download_button(f"下载{DOCUMENT_KIND_LABELS[kind]}示例模板", example.read_bytes(), file_name=example.name, mime=DOCX,
                   key="template-example", icon=":material/download:")
name = st.text_input("模板名称（如表单编号和版本）", key="template-name", max_chars=200)
with st.form("template-upload", clear_on_submit=True, border=False, enter_to_submit=False):
    file = st.file_uploader("模板文件（.docx）", type=["docx", "docm"], key="template-file")
    if st.form_submit_button("检查并上传", type="primary", key="template-submit") and file is not None:
        with shown_errors(), st.spinner("正在检查模板（试生成一份文档）…"), db_session() as s:
            made = upload_template(s, evidence_store(), kind=kind, name=name, data=file.getvalue(), by=actor(),
                                   timeout=settings().template_timeout_seconds)
            flash(f"已启用{DOCUMENT_KIND_LABELS[kind]}模板第 {made.version} 版：{made.name}", "success")
            st.rerun()

st.subheader("改用内置版式")
if st.button(f"{DOCUMENT_KIND_LABELS[kind]}改用内置版式", key="template-built-in"):
    with shown_errors(), db_session() as s:
        use_built_in(s, kind=kind, by=actor())
        flash(f"{DOCUMENT_KIND_LABELS[kind]}已改用内置版式（已上传的模板保留）", "success")
        st.rerun()
