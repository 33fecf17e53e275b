"""The evidence page's parts: upload, the clause checklist, the file list with preview, bulk import."""
from __future__ import annotations

import streamlit as st

from audits.companies import list_sites
from config import settings
from criteria.model import Tree
from errors import AuditError
from evidence.filetypes import EXTENSIONS, KIND_LABELS
from evidence.importing import OUTCOME_LABELS, import_package
from evidence.models import GENERAL
from evidence.package import zip_entries
from evidence.services import (
    MAX_NOTE,
    coverage,
    evidence_links,
    link_evidence,
    list_evidence,
    may_change_evidence,
    remove_evidence,
    upload_evidence,
)
from evidence.store import check_declared_size
from ui.chinese import CHOOSE, table, upload_note
from ui.current import actor, fragment
from ui.evidence_preview import preview, read_shown
from ui.feedback import flash, show_flashes, shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store
from ui.streamed_upload import Answer, streamed_upload
from ui.text import as_text, local_time, md
from vocabulary import Limit
from web import routes


def max_bytes() -> int:
    return settings().max_upload_mb * 1024 * 1024


@fragment
def upload_panel(page: PageState, engagement_id: int, company_id: int, tree: Tree, code: str) -> None:
    """A fragment: choosing clauses, items or the site reruns only this panel, not the previews beside it."""
    with db_session() as s:
        sites = list_sites(s, company_id, by=actor(), active_only=True)  # a deactivated site is not offered
    node, codes_key, items_key = tree.node(code), f"upload-codes-{code}", f"upload-items-{code}"
    st.session_state.setdefault(codes_key, [code])  # seeded rather than default=, so a success can put it back
    with st.container(border=True):
        codes = st.multiselect("关联条款", [leaf.code for leaf in tree.leaves()], key=codes_key,
                               format_func=lambda c: f"{c} {tree.node(c).name}", placeholder="选择条款",
                               select_all=False)
        items = st.multiselect(f"对应 {code} 的证据项", list(range(len(node.evidence))), key=items_key,
                               format_func=lambda i: node.evidence[i], placeholder="（可选）选择文件满足的证据项",
                               select_all=False)
        site = st.selectbox("来源场所", [None, *sites], key="upload-site", placeholder=CHOOSE,
                            format_func=lambda x: "（不指定）" if x is None else x.name)
        note = st.text_input("说明", max_chars=MAX_NOTE, key="upload-note")
        links = {c: set(items) if c == code else set() for c in codes}
        if routes.ACTIVE:  # served with the upload route: the files go straight to it, never through the session
            answers = streamed_upload("upload-files", "选择文件（可多选）", f"/uploads/evidence/{engagement_id}",
                                      types=list(EXTENSIONS), max_mb=settings().max_upload_mb,
                                      query=link_query(links, code, site, note))
            upload_note(list(EXTENSIONS), settings().max_upload_mb)
            if answers is not None:
                _uploaded(page, answers, {codes_key: [code], items_key: [], "upload-note": ""})
            return
        # The files have a form of their own, emptied on submit: Streamlit empties a file uploader no other way.
        # What was typed above stays when a file is refused, and is cleared once every file is stored.
        with st.form("upload", clear_on_submit=True, border=False, enter_to_submit=False):
            files = st.file_uploader("选择文件（可多选）", accept_multiple_files=True, key="upload-files",
                                     type=[e.lstrip(".") for e in EXTENSIONS], max_upload_size=settings().max_upload_mb)
            upload_note(list(EXTENSIONS), settings().max_upload_mb)
            if st.form_submit_button("上传", type="primary", key="upload-submit") and files:
                if _upload_all(engagement_id, tree, files, links, note, site):
                    page.show_next({codes_key: [code], items_key: [], "upload-note": ""})  # the site stays chosen
                st.rerun()


def link_query(links: dict[str, set[int]], code: str, site, note: str) -> list[tuple[str, str]]:
    """What the upload route takes (web/uploads.py): the linked clauses, the items of `code`, site and note."""
    return [*(("codes", c) for c in links), ("code", code), *(("items", str(i)) for i in sorted(links.get(code, ()))),
            ("site", str(site.id) if site else ""), ("note", note)]


def _uploaded(page: PageState, answers: list[Answer], reset: dict) -> None:
    """Say what the route did with each file; once every file is stored, clear what was typed (the site stays)."""
    for answer in answers:
        flash(f"{answer.name}：{answer.message}", "success" if answer.saved else "error")
    if answers and all(answer.saved for answer in answers):
        page.show_next(reset)
    st.rerun()


def _upload_all(engagement_id: int, tree: Tree, files, links: dict, note: str, site) -> bool:
    """Store each file on its own, with a message for each; whether every one was stored."""
    stored = 0
    for file in files:
        try:
            check_declared_size(file.name, file.size, max_bytes())  # before a byte reaches the store
            with db_session() as s:
                result = upload_evidence(s, evidence_store(), engagement_id=engagement_id, name=file.name,
                                         stream=file, tree=tree, links=links, by=actor(), max_bytes=max_bytes(),
                                         note=note, site_id=site.id if site else None)
            flash(f"{file.name}：" + ("内容相同的文件已存在，已补充关联" if result.duplicate else "已上传"), "success")
            stored += 1
        except AuditError as exc:
            flash(exc.message)
    return stored == len(files)


