"""The preparation plan of a pre-audit: generated once and again without duplicates, added to by hand, files handed
in through the evidence rules, accepted or returned; bad input and the wrong people refused."""
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from errors import AccessDenied, InvalidInput, InvalidTransition, StaleEdit
from evidence.models import Evidence, EvidenceLink
from evidence.services import remove_evidence, upload_evidence
from readiness.models import PreparationTask, TaskFile, TaskMoveRecord
from readiness.tasks import Owner, add_task, hand_in, judge_task, list_tasks, task_history
from tests.services.readiness.conftest import DUE, MAX, PDF, SYSTEM, TODAY, TREE, generate
from vocabulary import TaskMove, TaskState


def test_the_plan_has_a_task_per_open_clause_and_per_missing_item_of_a_conform_clause(db, plan):
    pre, who, _, _ = plan
    added = generate(db, pre, who["chen"])
    tasks = {t.task.source: t.task for t in list_tasks(db, pre, by=who["client"], tree=TREE)}
    assert added == len(tasks) == 3 + len(TREE.leaves()) - 1  # 5.1.1.1: its items 2-4; every other clause: one
    assert tasks["5.1.2.2"].title.startswith("整改：尚无持证管理师；需准备：服务管理人员名单")
    assert "5.1.1.1#0" not in tasks and tasks["5.1.1.1#1"].title == "补充证据：部门职责、岗位职责或职位说明书"
    assert {t.state for t in tasks.values()} == {TaskState.OPEN} and tasks["5.1.2.2"].owner_name == "李主管"
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.TASKS_GENERATED)).one() == 1


def test_generating_again_adds_only_new_gaps(db, plan):
    pre, who, _, _ = plan
    first = generate(db, pre, who["chen"])
    assert generate(db, pre, who["chen"]) == 0
    rate_clause(db, engagement_id=pre, code="5.1.2.1", entry=RatingEntry("conform"), expected_version=0, tree=TREE,
                by=SYSTEM)
    assert generate(db, pre, who["chen"]) == 0  # its clause task stays; no item tasks are added beside it
    assert db.exec(select(func.count(PreparationTask.id))).one() == first


def test_a_client_user_of_the_company_may_own_tasks(db, plan):
    pre, who, users, _ = plan
    generate(db, pre, who["chen"], owner=Owner(user_id=users["client"].id))
    task = list_tasks(db, pre, by=who["chen"])[0].task
    assert (task.owner_user_id, task.owner_name) == (users["client"].id, "王经理")


@pytest.mark.parametrize("owner, due, message", [
    (Owner(), DUE, "请指定任务负责人"), (Owner(name="   "), DUE, "请指定任务负责人"),
    (Owner(name="李主管"), TODAY - timedelta(days=1), "已经过去"), (Owner(name="李主管"), None, "请填写完成期限"),
])
def test_a_plan_without_an_owner_or_with_a_past_due_date_is_refused(db, plan, owner, due, message):
    pre, who, _, _ = plan
    with pytest.raises(InvalidInput, match=message):
        generate(db, pre, who["chen"], owner=owner, due=due)
    assert db.exec(select(func.count(PreparationTask.id))).one() == 0


def test_another_companys_client_or_a_consultant_cannot_own_a_task(db, plan):
    pre, who, users, _ = plan
    for user in ("client2", "chen"):
        with pytest.raises(InvalidInput, match="本企业的企业用户"):
            generate(db, pre, who["chen"], owner=Owner(user_id=users[user].id))


def test_a_task_added_by_hand_is_checked_like_the_plan(db, plan):
    pre, who, _, _ = plan
    task = add_task(db, engagement_id=pre, code="5.3.2.a", title="编制投诉处理制度", owner=Owner(name="李主管"),
                    due=DUE, tree=TREE, by=who["chen"], today=TODAY)
    assert (task.source, task.state, task.code) == (None, TaskState.OPEN, "5.3.2.a")
    with pytest.raises(InvalidInput, match="未知的条款代码"):
        add_task(db, engagement_id=pre, code="9.9", title="x", owner=Owner(name="李"), due=DUE, tree=TREE,
                 by=who["chen"], today=TODAY)
    with pytest.raises(InvalidInput, match="已经过去"):
        add_task(db, engagement_id=pre, code="5.3.2.a", title="x", owner=Owner(name="李"), due=date(2020, 1, 1),
                 tree=TREE, by=who["chen"], today=TODAY)
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.TASK_ADDED)).one() == 1


