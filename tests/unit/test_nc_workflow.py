"""The nonconformity workflow: every allowed transition works, every other one raises."""
from datetime import date
from itertools import product

import pytest

from errors import InvalidTransition
from nonconformities.workflow import (
    TRANSITIONS,
    Event,
    Verification,
    check_transition,
    initial_state,
    is_overdue,
)
from vocabulary import NcState

ALLOWED = {
    (NcState.RAISED, Event.SUBMIT): NcState.SUBMITTED,
    (NcState.RETURNED, Event.SUBMIT): NcState.SUBMITTED,
    (NcState.SUBMITTED, Event.RETURN): NcState.RETURNED,
    (NcState.SUBMITTED, Event.ACCEPT): NcState.ACCEPTED,
    (NcState.ACCEPTED, Event.CLOSE): NcState.CLOSED,
}


def test_the_table_is_exactly_the_documented_workflow():
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize("state, event", list(product(NcState, Event)))
def test_every_pair_of_state_and_event(state, event):
    if (state, event) in ALLOWED:
        assert check_transition(state, event, severity="general", verification=Verification.DOCUMENTS) \
            == ALLOWED[(state, event)]
    else:
        with pytest.raises(InvalidTransition, match="不能"):
            check_transition(state, event, severity="general", verification=Verification.DOCUMENTS)


def test_a_serious_nonconformity_closes_only_after_on_site_verification():
    with pytest.raises(InvalidTransition, match="现场验证"):
        check_transition(NcState.ACCEPTED, Event.CLOSE, severity="serious", verification=Verification.DOCUMENTS)
    assert check_transition(NcState.ACCEPTED, Event.CLOSE, severity="serious",
                            verification=Verification.ON_SITE) == NcState.CLOSED


def test_closing_needs_a_verification_method():
    with pytest.raises(InvalidTransition, match="验证方式"):
        check_transition(NcState.ACCEPTED, Event.CLOSE, severity="general", verification=None)


def test_an_observation_starts_noted_and_cannot_move():
    assert initial_state("observation") == NcState.NOTED and initial_state("serious") == NcState.RAISED
    for event in Event:
        with pytest.raises(InvalidTransition):
            check_transition(NcState.NOTED, event, severity="observation", verification=Verification.ON_SITE)


@pytest.mark.parametrize("state, due, overdue", [
    (NcState.RAISED, date(2026, 11, 1), True), (NcState.RETURNED, date(2026, 11, 1), True),
    (NcState.RAISED, date(2026, 11, 22), False), (NcState.SUBMITTED, date(2026, 11, 1), False),
    (NcState.CLOSED, date(2026, 11, 1), False), (NcState.RAISED, None, False),
])
def test_overdue_means_the_client_still_owes_a_rectification_past_its_deadline(state, due, overdue):
    assert is_overdue(state, due, date(2026, 11, 22)) is overdue
