"""The engagement status workflow: every (status, move) pair of both tables, allowed or refused by name."""
import pytest

from audits.status_workflow import Move, check_move, move_to
from errors import InvalidTransition
from vocabulary import EngagementKind, EngagementStatus

P, W, R, D, C = (EngagementStatus.PLANNED, EngagementStatus.IN_PROGRESS, EngagementStatus.REPORTED,
                 EngagementStatus.DECIDED, EngagementStatus.CLOSED)
CERTIFICATION = {(P, Move.START): W, (W, Move.ISSUE): R, (R, Move.REOPEN): W, (R, Move.DECIDE): D,
                 (D, Move.CLOSE): C}
PRE_AUDIT = {(P, Move.START): W, (W, Move.CLOSE): C}
PAIRS = [(kind, status, move) for kind in EngagementKind for status in EngagementStatus for move in Move]


@pytest.mark.parametrize("kind, status, move", PAIRS)
def test_every_status_and_move(kind, status, move):
    allowed = PRE_AUDIT if kind == EngagementKind.PRE_AUDIT else CERTIFICATION
    if (status, move) in allowed:
        assert check_move(status, move, kind=kind) == allowed[(status, move)]
        assert move_to(status, allowed[(status, move)], kind=kind) == move
    else:
        with pytest.raises(InvalidTransition, match="评价项目处于“.+”状态，不能"):
            check_move(status, move, kind=kind)


def test_a_status_no_move_reaches_is_refused_naming_both():
    with pytest.raises(InvalidTransition, match="不能从“计划中”直接变为“已作出认证决定”"):
        move_to(P, D, kind=EngagementKind.INITIAL)