def checklist_panel(page: PageState, engagement_id: int, tree: Tree, code: str, *, may_link: bool) -> None:
    node = tree.node(code)
    with db_session() as s:
        cover = coverage(s, engagement_id, by=actor()).get(code)
        linked = list_evidence(s, engagement_id, by=actor(), code=code)
        everything = [e for e in list_evidence(s, engagement_id, by=actor()) if may_change_evidence(s, e, by=actor())]
    done = cover.items if cover else set()
    st.markdown(f"**{md(code)} {md(node.name)}：应查证据清单**")
    for index, item in enumerate(node.evidence):
        st.markdown(f"{':material/check_box:' if index in done else ':material/check_box_outline_blank:'} {md(item)}")
    st.caption(f"已关联 {len(linked)} 份文件：" + "、".join(md(e.name) for e in linked) if linked else "尚未关联任何文件。")
    if not everything or not may_link:
        return
    with st.form(f"link-{code}", enter_to_submit=False):
        chosen = st.selectbox("关联已有文件", everything, format_func=lambda e: e.name, key=f"link-file-{code}",
                              placeholder=CHOOSE)
        items = st.multiselect("该文件对应的证据项", list(range(len(node.evidence))), key=f"link-items-{code}",
                               format_func=lambda i: node.evidence[i], placeholder="（可选）选择证据项", select_all=False)
        if st.form_submit_button("关联到本条款", key=f"link-submit-{code}"):
            with shown_errors(), db_session() as s:
                link_evidence(s, evidence_id=chosen.id, links={code: set(items) or {GENERAL}}, tree=tree, by=actor())
                page.show_next({f"link-items-{code}": []})
                flash(f"已将 {chosen.name} 关联到 {code}", "success")
                st.rerun()


def files_panel(page: PageState, engagement_id: int, code: str | None, *, may_remove: bool) -> None:
    with db_session() as s:
        files = list_evidence(s, engagement_id, by=actor(), code=code)
    if not files:
        st.info("没有证据文件。")
        return
    table([{"文件": e.name, "类型": KIND_LABELS.get(e.kind, e.kind), "大小(KB)": round(e.size / 1024, 1),
            "上传人": e.uploaded_by, "上传时间": local_time(e.uploaded_at), "说明": e.note} for e in files],
          empty="没有证据文件。")
    chosen = st.selectbox("预览文件", files, format_func=lambda e: e.name, key="preview-file", placeholder=CHOOSE)
    with shown_errors(), db_session() as s:
        evidence, data = read_shown(s, chosen.id, by=actor())
        links = evidence_links(s, chosen.id, by=actor())
        may_remove = may_remove and may_change_evidence(s, evidence, by=actor())
    st.caption("关联条款：" + "、".join(md(c) for c in sorted({link.code for link in links}))
               + f" · SHA-256 {evidence.sha256[:16]}…")
    preview(evidence, data)
    if not may_remove:
        return
    with st.form(f"remove-{chosen.id}", enter_to_submit=False):
        reason = st.text_input("移除理由", max_chars=Limit.SHORT, key=f"remove-reason-{chosen.id}")
        if st.form_submit_button("从项目中移除（记录保留）", key=f"remove-submit-{chosen.id}"):
            with shown_errors(), db_session() as s:
                remove_evidence(s, evidence_id=chosen.id, reason=reason, by=actor())
                page.show_next({f"remove-reason-{chosen.id}": ""})
                flash(f"已移除 {chosen.name}", "success")
                st.rerun()


def import_panel(engagement_id: int, tree: Tree) -> None:
    st.caption("上传企业提交的资料包（ZIP）。包内可含清单 manifest.csv / 清单.xlsx（列：文件、条款、证据项），"
               "或让文件名/文件夹名以条款代码开头，如“5.1.1.1 组织架构图.pdf”。")
    if routes.ACTIVE:  # served with the upload route: the package goes to a file on the server, not the session
        answers = streamed_upload("package", "资料包（.zip）", f"/uploads/package/{engagement_id}", types=["zip"],
                                  max_mb=settings().max_upload_mb, multiple=False)
        upload_note(["zip"], settings().max_upload_mb)
        for answer in answers or []:
            if answer.saved:
                _imported(list(answer.lines))
            else:
                st.error(as_text(f"{answer.name}：{answer.message}"))
        return
    package = st.file_uploader("资料包（.zip）", type=["zip"], key="package", max_upload_size=settings().max_upload_mb)
    upload_note(["zip"], settings().max_upload_mb)
    if package is None or not st.button("开始导入", key="package-import", type="primary"):
        return
    bar = st.progress(0.0, text="正在检查资料包…")
    with shown_errors(), db_session() as s:
        lines = import_package(s, evidence_store(), engagement_id=engagement_id, tree=tree, by=actor(),
                               entries=list(zip_entries(package, package.size)), max_bytes=max_bytes(),
                               progress=lambda done, total, name: bar.progress(done / total, text=f"{done}/{total} {name}"))
        bar.progress(1.0, text="导入完成")
        _imported([{"path": x.path, "outcome": x.outcome, "detail": x.detail} for x in lines])


def _imported(lines: list[dict]) -> None:
    """How the package's files fared: a count per outcome, and the table with each refusal's reason."""
    lines = [x for x in lines if x["outcome"] in OUTCOME_LABELS]
    counts = {key: sum(1 for x in lines if x["outcome"] == key) for key in OUTCOME_LABELS}
    summary = "；".join(f"{OUTCOME_LABELS[key]} {n} 个" for key, n in counts.items())
    if counts["refused"]:
        st.warning(summary + "。被拒绝的文件及原因见下表")
    else:
        st.success(summary)
    st.dataframe([{"文件": x["path"], "结果": OUTCOME_LABELS[x["outcome"]], "说明": x["detail"]} for x in lines],
                 hide_index=True, width="stretch")


def notices() -> None:
    show_flashes()
