"""What needs a user's attention: nonconformities waiting for them, and deadlines close at hand."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from accounts.access import acting_role
from accounts.actor import Actor
from nonconformities.services import RegisterRow, register
from nonconformities.workflow import OPEN_FOR_CLIENT
from timefmt import local_today
from vocabulary import NcState, Role

SOON = timedelta(days=7)


@dataclass(frozen=True)
class Attention:
    row: RegisterRow
    reason: str


def attention(session: Session, *, by: Actor, today: date | None = None) -> list[Attention]:
    """Decided from the user's current role in the database, like every access check."""
    today = today or local_today()
    waiting_for = {Role.CLIENT: {NcState.RAISED: "新的不符合项，待您整改", NcState.RETURNED: "整改被退回，请重新提交"},
                   Role.ASSESSOR: {NcState.SUBMITTED: "企业已提交整改，待您审核", NcState.ACCEPTED: "整改已接受，待验证关闭"},
                   Role.CONSULTANT: {NcState.SUBMITTED: "企业已提交整改，待您审核", NcState.ACCEPTED: "整改已接受，待验证关闭"},
                   }.get(acting_role(session, by)[0], {})
    items = []
    for row in register(session, by=by, today=today):
        if row.overdue:
            items.append(Attention(row, f"已逾期（期限 {row.due_date}）"))
        elif row.state in waiting_for:
            items.append(Attention(row, waiting_for[row.state]))
        elif row.state in OPEN_FOR_CLIENT and row.due_date and row.due_date - today <= SOON:
            items.append(Attention(row, f"整改期限将至（{row.due_date}）"))
    return items
