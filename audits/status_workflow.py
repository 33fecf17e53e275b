"""The engagement status workflow as a table: which move may take which status to which, and who may make it.

    planned ──start──▶ in_progress ──issue──▶ reported ──decide──▶ decided ──close──▶ closed
                            ▲                     │
                            └──────reopen─────────┘

`issue` is recording the team's recommendation (the lead assessor), `reopen` withdraws it with a written reason
(the lead assessor), `decide` is the certification decision (a decision maker who was not on the team): each has
its own use case in audits/decisions.py and dossier/recommendation.py. `start` and `close` are plain status
changes. A pre-audit carries no recommendation or decision: it closes straight from in progress.

Starting the on-site evaluation of an initial certification or a recertification needs the document review
(文件审查) first (domain brief A6): the latest review passed, or the lead wrote why both run together
(`start_refusal`). Pre-audits, surveillance and special audits start without one. Pure: no database.
"""
from __future__ import annotations

from enum import StrEnum

from errors import InvalidTransition
from vocabulary import KIND_LABELS, REVIEW_RESULT_LABELS, STATUS_LABELS, EngagementKind, EngagementStatus, ReviewResult


class Move(StrEnum):
    START = "start"
    ISSUE = "issue"
    REOPEN = "reopen"
    DECIDE = "decide"
    CLOSE = "close"


MOVE_LABELS = {Move.START: "开始评价", Move.ISSUE: "记录推荐意见并出具结果", Move.REOPEN: "撤回推荐意见、重新开放",
               Move.DECIDE: "作出认证决定", Move.CLOSE: "关闭项目"}

TRANSITIONS: dict[tuple[EngagementStatus, Move], EngagementStatus] = {
    (EngagementStatus.PLANNED, Move.START): EngagementStatus.IN_PROGRESS,
    (EngagementStatus.IN_PROGRESS, Move.ISSUE): EngagementStatus.REPORTED,
    (EngagementStatus.REPORTED, Move.REOPEN): EngagementStatus.IN_PROGRESS,
    (EngagementStatus.REPORTED, Move.DECIDE): EngagementStatus.DECIDED,
    (EngagementStatus.DECIDED, Move.CLOSE): EngagementStatus.CLOSED,
}
PRE_AUDIT_TRANSITIONS: dict[tuple[EngagementStatus, Move], EngagementStatus] = {
    (EngagementStatus.PLANNED, Move.START): EngagementStatus.IN_PROGRESS,
    (EngagementStatus.IN_PROGRESS, Move.CLOSE): EngagementStatus.CLOSED,
}
# Moves that carry a record of their own (a recommendation, a reason, a decision): never a bare status change.
OWN_USE_CASE = frozenset({Move.ISSUE, Move.REOPEN, Move.DECIDE})


def table_for(kind: str) -> dict[tuple[EngagementStatus, Move], EngagementStatus]:
    return PRE_AUDIT_TRANSITIONS if kind == EngagementKind.PRE_AUDIT else TRANSITIONS


def check_move(status: str, move: str, *, kind: str) -> EngagementStatus:
    """The status `move` leads to from `status`; InvalidTransition naming both when the table forbids it."""
    target = table_for(kind).get((EngagementStatus(status), Move(move)))
    if target is None:
        raise InvalidTransition(f"评价项目处于“{STATUS_LABELS[EngagementStatus(status)]}”状态，"
                                f"不能{MOVE_LABELS[Move(move)]}")
    return target


def move_to(status: str, target: str, *, kind: str) -> Move:
    """The move that takes `status` to `target`; InvalidTransition when there is none."""
    for (source, move), reached in table_for(kind).items():
        if source == status and reached == target:
            return move
    raise InvalidTransition(f"评价项目不能从“{STATUS_LABELS[EngagementStatus(status)]}”"
                            f"直接变为“{STATUS_LABELS[EngagementStatus(target)]}”")


REVIEW_FIRST = frozenset({EngagementKind.INITIAL, EngagementKind.RECERTIFICATION})


def start_refusal(kind: str, review_result: str | None, concurrent_reason: str = "") -> str:
    """Why the on-site evaluation may not start yet, given the latest document review's result (None: none
    recorded) and the lead's reason for running both together; "" when it may."""
    if kind not in REVIEW_FIRST or review_result == ReviewResult.PASSED or concurrent_reason.strip():
        return ""
    state = "尚未记录文件审查" if review_result is None else \
        f"最近一次文件审查结果为“{REVIEW_RESULT_LABELS[ReviewResult(review_result)]}”"
    return (f"{KIND_LABELS[EngagementKind(kind)]}须在文件审查通过后才能开始现场评价：{state}。请在“评价准备”页记录"
            "通过的文件审查；如文件审查与现场评价同时进行，请审查组长写明理由。")
