"""What each side can do with one nonconformity: the client's answer, the assessor's decision, the deadline.

A form is offered when the workflow table has its event from the current state and `permits` says the service
would let this user act, asked with the Action the service requires. Each form carries the version the user saw
when it was first drawn (kept in the page state), so a nonconformity that moved since is refused as a stale
edit instead of being decided unseen; a refused submit keeps what was typed.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from errors import StaleEdit
from evidence.services import list_evidence, upload_evidence
from nonconformities.models import Nonconformity
from nonconformities.services import (
    SIDE_ACTION,
    accept_rectification,
    close_nonconformity,
    return_rectification,
    set_deadline,
    submit_rectification,
)
from nonconformities.workflow import ACTOR_SIDE, DONE, TRANSITIONS, VERIFICATION_LABELS, Event
from ui.current import actor, may
from ui.evidence_panels import max_bytes
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store
from vocabulary import NC_STATE_LABELS, Limit, Severity


@dataclass(frozen=True)
class Offer:
    events: frozenset[Event]
    deadline: bool


def offer(session, nc: Nonconformity) -> Offer:
    """What to offer this user on `nc`: the moves the table allows from its state that the service would let
    them make, and the deadline to whoever may manage the engagement."""
    engagement = get_engagement(session, nc.engagement_id, by=actor())
    allowed = {action: may(session, action, engagement=engagement) for action in SIDE_ACTION.values()}
    events = frozenset(event for state, event in TRANSITIONS
                       if state == nc.state and allowed[SIDE_ACTION[ACTOR_SIDE[event]]])
    deadline = nc.state not in DONE and may(session, Action.MANAGE_ENGAGEMENT, engagement=engagement)
    return Offer(events, deadline)


def actions(page: PageState, nc: Nonconformity, tree: Tree, offered: Offer) -> None:
    form = f"nc-{nc.id}"
    if page.chosen.get("nc") != nc.id:  # opened afresh: its forms stand for what the page shows now
        page.forget(form)
        page.chosen["nc"] = nc.id
    if page.version_shown(form, nc.version) != nc.version and offered.events:
        st.warning(f"您打开此不符合项后，它已被他人处理（现为“{NC_STATE_LABELS[nc.state]}”）。"
                   "现在提交会被拒绝，请先查看上面的最新内容。")
        st.button("按最新内容处理", key=f"nc-seen-{nc.id}", on_click=page.saw, args=(form, nc.version))
    if Event.SUBMIT in offered.events:
        _answer_form(page, nc, tree)
    if offered.events & {Event.ACCEPT, Event.RETURN}:
        _review_form(page, nc, offered.events)
    if Event.CLOSE in offered.events:
        _close_form(page, nc)
    if offered.deadline:
        _deadline_form(nc)


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


def _answer_form(page: PageState, nc: Nonconformity, tree: Tree) -> None:
    with db_session() as s:
        files = list_evidence(s, nc.engagement_id, by=actor())
    with st.form(f"answer-{nc.id}"):
        st.markdown("**提交整改**")
        cause = st.text_area("原因分析 *", max_chars=Limit.TEXT, key=f"cause-{nc.id}", height=80)
        correction = st.text_area("纠正（已采取的处置） *", max_chars=Limit.TEXT, key=f"correction-{nc.id}", height=80)
        corrective = st.text_area("纠正措施（防止再发生） *", max_chars=Limit.TEXT, key=f"corrective-{nc.id}", height=80)
        chosen = st.multiselect("选择已上传的证据", files, format_func=lambda e: e.name, key=f"answer-files-{nc.id}",
                                placeholder="（可选）")
        new = st.file_uploader("上传整改证据", accept_multiple_files=True, key=f"answer-upload-{nc.id}")
        if st.form_submit_button("提交整改", type="primary", key=f"answer-submit-{nc.id}"):
            def submit(s, version: int) -> Nonconformity:
                ids = [e.id for e in chosen] + [_upload(s, nc, tree, f) for f in new or []]
                return submit_rectification(s, nc_id=nc.id, cause=cause, correction=correction,
                                            corrective_action=corrective, evidence_ids=ids,
                                            expected_version=version, by=actor())
            blanks = {f"cause-{nc.id}": "", f"correction-{nc.id}": "", f"corrective-{nc.id}": "",
                      f"answer-files-{nc.id}": []}
            _act(page, nc, f"NC-{nc.number:02d} 的整改已提交", blanks, submit)


def _upload(session, nc: Nonconformity, tree: Tree, file) -> int:
    links = {nc.code: set()} if nc.code else {}
    return upload_evidence(session, evidence_store(), engagement_id=nc.engagement_id, name=file.name, stream=file,
                           tree=tree, links=links, by=actor(), max_bytes=max_bytes(),
                           note=f"NC-{nc.number:02d} 整改证据").evidence.id


def _review_form(page: PageState, nc: Nonconformity, events: frozenset[Event]) -> None:
    blanks = {f"review-comment-{nc.id}": ""}
    with st.form(f"review-{nc.id}"):
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
    with st.form(f"close-{nc.id}"):
        st.markdown("**验证并关闭**" + ("（严重不符合须现场验证）" if nc.severity == Severity.SERIOUS else ""))
        method = st.radio("验证方式", list(VERIFICATION_LABELS), format_func=VERIFICATION_LABELS.get,
                          horizontal=True, key=f"verify-method-{nc.id}")
        note = st.text_area("验证记录 *", max_chars=Limit.TEXT, key=f"verify-note-{nc.id}", height=80)
        if st.form_submit_button("关闭不符合项", type="primary", key=f"close-submit-{nc.id}"):
            _act(page, nc, f"NC-{nc.number:02d} 已关闭", {f"verify-note-{nc.id}": ""},
                 lambda s, version: close_nonconformity(s, nc_id=nc.id, verification=method, note=note,
                                                        expected_version=version, by=actor()))


def _deadline_form(nc: Nonconformity) -> None:
    with st.expander("调整整改期限"):
        due = st.date_input("整改期限", value=nc.due_date, key=f"due-{nc.id}")
        if st.button("保存期限", key=f"due-submit-{nc.id}"):
            with shown_errors(), db_session() as s:
                set_deadline(s, nc_id=nc.id, due_date=due, by=actor())
                flash("整改期限已更新", "success")
                st.rerun()
