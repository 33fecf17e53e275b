"""What each side can do with one nonconformity: the client's answer, the assessor's decision, the deadline; and
the client's latest answer, whole, with its files, for whoever reviews or reads it.

A form is offered when the workflow table has its event from the current state and `permits` says the service
would let this user act, asked with the Action the service requires. Each form carries the version the user saw
when it was first drawn (kept in the page state), so a nonconformity that moved since is refused as a stale
edit instead of being decided unseen; a refused submit keeps what was typed. After a return, the client's form
starts from their previous answer, once per return.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from accounts.policy import Action
from audits.engagements import get_engagement
from errors import StaleEdit
from evidence.filetypes import EXTENSIONS
from evidence.services import list_evidence
from evidence.store import MB
from nonconformities.acknowledgement import may_acknowledge
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.services import (
    SIDE_ACTION,
    Answer,
    accept_rectification,
    close_nonconformity,
    return_rectification,
    set_deadline,
    submit_rectification,
)
from nonconformities.workflow import ACTOR_SIDE, DONE, EVENT_LABELS, TRANSITIONS, VERIFICATION_LABELS, Event
from ui.chinese import CHOOSE_MANY, upload_note
from ui.current import actor, may
from ui.evidence_panels import max_bytes
from ui.evidence_preview import preview, read_shown
from ui.feedback import flash, shown_errors
from ui.layout import lazy_expander
from ui.nc_acknowledge import acknowledge_form
from ui.page_state import PageState
from ui.state import db_session, evidence_store
from ui.streamed_upload import choose_saved, streamed_upload
from ui.text import local_time, md, md_lines
from vocabulary import NC_STATE_LABELS, Limit, Severity
from web import routes

ANSWER_LABELS = {"cause": "原因分析", "correction": "纠正（已采取的处置）", "corrective_action": "纠正措施（防止再发生）"}


@dataclass(frozen=True)
class Offer:
    events: frozenset[Event]
    deadline: bool
    acknowledge: bool = False


def offer(session, nc: Nonconformity) -> Offer:
    """What to offer this user on `nc`: the moves the table allows from its state that the service would let
    them make, and the deadline to whoever may manage the engagement."""
    engagement = get_engagement(session, nc.engagement_id, by=actor())
    allowed = {action: may(session, action, engagement=engagement) for action in SIDE_ACTION.values()}
    events = frozenset(event for state, event in TRANSITIONS
                       if state == nc.state and allowed[SIDE_ACTION[ACTOR_SIDE[event]]])
    deadline = nc.state not in DONE and may(session, Action.MANAGE_ENGAGEMENT, engagement=engagement)
    return Offer(events, deadline, may_acknowledge(session, nc, actor()))


def show_answer(nc: Nonconformity, answer: Answer | None) -> None:
    """The client's latest answer in full, and each file it names with its preview and download (read only while
    its expander is open)."""
    if answer is None:
        return
    with st.container(border=True):
        st.markdown("**企业的整改答复**")
        st.caption(f"{md(answer.by)} 于 {local_time(answer.at)} 提交")
        for field, label in ANSWER_LABELS.items():
            st.markdown(f"**{label}**  \n{md_lines(getattr(answer, field))}")
        if not answer.files:
            st.caption("此次整改未附证据文件。")
        for file in answer.files:
            label = md(file.name) + ("（已移除）" if file.removed_at else "")
            with lazy_expander(f":material/attach_file: {label}", key=f"answer-file-{nc.id}-{file.id}") as is_open:
                if is_open:
                    with shown_errors(), db_session() as s:
                        preview(*read_shown(s, file.id, by=actor()))


def history_rows(history: list[NcEvent]) -> list[dict]:
    """The history as table rows; the answer's text here is a summary, shown whole by show_answer."""
    return [{"时间": local_time(e.at, seconds=True), "处理人": e.by, "操作": EVENT_LABELS.get(e.event, e.event),
             "状态": f"{NC_STATE_LABELS[e.from_state]} → {NC_STATE_LABELS[e.to_state]}", "说明": _note(e),
             "验证": VERIFICATION_LABELS.get(e.details.get("verification"), "")} for e in history]