def _task(db, pre, source):
    return db.exec(select(PreparationTask).where(PreparationTask.engagement_id == pre,
                                                 PreparationTask.source == source)).one()


def test_handing_in_records_evidence_of_the_pre_audit_linked_to_the_clause_and_item(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.1.1#1")
    moved = hand_in(db, store, task_id=task.id, files=[("岗位职责.pdf", io.BytesIO(PDF + b"1"))], note="已发布",
                    expected_version=0, tree=TREE, by=who["client"], max_bytes=MAX)
    assert moved.state == TaskState.SUBMITTED
    row = next(r for r in list_tasks(db, pre, by=who["chen"]) if r.task.id == task.id)
    assert [f.name for f in row.files] == ["岗位职责.pdf"] and row.files[0].from_client
    link = db.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == row.files[0].id)).one()
    assert (link.code, link.item) == ("5.1.1.1", 1)


def test_a_file_the_evidence_rules_refuse_leaves_the_task_as_it_was(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.2.2")
    with pytest.raises(InvalidInput, match="内容与扩展名不符"):
        hand_in(db, store, task_id=task.id, files=[("制度.pdf", io.BytesIO(b"MZ not a pdf"))], note="",
                expected_version=0, tree=TREE, by=who["client"], max_bytes=MAX)
    with pytest.raises(InvalidInput, match="至少上传一个文件"):
        hand_in(db, store, task_id=task.id, files=[], note="", expected_version=0, tree=TREE, by=who["client"],
                max_bytes=MAX)
    db.refresh(task)
    assert task.state == TaskState.OPEN and db.exec(select(func.count(Evidence.id))).one() == 1


def _uploaded(db, store, engagement, by, name="职责.pdf", links=None):
    """A file sent ahead (as the upload route does), before the hand-in names it."""
    return upload_evidence(db, store, engagement_id=engagement, name=name, stream=io.BytesIO(PDF + name.encode()),
                           tree=TREE, links=links or {}, by=by, max_bytes=MAX).evidence.id


def test_files_already_uploaded_are_handed_in_once_and_linked_to_the_task(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.1.1#1")
    sent = _uploaded(db, store, pre, who["client"], links={"5.1.1.1": {1}})  # the route links it as the task
    bare = _uploaded(db, store, pre, who["client"], name="签发记录.pdf")   # chosen among the pre-audit's files
    moved = hand_in(db, store, task_id=task.id, evidence_ids=[sent, bare, sent], note="", expected_version=0,
                    tree=TREE, by=who["client"], max_bytes=MAX)
    assert moved.state == TaskState.SUBMITTED
    row = next(r for r in list_tasks(db, pre, by=who["chen"]) if r.task.id == task.id)
    assert sorted(f.id for f in row.files) == sorted([sent, bare])
    for evidence_id in (sent, bare):
        links = db.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == evidence_id)).all()
        assert [(link.code, link.item) for link in links] == [("5.1.1.1", 1)]
    assert db.exec(select(TaskMoveRecord.evidence_ids)).one() == f"{sent},{bare}"
    judge_task(db, task_id=task.id, move=TaskMove.RETURN, comment="缺少盖章页", expected_version=1, by=who["chen"])
    hand_in(db, store, task_id=task.id, evidence_ids=[sent], files=[("职责.pdf", io.BytesIO(PDF + "职责.pdf".encode()))],
            note="", expected_version=2, tree=TREE, by=who["client"], max_bytes=MAX)
    assert db.exec(select(func.count()).select_from(TaskFile)).one() == 2  # the same file is not named twice


def test_a_hand_in_naming_no_file_or_a_file_not_of_the_pre_audit_changes_nothing(db, plan):
    pre, who, users, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.2.2")
    initial = create_engagement(db, data={"company_id": users["client"].company_id, "kind": "initial"}, tree=TREE,
                                by=SYSTEM, team=[]).id
    elsewhere = _uploaded(db, store, initial, SYSTEM)
    removed = _uploaded(db, store, pre, who["client"], name="旧版.pdf")
    remove_evidence(db, evidence_id=removed, reason="传错了", by=who["client"])
    for ids in ([elsewhere], [removed], [10_000]):
        with pytest.raises(InvalidInput, match="本预评价项目中的有效证据"):
            hand_in(db, store, task_id=task.id, evidence_ids=ids, files=[("新.pdf", io.BytesIO(PDF + b"new"))],
                    note="", expected_version=0, tree=TREE, by=who["client"], max_bytes=MAX)
    with pytest.raises(InvalidInput, match="至少上传一个文件"):
        hand_in(db, store, task_id=task.id, evidence_ids=[], note="", expected_version=0, tree=TREE,
                by=who["client"], max_bytes=MAX)
    db.refresh(task)
    assert task.state == TaskState.OPEN and not db.exec(select(TaskFile)).all()
    assert not db.exec(select(Evidence).where(Evidence.name == "新.pdf")).all()


