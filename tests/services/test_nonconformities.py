"""Nonconformities on a real database: raising, the client's answer, return, acceptance, closure, the register."""
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dossier.assessment import engagement_result
from errors import AccessDenied, InvalidInput, InvalidTransition, StaleEdit
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    nc_history,
    raise_nonconformity,
    record_special_item,
    register,
    return_rectification,
    set_deadline,
    special_item_nonconformities,
    submit_rectification,
)
from scoring import Decision
from tests.factories import actor, default_tree
from timefmt import local_today

TREE = default_tree()
SYSTEM = actor("系统")


def raise_serious(db, engagement, by, today=date(2026, 11, 4)):
    return raise_nonconformity(db, engagement_id=engagement.id, severity="serious", code="5.1.6.b", tree=TREE,
                               finding="3 项改进措施均未验证效果", by=by, today=today)


def decision(db, engagement):
    return engagement_result(db, engagement.id, TREE, by=SYSTEM).decision


def test_the_whole_way_from_finding_to_closure_with_the_decision_following(db, people):
    engagement, who = people
    assert decision(db, engagement) == Decision.GRANTED
    nc = raise_serious(db, engagement, who["zhang"])
    assert (nc.number, nc.state, nc.due_date) == (1, "raised", date(2026, 12, 4))
    assert nc.requirement == TREE.node("5.1.6.b").requirement
    assert decision(db, engagement) == Decision.WITHHELD
    answer = {"cause": "未建立验证机制", "correction": "补做验证", "corrective_action": "制定改进验证程序"}
    nc = submit_rectification(db, nc_id=nc.id, evidence_ids=[], expected_version=0, by=who["client"], **answer)
    nc = return_rectification(db, nc_id=nc.id, reason="缺少验证记录", expected_version=1, by=who["li"])
    nc = submit_rectification(db, nc_id=nc.id, evidence_ids=[], expected_version=2, by=who["client"], **answer)
    nc = accept_rectification(db, nc_id=nc.id, comment="", expected_version=3, by=who["zhang"])
    assert decision(db, engagement) == Decision.WITHHELD
    nc = close_nonconformity(db, nc_id=nc.id, verification="on_site", note="现场查看验证记录有效",
                             expected_version=4, by=who["zhang"])
    assert nc.state == "closed" and decision(db, engagement) == Decision.GRANTED
    steps = [(e.event, e.from_state, e.to_state, e.by) for e in nc_history(db, nc.id, by=who["client"])]
    assert steps == [("submit", "raised", "submitted", "王经理"), ("return", "submitted", "returned", "李评审"),
                     ("submit", "returned", "submitted", "王经理"), ("accept", "submitted", "accepted", "张审查"),
                     ("close", "accepted", "closed", "张审查")]
    assert nc_history(db, nc.id, by=who["zhang"])[1].comment == "缺少验证记录"


def test_each_side_does_only_its_own_steps(db, people):
    engagement, who = people
    with pytest.raises(AccessDenied):
        raise_serious(db, engagement, who["client"])
    nc = raise_serious(db, engagement, who["zhang"])
    with pytest.raises(AccessDenied):
        submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                             expected_version=0, by=who["zhang"])
    with pytest.raises(InvalidTransition):
        accept_rectification(db, nc_id=nc.id, comment="", expected_version=0, by=who["zhang"])
    submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                         expected_version=0, by=who["client"])
    with pytest.raises(AccessDenied):
        accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=who["client"])


def test_a_serious_nonconformity_needs_on_site_verification_to_close(db, people):
    engagement, who = people
    nc = raise_serious(db, engagement, who["zhang"])
    submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                         expected_version=0, by=who["client"])
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=who["zhang"])
    with pytest.raises(InvalidTransition, match="现场验证"):
        close_nonconformity(db, nc_id=nc.id, verification="documents", note="看了文件", expected_version=2,
                            by=who["zhang"])
    with pytest.raises(StaleEdit):
        close_nonconformity(db, nc_id=nc.id, verification="on_site", note="现场", expected_version=1, by=who["zhang"])


