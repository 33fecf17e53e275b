"""The 整改准备 page's parts: the readiness summary, the plan forms, the task list and one task with its hand-in
and review forms. Each action calls one service; errors show through ui.feedback."""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from criteria.model import Tree, points_text
from errors import StaleEdit
from evidence.filetypes import EXTENSIONS
from evidence.services import list_evidence
from readiness.models import PreparationTask
from readiness.readiness import Readiness
from readiness.tasks import Owner, TaskRow, add_task, generate_plan, hand_in, judge_task, task_note
from readiness.workflow import WAITING_FOR_CLIENT, is_overdue, judging_moves
from scoring.stars import STAR_LABELS
from timefmt import local_today
from ui.chinese import CHOOSE, CHOOSE_MANY, PLOTLY_CONFIG, table, upload_note
from ui.current import actor
from ui.evidence_panels import max_bytes
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.readiness_charts import readiness_by_indicator
from ui.state import db_session, evidence_store
from ui.streamed_upload import choose_saved, streamed_upload
from vocabulary import TASK_MOVE_LABELS, TASK_STATE_LABELS, Limit, TaskMove, TaskState
from web import routes

MB = 1024 * 1024
JUDGE_KEYS = {TaskMove.ACCEPT: "rd-accept", TaskMove.RETURN: "rd-return", TaskMove.REOPEN: "rd-reopen"}  # button keys
OTHER = 0  # the owner choice "someone without an account", named in the text box


def summary(found: Readiness) -> None:
    ready, predicted, done = st.columns(3)
    with ready.container(key="rd-ready-share"):
        st.metric("条款就绪率", f"{found.ready_share:.0f}%", help="全部任务已接受（或无需准备）的条款占比")
    with predicted.container(key="rd-predicted"):
        st.metric("按已接受的整改预计", f"{found.predicted.score:.2f} 分",
                  STAR_LABELS[found.predicted.star_by_score], delta_color="off")
    with done.container(key="rd-if-done"):
        st.metric("全部任务完成后预计", f"{found.if_done.score:.2f} 分", STAR_LABELS[found.if_done.star_by_score],
                  delta_color="off")
    st.caption(f"任务 {found.tasks} 项，未完成 {found.open_tasks} 项。预计得分按预评价的评分计算，已接受整改的条款计为符合，"
               "尚未评价且未就绪的条款不计入；仅供准备参考。")
    path = found.path
    if path.target is not None and path.steps:
        steps = "、".join(f"{s.code}（+{points_text(s.adds_score)}）" for s in path.steps)
        reach = "可达" if path.reachable else "仍不能达到"
        st.info(f"优先完成这些条款的整改{reach}{STAR_LABELS[path.target]}（{path.threshold} 分）：{steps}")
    st.plotly_chart(readiness_by_indicator(found.indicators), key="rd-indicator-chart", config=PLOTLY_CONFIG)


def _owner_fields(prefix: str, owners: list) -> Owner:
    names = {u.id: f"{u.display_name}（{u.username}）" for u in owners} | {OTHER: "其他人（在下面填写姓名）"}
    chosen = st.selectbox("负责人 *", list(names), format_func=names.get, index=None, key=f"{prefix}-owner",
                          placeholder=CHOOSE)
    name = st.text_input("负责人姓名（无账户时填写）", max_chars=100, key=f"{prefix}-owner-name")
    return Owner(user_id=None if chosen in (None, OTHER) else chosen, name=name)


def plan_forms(engagement_id: int, tree: Tree, owners: list) -> None:
    """The consultant turns the pre-audit into tasks, or adds one by hand."""
    with st.form("rd-generate-form", enter_to_submit=False):
        st.markdown("**由预评价生成整改计划**（未符合的条款和缺少的证据各成一项任务；再次生成只补充新的差距）")
        owner = _owner_fields("rd", owners)
        due = st.date_input("完成期限 *", value=local_today() + timedelta(days=30), key="rd-due")
        if st.form_submit_button("生成整改计划", type="primary", key="rd-generate"):
            with shown_errors(), db_session() as s:
                added = generate_plan(s, engagement_id=engagement_id, tree=tree, owner=owner, due=due, by=actor())
                flash(f"已生成整改计划：新增 {added} 项任务" if added else "没有新的差距，计划未变", "success")
                st.rerun()
    with st.expander("手动添加任务"), st.form("rd-add-form", border=False, enter_to_submit=False):
        codes = {leaf.code: f"{leaf.code} {leaf.name}" for leaf in tree.leaves()}
        code = st.selectbox("条款 *", list(codes), format_func=codes.get, index=None, key="rd-add-code",
                            placeholder=CHOOSE)
        title = st.text_area("要准备的内容 *", max_chars=Limit.REASON, key="rd-add-title", height=80)
        owner = _owner_fields("rd-add", owners)
        due = st.date_input("完成期限 *", value=local_today() + timedelta(days=30), key="rd-add-due")
        if st.form_submit_button("添加任务", key="rd-add"):
            with shown_errors(), db_session() as s:
                task = add_task(s, engagement_id=engagement_id, code=code or "", title=title, owner=owner, due=due,
                                tree=tree, by=actor())
                flash(f"已添加任务 {task.id}", "success")
                st.rerun()


def task_label(row: TaskRow, today: date) -> str:
    t = row.task
    late = " · 逾期" if is_overdue(t.state, t.due, today) else ""
    return f"#{t.id} · {t.code} · {t.title[:30]} · {TASK_STATE_LABELS[t.state]}{late}"


