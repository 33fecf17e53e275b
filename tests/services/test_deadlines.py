"""Deadline changes: only whoever manages the engagement, never before the day raised, never once closed; each
change is in the nonconformity's history (who, before, after, why) and in the audit log."""
from datetime import date

import pytest

from accounts.audit_log import Event as Logged
from accounts.users import audit_events
from dossier.demo import load_demo_if_empty
from errors import InvalidInput
from nonconformities.models import Nonconformity
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    nc_history,
    raise_nonconformity,
    register,
    set_deadline,
    submit_rectification,
)
from nonconformities.workflow import Event
from tests.factories import actor, default_tree
from timefmt import local_date

TREE = default_tree()


def raise_general(db, engagement, by, today=date(2026, 11, 4)):
    return raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                               finding="改进措施未验证效果", by=by, today=today)


def test_a_deadline_change_is_kept_in_the_history_and_the_audit_log(db, people):
    engagement, who = people
    nc = raise_general(db, engagement, who["zhang"])
    set_deadline(db, nc_id=nc.id, due_date=date(2027, 1, 15), reason="企业申请延期，需采购设备", by=who["zhang"])
    step = nc_history(db, nc.id, by=who["zhang"])[-1]
    assert (step.event, step.by, step.comment) == (Event.DEADLINE, who["zhang"].name, "企业申请延期，需采购设备")
    assert step.details == {"due_before": "2026-12-04", "due_after": "2027-01-15"}
    assert step.from_state == step.to_state == nc.state and nc.version == 0  # not a move: open forms stay valid
    logged = audit_events(db, by=actor(), action=Logged.DEADLINE_CHANGED)[0]
    assert logged.detail == "2026-12-04 → 2027-01-15：企业申请延期，需采购设备" and "NC-01" in logged.target


def test_a_deadline_before_the_day_raised_is_refused(db, people):
    engagement, who = people
    nc = raise_general(db, engagement, who["zhang"])
    with pytest.raises(InvalidInput, match="不能早于开具日期 2026-11-04"):
        set_deadline(db, nc_id=nc.id, due_date=date(2026, 11, 3), by=who["zhang"])
    assert nc_history(db, nc.id, by=who["zhang"]) == []


def test_a_closed_nonconformity_keeps_its_deadline(db, people):
    engagement, who = people
    nc = raise_general(db, engagement, who["zhang"])
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措", evidence_ids=[],
                         expected_version=0, by=who["client"])
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=who["zhang"])
    close_nonconformity(db, nc_id=nc.id, verification="documents", note="已验证", expected_version=2, by=who["zhang"])
    with pytest.raises(InvalidInput, match="不能再变更整改期限"):
        set_deadline(db, nc_id=nc.id, due_date=date(2027, 1, 31), by=who["zhang"])


def test_no_demo_nonconformity_is_due_before_the_day_it_was_raised(db):
    load_demo_if_empty(db, TREE)
    rows = register(db, by=actor())
    assert rows
    for row in rows:
        nc = db.get(Nonconformity, row.id)
        assert nc.due_date is None or nc.due_date >= local_date(nc.raised_at), (nc.number, nc.due_date, nc.raised_at)
