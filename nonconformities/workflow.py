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


class State(StrEnum):
    RAISED = "raised"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    NOTED = "noted"


class Event(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    CLOSE = "close"


class Side(StrEnum):
    CLIENT = "client"
    ASSESSOR = "assessor"


class Verification(StrEnum):
    ON_SITE = "on_site"
    DOCUMENTS = "documents"


STATE_LABELS = {State.RAISED: "待整改", State.SUBMITTED: "已提交整改", State.RETURNED: "已退回",
                State.ACCEPTED: "整改已接受，待验证", State.CLOSED: "已关闭", State.NOTED: "观察项（无需整改）"}
EVENT_LABELS = {Event.SUBMIT: "提交整改", Event.RETURN: "退回整改", Event.ACCEPT: "接受整改", Event.CLOSE: "验证并关闭"}
VERIFICATION_LABELS = {Verification.ON_SITE: "现场验证", Verification.DOCUMENTS: "文件验证"}

TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.RAISED, Event.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Event.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Event.RETURN): State.RETURNED,
    (State.SUBMITTED, Event.ACCEPT): State.ACCEPTED,
    (State.ACCEPTED, Event.CLOSE): State.CLOSED,
}
ACTOR_SIDE = {Event.SUBMIT: Side.CLIENT, Event.RETURN: Side.ASSESSOR, Event.ACCEPT: Side.ASSESSOR,
              Event.CLOSE: Side.ASSESSOR}
OPEN_FOR_CLIENT = {State.RAISED, State.RETURNED}
DONE = {State.CLOSED, State.NOTED}


def check_transition(state: State, event: Event, *, severity: str, verification: str | None = None) -> State:
    """The state `event` leads to from `state`; InvalidTransition when the table (or the rule) forbids it."""
    target = TRANSITIONS.get((State(state), Event(event)))
    if target is None:
        raise InvalidTransition(f"不符合项处于“{STATE_LABELS[State(state)]}”状态，不能{EVENT_LABELS[Event(event)]}")
    if event == Event.CLOSE and severity == "serious" and verification != Verification.ON_SITE:
        raise InvalidTransition("严重不符合必须经现场验证后才能关闭")
    if event == Event.CLOSE and verification not in set(Verification):
        raise InvalidTransition("关闭不符合项必须记录验证方式")
    return target


def initial_state(severity: str) -> State:
    return State.NOTED if severity == "observation" else State.RAISED


def is_overdue(state: State, due, today) -> bool:
    """Overdue: the client still owes a rectification and the deadline has passed."""
    return due is not None and due < today and state in OPEN_FOR_CLIENT  # a StrEnum set holds the plain text too