def task_table(rows: list[TaskRow], today: date) -> None:
    table([{"编号": r.task.id, "条款": r.task.code, "要准备的内容": r.task.title, "负责人": r.task.owner_name,
            "完成期限": r.task.due.isoformat(), "状态": TASK_STATE_LABELS[r.task.state], "文件": len(r.files),
            "逾期": "是" if is_overdue(r.task.state, r.task.due, today) else ""} for r in rows],
          empty="没有符合条件的任务。", key="rd-task-table")


def filtered(rows: list[TaskRow], today: date) -> list[TaskRow]:
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    states = left.multiselect("状态", list(TaskState), format_func=TASK_STATE_LABELS.get, key="rd-filter-state",
                              placeholder="全部状态")
    code = middle.text_input("条款", key="rd-filter-code", placeholder="如 5.1.2")
    late = right.checkbox("只看逾期", key="rd-filter-overdue")
    return [r for r in rows if (not states or r.task.state in states) and r.task.code.startswith(code.strip())
            and (not late or is_overdue(r.task.state, r.task.due, today))]


def _act(page: PageState, row: TaskRow, message: str, blanks: dict, move) -> None:
    """Call `move(session, version the form showed)`; a refusal keeps what was typed."""
    form = f"task-{row.task.id}"
    with shown_errors(), db_session() as s:
        try:
            moved = move(s, page.seen[form])
        except StaleEdit:
            page.saw(form, row.task.version)
            raise
        page.saw(form, moved.version)
        page.show_next(blanks)
        flash(message, "success")
        st.rerun()


def task_forms(page: PageState, row: TaskRow, tree: Tree, *, hand_in_allowed: bool, judge_allowed: bool) -> None:
    task = row.task
    page.version_shown(f"task-{task.id}", task.version)
    if hand_in_allowed and task.state in WAITING_FOR_CLIENT:
        _hand_in_form(page, row, tree)
    moves = judging_moves(task.state) if judge_allowed else []
    if moves:
        with st.form(f"rd-judge-form-{task.id}", enter_to_submit=False):
            st.markdown("**确认材料**")
            comment = st.text_area("意见（退回或重新打开时必填）", max_chars=Limit.TEXT, key=f"rd-comment-{task.id}",
                                   height=80)
            blanks = {f"rd-comment-{task.id}": ""}
            for column, move in zip(st.columns(len(moves)), moves, strict=True):
                label = TASK_MOVE_LABELS[move]
                if column.form_submit_button(label, key=f"{JUDGE_KEYS[move]}-{task.id}",
                                             type="primary" if move == TaskMove.ACCEPT else "secondary"):
                    _act(page, row, f"任务 {task.id} 已{label}", blanks, lambda s, version, move=move: judge_task(
                        s, task_id=task.id, move=move, comment=comment, expected_version=version, by=actor()))


def _hand_in_form(page: PageState, row: TaskRow, tree: Tree) -> None:
    """Served with the upload route, the files go to it first (above the form) and the form names them; else they
    come in Streamlit's uploader with the form."""
    task, chosen = row.task, f"rd-chosen-{row.task.id}"
    files = None
    if routes.ACTIVE:
        _streamed_files(task)
        with db_session() as s:
            files = {e.id: e.name for e in list_evidence(s, task.engagement_id, by=actor())}
    with st.form(f"rd-handin-form-{task.id}", clear_on_submit=files is None, enter_to_submit=False):
        st.markdown("**提交准备好的材料**（文件作为预评价的证据保存，并关联到本条款）")
        new, named = None, []
        if files is None:
            new = st.file_uploader("选择文件（可多选）", accept_multiple_files=True, key=f"rd-files-{task.id}")
            upload_note(None, max_bytes() // MB)
        else:
            named = st.multiselect("提交的文件 *（上面上传的已选入，也可选择本项目已有的文件）", list(files),
                                   format_func=files.get, key=chosen, placeholder=CHOOSE_MANY, select_all=False)
        note = st.text_input("说明", max_chars=Limit.TEXT, key=f"rd-note-{task.id}")
        if st.form_submit_button("提交材料", type="primary", key=f"rd-handin-{task.id}"):
            blanks = {} if files is None else {chosen: [], f"rd-note-{task.id}": ""}  # else cleared on submit
            _act(page, row, f"任务 {task.id} 的材料已提交，等待咨询师确认", blanks, lambda s, version: hand_in(
                s, evidence_store(), task_id=task.id, files=[(f.name, f) for f in new or []], evidence_ids=named,
                note=note, expected_version=version, tree=tree, by=actor(), max_bytes=max_bytes()))


def _streamed_files(task: PreparationTask) -> None:
    """Each file is kept as the pre-audit's evidence on the task's clause (and item) as soon as it arrives, and is
    chosen in the form's list below, to go with the hand-in."""
    chosen = f"rd-chosen-{task.id}"
    items = () if task.item is None else (("items", str(task.item)),)
    got = streamed_upload(f"rd-upload-{task.id}", "上传材料（上传后即保存为本项目的证据，并选入下面的列表）",
                          f"/uploads/evidence/{task.engagement_id}", types=list(EXTENSIONS),
                          max_mb=max_bytes() // MB,
                          query=[("codes", task.code), ("code", task.code), *items, ("note", task_note(task.id))])
    upload_note(list(EXTENSIONS), max_bytes() // MB)
    choose_saved(got, chosen)
