"""The company representative's acknowledgement of a nonconformity and its planned completion date (domain brief
A5): recorded by the client contact or by the team on the client's behalf, checked against the deadline, kept in
the history and the audit log, printed on the nonconformity report and offered to a body's template."""
import io
from datetime import timedelta

import pytest
from docx import Document
from sqlmodel import func, select

from accounts.audit_log import AuditEvent, Event
from dossier.snapshot import build_snapshot
from errors import AccessDenied, InvalidInput
from exports.context import build_report_context
from exports.template_vars import build_template_variables
from exports.word_forms import render_nonconformity_reports
from nonconformities.acknowledgement import acknowledge_nonconformity, may_acknowledge
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    nc_history,
    raise_nonconformity,
    submit_rectification,
)
from tests.factories import actor, default_tree
from timefmt import local_today

TREE = default_tree()
TODAY = local_today()


def raised(db, engagement, who, severity="general"):
    return raise_nonconformity(db, engagement_id=engagement.id, severity=severity, code="5.1.6.b", tree=TREE,
                               finding="改进措施未验证效果", by=who["zhang"], today=TODAY)


def test_the_client_acknowledges_and_plans_its_completion_within_the_deadline(db, people):
    engagement, who = people
    nc = raised(db, engagement, who)
    assert may_acknowledge(db, nc, who["client"]) and may_acknowledge(db, nc, who["li"])
    planned = TODAY + timedelta(days=20)
    nc = acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=planned,
                                   remark="同意，两周内完成", by=who["client"])
    assert (nc.acknowledged_by, nc.acknowledged_on, nc.acknowledgement_note, nc.acknowledgement_entered_by,
            nc.planned_completion, nc.version, nc.state) == ("王经理", TODAY, "同意，两周内完成", "王经理", planned, 0,
                                                             "raised")
    step = nc_history(db, nc.id, by=who["zhang"])[-1]
    assert (step.event, step.by, step.comment, step.details["planned_completion"]) == \
        ("acknowledge", "王经理", "同意，两周内完成", planned.isoformat())
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.NC_ACKNOWLEDGED)).one() == 1
    # the same again changes nothing and writes nothing
    acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=planned,
                              remark="同意，两周内完成", by=who["client"])
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.NC_ACKNOWLEDGED)).one() == 1


def test_the_team_records_a_paper_acknowledgement_and_who_entered_it(db, people):
    engagement, who = people
    nc = raised(db, engagement, who)
    nc = acknowledge_nonconformity(db, nc_id=nc.id, representative="赵总经理", planned_completion=None,
                                   acknowledged_on=TODAY, by=who["li"])
    assert (nc.acknowledged_by, nc.acknowledgement_entered_by, nc.planned_completion) == ("赵总经理", "李评审", None)


@pytest.mark.parametrize(("planned", "message"), [
    (TODAY - timedelta(days=1), "已过"),
    (TODAY + timedelta(days=31), "晚于整改期限"),
])
def test_a_planned_completion_in_the_past_or_after_the_deadline_is_refused(db, people, planned, message):
    engagement, who = people
    nc = raised(db, engagement, who)
    with pytest.raises(InvalidInput, match=message) as refused:
        acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=planned,
                                  by=who["client"])
    if message == "晚于整改期限":
        assert str(nc.due_date) in refused.value.message
    db.refresh(nc)
    assert (nc.acknowledged_by, nc.planned_completion) == (None, None)


def test_no_acknowledgement_without_a_name_in_the_future_or_by_an_outsider(db, people):
    engagement, who = people
    nc = raised(db, engagement, who)
    with pytest.raises(InvalidInput, match="企业代表姓名"):
        acknowledge_nonconformity(db, nc_id=nc.id, representative="  ", planned_completion=None, by=who["client"])
    with pytest.raises(InvalidInput, match="确认日期"):
        acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=None,
                                  acknowledged_on=TODAY + timedelta(days=1), by=who["client"])
    outsider = actor("外人", role="assessor", user_id=99999)
    assert not may_acknowledge(db, nc, outsider)
    with pytest.raises(AccessDenied):
        acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=None, by=outsider)


def test_a_closed_nonconformity_takes_no_acknowledgement(db, people):
    engagement, who = people
    nc = raised(db, engagement, who)
    submit_rectification(db, nc_id=nc.id, cause="a", correction="b", corrective_action="c", evidence_ids=[],
                         expected_version=0, by=who["client"])
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=who["zhang"])
    nc = close_nonconformity(db, nc_id=nc.id, verification="documents", note="有效", expected_version=2,
                             by=who["zhang"])
    assert not may_acknowledge(db, nc, who["client"])
    with pytest.raises(InvalidInput, match="无需企业确认"):
        acknowledge_nonconformity(db, nc_id=nc.id, representative="王经理", planned_completion=None, by=who["client"])


def test_the_report_and_the_template_variables_carry_the_acknowledgement(db, people):
    engagement, who = people
    nc = raised(db, engagement, who)
    planned = TODAY + timedelta(days=10)
    acknowledge_nonconformity(db, nc_id=nc.id, representative="赵总经理", planned_completion=planned,
                              remark="按期整改", by=who["li"])
    ctx = build_report_context(build_snapshot(db, engagement.id, TREE, by=who["zhang"]), TREE)
    doc = Document(io.BytesIO(render_nonconformity_reports(ctx)))
    cells = {row.cells[0].text: row.cells[1].text for t in doc.tables for row in t.rows if len(row.cells) == 2}
    assert cells["企业代表确认（签字 / 日期）"] == f"赵总经理 {TODAY}（李评审 代为录入）\n按期整改"
    assert cells["计划完成日期"] == planned.isoformat()
    item = build_template_variables(ctx)["不符合项"][0]
    assert (item["确认人"], item["确认日期"], item["确认说明"], item["计划完成日期"]) == \
        ("赵总经理", TODAY.isoformat(), "按期整改", planned.isoformat())