def _note(e: NcEvent) -> str:
    answer = "；".join(f"{label}：{e.details[k]}" for k, label in ANSWER_LABELS.items() if k in e.details)
    deadline = f"期限 {e.details.get('due_before') or '无'} → {e.details['due_after']}" if "due_after" in e.details else ""
    signed = (f"企业代表 {e.details['acknowledged_by']} {e.details.get('acknowledged_on', '')} 确认，计划完成 "
              f"{e.details.get('planned_completion') or '未填'}") if "acknowledged_by" in e.details else ""
    return "；".join(part for part in (e.comment, answer, deadline, signed) if part)


def actions(page: PageState, nc: Nonconformity, offered: Offer, answer: Answer | None) -> None:
    form = f"nc-{nc.id}"
    if page.chosen.get("nc") != nc.id:  # opened afresh: its forms stand for what the page shows now
        page.forget(form)
        page.chosen.pop("answer-loaded", None)
        page.chosen["nc"] = nc.id
    if page.version_shown(form, nc.version) != nc.version and offered.events:
        st.warning(f"您打开此不符合项后，它已被他人处理（现为“{NC_STATE_LABELS[nc.state]}”）。"
                   "现在提交会被拒绝，请先查看上面的最新内容。")
        st.button("按最新内容处理", key=f"nc-seen-{nc.id}", on_click=page.saw, args=(form, nc.version))
    if Event.SUBMIT in offered.events:
        _answer_form(page, nc, answer)
    if offered.events & {Event.ACCEPT, Event.RETURN}:
        _review_form(page, nc, offered.events)
    if Event.CLOSE in offered.events:
        _close_form(page, nc)
    if offered.acknowledge:
        acknowledge_form(nc)
    if offered.deadline:
        _deadline_form(page, nc)


def _act(page: PageState, nc: Nonconformity, message: str, blanks: dict, move) -> None:
    """Call `move(session, version the form showed)`; on success blank the form and say so. A refusal leaves the
    form as typed; after a stale edit the form stands for the newer state the page now shows."""
    form = f"nc-{nc.id}"
    with shown_errors(), db_session() as s:
        try:
            moved = move(s, page.seen[form])
        except StaleEdit:
            page.saw(form, nc.version)
            raise
        page.saw(form, moved.version)
        page.show_next(blanks)
        flash(message, "success")
        st.rerun()


def _start_from(page: PageState, nc: Nonconformity, answer: Answer | None, files: dict[int, str]) -> None:
    """After a return the form shows the previous answer, once per return: a refused submit keeps what was typed.
    (The form is offered only before an answer or after a return, so any previous answer was returned.)"""
    if answer is None or page.chosen.get("answer-loaded") == (nc.id, nc.version):
        return
    page.chosen["answer-loaded"] = (nc.id, nc.version)
    st.session_state.update({f"cause-{nc.id}": answer.cause, f"correction-{nc.id}": answer.correction,
                             f"corrective-{nc.id}": answer.corrective_action,
                             f"answer-files-{nc.id}": [f.id for f in answer.files if f.id in files]})


