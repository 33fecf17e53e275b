"""The company representative's acknowledgement of a nonconformity and the company's planned completion date
(domain brief A5).

The client contact records it, or the team does on the client's behalf when the representative signed the paper
report; the record keeps who signed, on which day, their remark, and the user who entered it. The planned
completion is the company's own date: not in the past and not after the rectification deadline. Recording it
does not move the workflow: the nonconformity's state and version stay, a step is added to its history and one
row to the audit log. Closed nonconformities and observations take no acknowledgement.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session

from accounts import audit_log
from accounts.access import permits
from accounts.actor import Actor
from accounts.policy import Action
from audits.scope import engagement_scope
from errors import InvalidInput
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.services import carried_into, get_nonconformity
from nonconformities.workflow import DONE, Event
from records.models import Engagement
from textclean import clean_text
from timefmt import local_date, local_today
from vocabulary import NC_STATE_LABELS, Limit

REPRESENTATIVE_LIMIT = 100  # the column's length: a person's name


def acknowledging_action(session: Session, nc: Nonconformity, by: Actor) -> Action | None:
    """The right under which `by` records the acknowledgement: the client's own answer, else the team's
    (rating) on the client's behalf; None when neither, or when the nonconformity takes none."""
    if nc.state in DONE:
        return None
    engagement = session.get(Engagement, nc.engagement_id)
    if permits(session, by, Action.ANSWER_NONCONFORMITY, engagement=engagement):
        return Action.ANSWER_NONCONFORMITY
    if permits(session, by, Action.RATE, engagement=engagement) or carried_into(session, nc, Action.RATE, by=by):
        return Action.RATE
    return None


def may_acknowledge(session: Session, nc: Nonconformity, by: Actor) -> bool:
    return acknowledging_action(session, nc, by) is not None


def acknowledge_nonconformity(session: Session, *, nc_id: int, representative: str, planned_completion: date | None,
                              by: Actor, acknowledged_on: date | None = None, remark: str = "",
                              today: date | None = None) -> Nonconformity:
    """Record (or correct) the representative's acknowledgement and the planned completion date."""
    nc = get_nonconformity(session, nc_id, by=by)
    today = today or local_today()
    acknowledged_on = acknowledged_on or today
    representative = clean_text(representative)
    if not representative or len(representative) > REPRESENTATIVE_LIMIT:
        raise InvalidInput(f"请填写确认的企业代表姓名（不超过 {REPRESENTATIVE_LIMIT} 个字符）")
    remark = clean_text(remark)
    if len(remark) > Limit.TEXT:
        raise InvalidInput(f"确认说明过长（上限 {Limit.TEXT} 字）")
    action = acknowledging_action(session, nc, by) or Action.ANSWER_NONCONFORMITY  # the scope refuses the rest
    via = carried_into(session, nc, action, by=by) if action == Action.RATE else None
    with engagement_scope(session, nc.engagement_id, action, by=by, via=via) as scope:
        if nc.state in DONE:
            raise InvalidInput(f"NC-{nc.number:02d} 处于“{NC_STATE_LABELS[nc.state]}”状态，无需企业确认")
        raised = local_date(nc.raised_at)
        if not raised <= acknowledged_on <= today:
            raise InvalidInput(f"确认日期应在开具日期 {raised} 与今天 {today} 之间")
        if planned_completion is not None and planned_completion != nc.planned_completion:
            if planned_completion < today:
                raise InvalidInput(f"计划完成日期 {planned_completion} 已过，请填写今天或以后的日期")
            if nc.due_date is not None and planned_completion > nc.due_date:
                raise InvalidInput(f"计划完成日期 {planned_completion} 晚于整改期限 {nc.due_date}，"
                                   "请在期限内安排，或请审查组长变更整改期限")
        after = {"acknowledged_by": representative, "acknowledged_on": acknowledged_on,
                 "acknowledgement_note": remark or None, "planned_completion": planned_completion}
        if all(getattr(nc, key) == value for key, value in after.items()):
            return nc
        for key, value in after.items():
            setattr(nc, key, value)
        nc.acknowledgement_entered_by = by.name
        session.add(nc)
        session.add(NcEvent(nonconformity_id=nc.id, event=Event.ACKNOWLEDGE, from_state=nc.state,
                            to_state=nc.state, comment=remark, by=by.name,
                            details={"acknowledged_by": representative, "acknowledged_on": acknowledged_on.isoformat(),
                                     "planned_completion": planned_completion.isoformat() if planned_completion
                                     else None}))
        scope.audit(audit_log.Event.NC_ACKNOWLEDGED, target=f"评价项目 {nc.engagement_id} / NC-{nc.number:02d}",
                    detail=f"{representative} {acknowledged_on} 确认；计划完成 {planned_completion or '未填'}")
    return nc
