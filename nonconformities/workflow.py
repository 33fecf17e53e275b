"""The nonconformity workflow as a table: which event may move which state to which, and who acts.

    raised ──submit──▶ submitted ──accept──▶ accepted ──close──▶ closed
                          │   ▲
                      return  submit
                          ▼   │
                        returned

The client submits a rectification (cause, correction, corrective action, evidence); the assessor returns it
with a reason or accepts it; closing records the verification, which for a serious nonconformity must be done
on site. An observation (观察项) needs no rectification: it is created `noted` and never moves.
"""
from __future__ import annotations

from enum import StrEnum

from errors import InvalidTransition
from vocabulary import NC_STATE_LABELS, NcState, Severity


class Event(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    CLOSE = "close"
    DEADLINE = "deadline"  # not a move: the lead changes the deadline; kept in the history with who and why
    ACKNOWLEDGE = "acknowledge"  # not a move: the company's representative signs it, with a planned completion


class Side(StrEnum):
    CLIENT = "client"
    ASSESSOR = "assessor"


class Verification(StrEnum):
    ON_SITE = "on_site"
    DOCUMENTS = "documents"


EVENT_LABELS = {Event.SUBMIT: "提交整改", Event.RETURN: "退回整改", Event.ACCEPT: "接受整改", Event.CLOSE: "验证并关闭",
                Event.DEADLINE: "变更整改期限", Event.ACKNOWLEDGE: "企业确认"}
VERIFICATION_LABELS = {Verification.ON_SITE: "现场验证", Verification.DOCUMENTS: "文件验证"}

TRANSITIONS: dict[tuple[NcState, Event], NcState] = {
    (NcState.RAISED, Event.SUBMIT): NcState.SUBMITTED,
    (NcState.RETURNED, Event.SUBMIT): NcState.SUBMITTED,
    (NcState.SUBMITTED, Event.RETURN): NcState.RETURNED,
    (NcState.SUBMITTED, Event.ACCEPT): NcState.ACCEPTED,
    (NcState.ACCEPTED, Event.CLOSE): NcState.CLOSED,
}
ACTOR_SIDE = {Event.SUBMIT: Side.CLIENT, Event.RETURN: Side.ASSESSOR, Event.ACCEPT: Side.ASSESSOR,
              Event.CLOSE: Side.ASSESSOR}
OPEN_FOR_CLIENT = {NcState.RAISED, NcState.RETURNED}
DONE = {NcState.CLOSED, NcState.NOTED}


def check_transition(state: NcState, event: Event, *, severity: str, verification: str | None = None) -> NcState:
    """The state `event` leads to from `state`; InvalidTransition when the table (or the rule) forbids it."""
    target = TRANSITIONS.get((NcState(state), Event(event)))
    if target is None:
        raise InvalidTransition(f"不符合项处于“{NC_STATE_LABELS[NcState(state)]}”状态，不能{EVENT_LABELS[Event(event)]}")
    if event == Event.CLOSE and severity == Severity.SERIOUS and verification != Verification.ON_SITE:
        raise InvalidTransition("严重不符合必须经现场验证后才能关闭")
    if event == Event.CLOSE and verification not in set(Verification):
        raise InvalidTransition("关闭不符合项必须记录验证方式")
    return target


def initial_state(severity: str) -> NcState:
    return NcState.NOTED if severity == Severity.OBSERVATION else NcState.RAISED


def is_overdue(state: NcState, due, today) -> bool:
    """Overdue: the client still owes a rectification and the deadline has passed."""
    return due is not None and due < today and state in OPEN_FOR_CLIENT  # a StrEnum set holds the plain text too