def test_a_client_may_not_link_the_teams_file_to_a_task(db, plan):
    """Linking a chosen file to the task follows who may relink it: the consultant's diagram is not the client's."""
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.1.1#1")
    diagram = db.exec(select(Evidence.id).where(Evidence.name == "架构图.pdf")).one()
    with pytest.raises(AccessDenied, match="只能修改本人上传"):
        hand_in(db, store, task_id=task.id, evidence_ids=[diagram], note="", expected_version=0, tree=TREE,
                by=who["client"], max_bytes=MAX)
    db.refresh(task)
    assert task.state == TaskState.OPEN


def test_the_consultant_accepts_one_and_returns_another_with_a_comment(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    a, b = _task(db, pre, "5.1.2.2"), _task(db, pre, "5.1.1.1#1")
    for task, name in ((a, "名单.pdf"), (b, "职责.pdf")):
        hand_in(db, store, task_id=task.id, files=[(name, io.BytesIO(PDF + name.encode()))], note="",
                expected_version=0, tree=TREE, by=who["client"], max_bytes=MAX)
    assert judge_task(db, task_id=a.id, move=TaskMove.ACCEPT, comment="", expected_version=1,
                      by=who["chen"]).state == TaskState.ACCEPTED
    with pytest.raises(InvalidInput, match="请写明"):
        judge_task(db, task_id=b.id, move=TaskMove.RETURN, comment=" ", expected_version=1, by=who["chen"])
    returned = judge_task(db, task_id=b.id, move=TaskMove.RETURN, comment="缺少盖章页", expected_version=1,
                          by=who["chen"])
    assert (returned.state, returned.comment) == (TaskState.RETURNED, "缺少盖章页")
    with pytest.raises(StaleEdit):
        judge_task(db, task_id=a.id, move=TaskMove.REOPEN, comment="复核", expected_version=1, by=who["chen"])
    with pytest.raises(InvalidTransition):
        judge_task(db, task_id=b.id, move=TaskMove.ACCEPT, comment="", expected_version=2, by=who["chen"])
    assert [m.move for m in task_history(db, b.id, by=who["client"])] == [TaskMove.SUBMIT, TaskMove.RETURN]
    assert db.exec(select(func.count()).where(AuditEvent.action == Event.TASK_MOVED)).one() == 4


def test_the_history_of_moves_cannot_be_changed(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.2.2")
    hand_in(db, store, task_id=task.id, files=[("a.pdf", io.BytesIO(PDF))], note="", expected_version=0, tree=TREE,
            by=who["client"], max_bytes=MAX)
    move = db.exec(select(TaskMoveRecord)).one()
    move.comment = "改写"
    db.add(move)
    with pytest.raises(Exception, match="append-only"):
        db.commit()
    db.rollback()


@pytest.mark.parametrize("who_acts", ["wu", "client2", "zhang", "client"])
def test_only_the_assigned_consultant_plans_and_judges(db, plan, who_acts):
    pre, who, _, _ = plan
    with pytest.raises(AccessDenied, match="您没有权限"):
        generate(db, pre, who[who_acts])
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.2.2")
    with pytest.raises(AccessDenied, match="您没有权限"):
        judge_task(db, task_id=task.id, move=TaskMove.ACCEPT, comment="", expected_version=0, by=who[who_acts])


@pytest.mark.parametrize("who_acts", ["wu", "client2", "zhang"])
def test_outsiders_neither_see_the_plan_nor_hand_in(db, plan, who_acts):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    task = _task(db, pre, "5.1.2.2")
    with pytest.raises(AccessDenied):
        list_tasks(db, pre, by=who[who_acts])
    with pytest.raises(AccessDenied):
        hand_in(db, store, task_id=task.id, files=[("a.pdf", io.BytesIO(PDF))], note="", expected_version=0,
                tree=TREE, by=who[who_acts], max_bytes=MAX)


def test_a_certification_engagement_has_no_preparation_plan(db, plan):
    _, _, users, _ = plan
    initial = create_engagement(db, data={"company_id": users["client"].company_id, "kind": "initial"}, tree=TREE,
                                by=SYSTEM, team=[]).id
    with pytest.raises(InvalidInput, match="只针对预评价"):
        generate(db, initial, SYSTEM)
