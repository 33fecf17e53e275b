"""What each side can do with one nonconformity: the client's answer, the assessor's decision, the deadline."""
from __future__ import annotations

import streamlit as st

from criteria.model import Tree
from errors import AuditError
from evidence.services import list_evidence, upload_evidence
from nonconformities.models import Nonconformity
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    return_rectification,
    set_deadline,
    submit_rectification,
)
from nonconformities.workflow import OPEN_FOR_CLIENT, VERIFICATION_LABELS
from ui.current import actor
from ui.evidence_panels import max_bytes
from ui.feedback import flash, shown_errors
from ui.state import db_session, evidence_store
from vocabulary import NcState, Role, Severity


def actions(nc: Nonconformity, tree: Tree) -> None:
    role = actor().role
    if role == Role.CLIENT and nc.state in OPEN_FOR_CLIENT:
        _answer_form(nc, tree)
    elif role in (Role.ASSESSOR, Role.CONSULTANT) and nc.state == NcState.SUBMITTED:
        _review_form(nc)
    elif role in (Role.ASSESSOR, Role.CONSULTANT) and nc.state == NcState.ACCEPTED:
        _close_form(nc)
    if role in (Role.ASSESSOR, Role.CONSULTANT) and nc.state not in (NcState.CLOSED, NcState.NOTED):
        _deadline_form(nc)


def _done(message: str) -> None:
    flash(message, "success")
    st.rerun()


def _answer_form(nc: Nonconformity, tree: Tree) -> None:
    with db_session() as s:
        files = list_evidence(s, nc.engagement_id, by=actor())
    with st.form(f"answer-{nc.id}", clear_on_submit=True):
        st.markdown("**提交整改**")
        cause = st.text_area("原因分析 *", max_chars=5000, key=f"cause-{nc.id}", height=80)
        correction = st.text_area("纠正（已采取的处置） *", max_chars=5000, key=f"correction-{nc.id}", height=80)
        corrective = st.text_area("纠正措施（防止再发生） *", max_chars=5000, key=f"corrective-{nc.id}", height=80)
        chosen = st.multiselect("选择已上传的证据", files, format_func=lambda e: e.name, key=f"answer-files-{nc.id}",
                                placeholder="（可选）")
        new = st.file_uploader("上传整改证据", accept_multiple_files=True, key=f"answer-upload-{nc.id}")
        if st.form_submit_button("提交整改", type="primary", key=f"answer-submit-{nc.id}"):
            try:
                with db_session() as s:
                    ids = [e.id for e in chosen] + [_upload(s, nc, tree, f) for f in new or []]
                    submit_rectification(s, nc_id=nc.id, cause=cause, correction=correction,
                                         corrective_action=corrective, evidence_ids=ids,
                                         expected_version=nc.version, by=actor())
            except AuditError as exc:
                st.error(exc.message)
                return
            _done(f"NC-{nc.number:02d} 的整改已提交")


def _upload(session, nc: Nonconformity, tree: Tree, file) -> int:
    links = {nc.code: set()} if nc.code else {}
    return upload_evidence(session, evidence_store(), engagement_id=nc.engagement_id, name=file.name, stream=file,
                           tree=tree, links=links, by=actor(), max_bytes=max_bytes(),
                           note=f"NC-{nc.number:02d} 整改证据").evidence.id


def _review_form(nc: Nonconformity) -> None:
    with st.form(f"review-{nc.id}", clear_on_submit=True):
        st.markdown("**审核整改**")
        comment = st.text_area("意见（退回时必填理由）", max_chars=5000, key=f"review-comment-{nc.id}", height=80)
        accept, send_back = st.columns(2)
        if accept.form_submit_button("接受整改", type="primary", key=f"accept-{nc.id}"):
            with shown_errors(), db_session() as s:
                accept_rectification(s, nc_id=nc.id, comment=comment, expected_version=nc.version, by=actor())
                _done(f"已接受 NC-{nc.number:02d} 的整改")
        if send_back.form_submit_button("退回整改", key=f"return-{nc.id}"):
            with shown_errors(), db_session() as s:
                return_rectification(s, nc_id=nc.id, reason=comment, expected_version=nc.version, by=actor())
                _done(f"已退回 NC-{nc.number:02d}")


def _close_form(nc: Nonconformity) -> None:
    with st.form(f"close-{nc.id}", clear_on_submit=True):
        st.markdown("**验证并关闭**" + ("（严重不符合须现场验证）" if nc.severity == Severity.SERIOUS else ""))
        method = st.radio("验证方式", list(VERIFICATION_LABELS), format_func=VERIFICATION_LABELS.get,
                          horizontal=True, key=f"verify-method-{nc.id}")
        note = st.text_area("验证记录 *", max_chars=5000, key=f"verify-note-{nc.id}", height=80)
        if st.form_submit_button("关闭不符合项", type="primary", key=f"close-submit-{nc.id}"):
            with shown_errors(), db_session() as s:
                close_nonconformity(s, nc_id=nc.id, verification=method, note=note, expected_version=nc.version,
                                    by=actor())
                _done(f"NC-{nc.number:02d} 已关闭")


def _deadline_form(nc: Nonconformity) -> None:
    with st.expander("调整整改期限（审查组长）"):
        due = st.date_input("整改期限", value=nc.due_date, key=f"due-{nc.id}")
        if st.button("保存期限", key=f"due-submit-{nc.id}"):
            with shown_errors(), db_session() as s:
                set_deadline(s, nc_id=nc.id, due_date=due, by=actor())
                _done("整改期限已更新")
