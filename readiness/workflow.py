"""A preparation task's moves as a table: who may move it from which state to which.

    open ──submit──▶ submitted ──accept──▶ accepted ──reopen──▶ open
                        │   ▲
                    return  submit
                        ▼   │
                      returned

The client (or the consultant for them) hands in what was prepared; the consultant accepts it or returns it
with a comment saying what is missing; an accepted task may be reopened with a comment when the work turns out
not to hold. Returning and reopening need a comment.
"""
from __future__ import annotations

from errors import InvalidInput, InvalidTransition
from vocabulary import TASK_MOVE_LABELS, TASK_STATE_LABELS, TaskMove, TaskState

TRANSITIONS: dict[tuple[TaskState, TaskMove], TaskState] = {
    (TaskState.OPEN, TaskMove.SUBMIT): TaskState.SUBMITTED,
    (TaskState.RETURNED, TaskMove.SUBMIT): TaskState.SUBMITTED,
    (TaskState.SUBMITTED, TaskMove.ACCEPT): TaskState.ACCEPTED,
    (TaskState.SUBMITTED, TaskMove.RETURN): TaskState.RETURNED,
    (TaskState.ACCEPTED, TaskMove.REOPEN): TaskState.OPEN,
}
CONSULTANT_MOVES = {TaskMove.ACCEPT, TaskMove.RETURN, TaskMove.REOPEN}  # the preparer hands in, the consultant judges
NEEDS_COMMENT = {TaskMove.RETURN, TaskMove.REOPEN}
DONE = {TaskState.ACCEPTED}
WAITING_FOR_CLIENT = {TaskState.OPEN, TaskState.RETURNED}


def check_move(state: TaskState, move: TaskMove, *, comment: str = "") -> TaskState:
    """The state `move` leads to from `state`; InvalidTransition when the table forbids it, InvalidInput when a
    return or a reopening has no comment."""
    target = TRANSITIONS.get((TaskState(state), TaskMove(move)))
    if target is None:
        raise InvalidTransition(f"任务处于“{TASK_STATE_LABELS[TaskState(state)]}”状态，不能{TASK_MOVE_LABELS[TaskMove(move)]}")
    if move in NEEDS_COMMENT and not comment.strip():
        raise InvalidInput(f"{TASK_MOVE_LABELS[TaskMove(move)]}时请写明原因或还缺什么")
    return target


def judging_moves(state: TaskState) -> list[TaskMove]:
    """The consultant's moves the table allows from `state`, in the table's order (what the page offers)."""
    return [move for (source, move) in TRANSITIONS if source == state and move in CONSULTANT_MOVES]


def is_overdue(state: TaskState, due, today) -> bool:
    """Overdue: the task is still waiting for the client and its due date has passed."""
    return due is not None and due < today and state in WAITING_FOR_CLIENT