def test_raising_needs_a_finding_against_the_clause_or_a_special_deduction(db, people):
    engagement, who = people
    with pytest.raises(InvalidInput, match="未被评为不符合"):
        raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.1.1", tree=TREE,
                            finding="x", by=who["zhang"])
    with pytest.raises(InvalidInput, match="不符合事实描述"):
        raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                            finding=" ", by=who["zhang"])
    observation = raise_nonconformity(db, engagement_id=engagement.id, severity="observation", code="5.1.1.1",
                                      tree=TREE, finding="可进一步细化岗位说明", by=who["zhang"])
    assert (observation.state, observation.due_date) == ("noted", None)
    item = record_special_item(db, engagement_id=engagement.id, kind="deduction", category="law", reason="违规收费",
                               tree=TREE, by=who["zhang"])
    assert special_item_nonconformities(db, engagement.id, by=who["zhang"]) == {item.id: 2}  # raised with it
    with pytest.raises(InvalidInput, match="已开具 NC-02"):
        raise_nonconformity(db, engagement_id=engagement.id, severity="general", special_item_id=item.id,
                            tree=TREE, finding="维修收费高于公示价格", by=who["zhang"])


def test_the_register_shows_overdue_ones_and_filters(db, people):
    engagement, who = people
    old = raise_serious(db, engagement, who["zhang"], today=local_today() - timedelta(days=40))
    raise_serious(db, engagement, who["zhang"])
    rows = register(db, by=who["client"])
    assert [(r.number, r.overdue) for r in rows] == [(2, False), (1, True)]
    assert [r.id for r in register(db, by=who["zhang"], overdue_only=True)] == [old.id]
    assert register(db, by=who["zhang"], severity="general") == []


def test_only_the_lead_assessor_changes_a_deadline(db, people):
    engagement, who = people
    nc = raise_serious(db, engagement, who["zhang"])
    with pytest.raises(AccessDenied):
        set_deadline(db, nc_id=nc.id, due_date=date(2027, 1, 31), by=who["li"])
    assert set_deadline(db, nc_id=nc.id, due_date=date(2027, 1, 31), by=who["zhang"]).due_date == date(2027, 1, 31)


def test_the_history_cannot_be_rewritten(db, people):
    engagement, who = people
    nc = raise_serious(db, engagement, who["zhang"])
    submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                         expected_version=0, by=who["client"])
    with pytest.raises(DBAPIError, match="append-only"):
        db.connection().execute(text("UPDATE ncevent SET by = 'someone else'"))
    db.rollback()


def test_a_move_returns_the_state_it_wrote_even_when_someone_moves_on_right_after(db, engine, people):
    """The stress run found it: re-reading after the commit showed a colleague's later step as ours."""
    from sqlalchemy import event

    from db import session as open_session
    engagement, who = people
    nc = raise_serious(db, engagement, who["zhang"])

    pending = [True]

    def colleague_returns_it(_session):
        if not pending:
            return
        pending.clear()
        with open_session(engine) as other:
            return_rectification(other, nc_id=nc.id, reason="证据不全", expected_version=1, by=who["zhang"])

    event.listen(db, "after_commit", colleague_returns_it)
    submitted = submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c",
                                     evidence_ids=[], expected_version=0, by=who["client"])
    assert (submitted.state, submitted.version) == ("submitted", 1)
    assert [e.to_state for e in nc_history(db, nc.id, by=who["zhang"])] == ["submitted", "returned"]


def test_the_revision_moves_with_every_nonconformity_step(db, people):
    """Pages keep the score until the revision moves; a step the decision depends on must move it."""
    from audits.scope import engagement_revision as result_stamp
    engagement, who = people
    stamps = [result_stamp(db, engagement.id, by=who["zhang"])]
    nc = raise_serious(db, engagement, who["zhang"])
    stamps.append(result_stamp(db, engagement.id, by=who["zhang"]))
    submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                         expected_version=0, by=who["client"])
    stamps.append(result_stamp(db, engagement.id, by=who["zhang"]))
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=who["zhang"])
    stamps.append(result_stamp(db, engagement.id, by=who["zhang"]))
    set_deadline(db, nc_id=nc.id, due_date=date(2027, 1, 1), by=who["zhang"])  # not part of the score
    stamps.append(result_stamp(db, engagement.id, by=who["zhang"]))
    assert len(set(stamps[:4])) == 4 and stamps[4] == stamps[3]
