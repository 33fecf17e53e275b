"""The preparation task's moves: every (state, move) pair is either in the table or refused."""
from datetime import date

import pytest

from errors import InvalidInput, InvalidTransition
from readiness.workflow import TRANSITIONS, check_move, is_overdue, judging_moves
from vocabulary import TaskMove, TaskState

PAIRS = [(state, move) for state in TaskState for move in TaskMove]


@pytest.mark.parametrize("state, move", PAIRS, ids=[f"{s}-{m}" for s, m in PAIRS])
def test_every_pair_moves_as_the_table_says_or_is_refused(state, move):
    if (state, move) in TRANSITIONS:
        assert check_move(state, move, comment="缺少签字页") == TRANSITIONS[(state, move)]
    else:
        with pytest.raises(InvalidTransition, match="任务处于"):
            check_move(state, move, comment="缺少签字页")


def test_the_table_is_the_drawn_workflow():
    assert TRANSITIONS == {
        (TaskState.OPEN, TaskMove.SUBMIT): TaskState.SUBMITTED,
        (TaskState.RETURNED, TaskMove.SUBMIT): TaskState.SUBMITTED,
        (TaskState.SUBMITTED, TaskMove.ACCEPT): TaskState.ACCEPTED,
        (TaskState.SUBMITTED, TaskMove.RETURN): TaskState.RETURNED,
        (TaskState.ACCEPTED, TaskMove.REOPEN): TaskState.OPEN,
    }


@pytest.mark.parametrize("state, move", [(TaskState.SUBMITTED, TaskMove.RETURN), (TaskState.ACCEPTED, TaskMove.REOPEN)])
def test_returning_or_reopening_needs_a_comment(state, move):
    with pytest.raises(InvalidInput, match="请写明"):
        check_move(state, move, comment="  ")


def test_a_task_is_overdue_only_while_it_waits_for_the_client():
    today, past = date(2026, 12, 1), date(2026, 11, 30)
    assert is_overdue(TaskState.OPEN, past, today) and is_overdue(TaskState.RETURNED, past, today)
    assert not is_overdue(TaskState.SUBMITTED, past, today) and not is_overdue(TaskState.ACCEPTED, past, today)
    assert not is_overdue(TaskState.OPEN, today, today)


def test_the_consultant_is_offered_exactly_the_moves_the_table_allows():
    assert judging_moves(TaskState.SUBMITTED) == [TaskMove.ACCEPT, TaskMove.RETURN]
    assert judging_moves(TaskState.ACCEPTED) == [TaskMove.REOPEN]
    assert judging_moves(TaskState.OPEN) == [] and judging_moves(TaskState.RETURNED) == []  # the client's turn
    for state in TaskState:
        for move in judging_moves(state):
            check_move(state, move, comment="原因")  # every move offered is one the table accepts