def _answer_form(page: PageState, nc: Nonconformity, answer: Answer | None) -> None:
    if routes.ACTIVE:  # served with the upload route: files go straight to it, never through the session
        _streamed_files(nc)
    with db_session() as s:
        files = {e.id: e.name for e in list_evidence(s, nc.engagement_id, by=actor())}
    _start_from(page, nc, answer, files)
    with st.form(f"answer-{nc.id}", enter_to_submit=False):
        st.markdown("**提交整改**")
        cause = st.text_area(f"{ANSWER_LABELS['cause']} *", max_chars=Limit.TEXT, key=f"cause-{nc.id}", height=80)
        correction = st.text_area(f"{ANSWER_LABELS['correction']} *", max_chars=Limit.TEXT,
                                  key=f"correction-{nc.id}", height=80)
        corrective = st.text_area(f"{ANSWER_LABELS['corrective_action']} *", max_chars=Limit.TEXT,
                                  key=f"corrective-{nc.id}", height=80)
        chosen = st.multiselect("选择已上传的证据", list(files), format_func=files.get, key=f"answer-files-{nc.id}",
                                placeholder=f"（可选）{CHOOSE_MANY}", select_all=False)
        new = None if routes.ACTIVE else st.file_uploader(
            "上传整改证据（随整改一并提交；提交被拒绝时不会保存）", accept_multiple_files=True, key=f"answer-upload-{nc.id}")
        if new is not None:
            upload_note(None, max_bytes() // MB)
        if st.form_submit_button("提交整改", type="primary", key=f"answer-submit-{nc.id}"):
            def submit(s, version: int) -> Nonconformity:
                return submit_rectification(
                    s, nc_id=nc.id, cause=cause, correction=correction, corrective_action=corrective,
                    evidence_ids=chosen, uploads=[(f.name, f) for f in new or []], store=evidence_store(),
                    max_bytes=max_bytes(), expected_version=version, by=actor())
            blanks = {f"cause-{nc.id}": "", f"correction-{nc.id}": "", f"corrective-{nc.id}": "",
                      f"answer-files-{nc.id}": []}
            attached = "、".join(f.name for f in new or [])
            _act(page, nc, f"NC-{nc.number:02d} 的整改已提交" + (f"，新上传：{attached}" if attached else ""),
                 blanks, submit)


def _streamed_files(nc: Nonconformity) -> None:
    """Rectification files through the upload route: each is kept as the engagement's evidence on the clause as
    soon as it arrives and is chosen in the answer's list below, to go with the answer when it is submitted."""
    chosen = f"answer-files-{nc.id}"
    got = streamed_upload(f"answer-upload-{nc.id}", "上传整改证据（上传后即保存为本项目的证据，并选入下面的列表）",
                          f"/uploads/evidence/{nc.engagement_id}", types=list(EXTENSIONS), max_mb=max_bytes() // MB,
                          query=[*((("codes", nc.code), ("code", nc.code)) if nc.code else ()),
                                 ("note", f"NC-{nc.number:02d} 整改证据")])
    upload_note(list(EXTENSIONS), max_bytes() // MB)
    choose_saved(got, chosen)


def _review_form(page: PageState, nc: Nonconformity, events: frozenset[Event]) -> None:
    blanks = {f"review-comment-{nc.id}": ""}
    with st.form(f"review-{nc.id}", enter_to_submit=False):
        st.markdown("**审核整改**")
        comment = st.text_area("意见（退回时必填理由）", max_chars=Limit.TEXT, key=f"review-comment-{nc.id}",
                               height=80)
        accept, send_back = st.columns(2)
        if Event.ACCEPT in events and accept.form_submit_button("接受整改", type="primary", key=f"accept-{nc.id}"):
            _act(page, nc, f"已接受 NC-{nc.number:02d} 的整改", blanks, lambda s, version: accept_rectification(
                s, nc_id=nc.id, comment=comment, expected_version=version, by=actor()))
        if Event.RETURN in events and send_back.form_submit_button("退回整改", key=f"return-{nc.id}"):
            _act(page, nc, f"已退回 NC-{nc.number:02d}", blanks, lambda s, version: return_rectification(
                s, nc_id=nc.id, reason=comment, expected_version=version, by=actor()))


def _close_form(page: PageState, nc: Nonconformity) -> None:
    with st.form(f"close-{nc.id}", enter_to_submit=False):
        st.markdown("**验证并关闭**" + ("（严重不符合须现场验证）" if nc.severity == Severity.SERIOUS else ""))
        method = st.radio("验证方式", list(VERIFICATION_LABELS), format_func=VERIFICATION_LABELS.get,
                          horizontal=True, key=f"verify-method-{nc.id}")
        note = st.text_area("验证记录 *", max_chars=Limit.TEXT, key=f"verify-note-{nc.id}", height=80)
        if st.form_submit_button("关闭不符合项", type="primary", key=f"close-submit-{nc.id}"):
            _act(page, nc, f"NC-{nc.number:02d} 已关闭", {f"verify-note-{nc.id}": ""},
                 lambda s, version: close_nonconformity(s, nc_id=nc.id, verification=method, note=note,
                                                        expected_version=version, by=actor()))


def _deadline_form(page: PageState, nc: Nonconformity) -> None:
    with st.expander("调整整改期限"), st.form(f"due-form-{nc.id}", border=False, enter_to_submit=False):
        due = st.date_input("整改期限", value=nc.due_date, format="YYYY-MM-DD", key=f"due-{nc.id}")
        reason = st.text_input("变更理由", max_chars=Limit.REASON, key=f"due-reason-{nc.id}")
        if st.form_submit_button("保存期限", key=f"due-submit-{nc.id}"):
            with shown_errors(), db_session() as s:
                set_deadline(s, nc_id=nc.id, due_date=due, reason=reason, by=actor())
                page.show_next({f"due-reason-{nc.id}": ""})
                flash("整改期限已更新", "success")
                st.rerun()
