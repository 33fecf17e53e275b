"""Readiness read from the tasks, the readiness report and the document skeletons, read back from the .docx."""
import io

import pytest
from docx import Document
from sqlmodel import select

from audits.companies import add_site, update_company
from audits.engagements import create_engagement
from errors import AccessDenied, InvalidInput, NotFound
from exports.skeletons import GAP, SKELETONS, skeletons_for
from readiness.documents import company_facts, readiness_of, readiness_report_file, skeleton_file
from readiness.models import PreparationTask
from readiness.tasks import hand_in, judge_task
from scoring.stars import Star
from tests.services.readiness.conftest import MAX, PDF, SYSTEM, TREE, generate
from vocabulary import ReadinessLevel, TaskMove


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _accept(db, store, who, pre, source):
    task = db.exec(select(PreparationTask).where(PreparationTask.engagement_id == pre,
                                                 PreparationTask.source == source)).one()
    hand_in(db, store, task_id=task.id, files=[("a.pdf", io.BytesIO(PDF + source.encode()))], note="",
            expected_version=0, tree=TREE, by=who["client"], max_bytes=MAX)
    judge_task(db, task_id=task.id, move=TaskMove.ACCEPT, comment="", expected_version=1, by=who["chen"])


def test_accepting_work_makes_its_clause_ready_and_lifts_the_prediction(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    before = readiness_of(db, pre, TREE, by=who["client"])
    _accept(db, store, who, pre, "5.1.2.2")
    after = readiness_of(db, pre, TREE, by=who["chen"])
    assert before.clauses["5.1.2.2"] == ReadinessLevel.MISSING and after.clauses["5.1.2.2"] == ReadinessLevel.READY
    assert before.predicted.star_by_score == Star.NOT_PASSED  # 5.1.1.1 conform, 5.1.2.2 (5 points) not
    assert after.predicted.score > before.predicted.score and after.open_tasks == before.open_tasks - 1


def test_the_readiness_report_names_the_company_the_prediction_and_the_open_tasks(db, plan):
    pre, who, _, store = plan
    generate(db, pre, who["chen"])
    _accept(db, store, who, pre, "5.1.2.2")
    name, data = readiness_report_file(db, pre, TREE, by=who["client"])
    text = text_of(data)
    assert name.startswith("整改准备情况报告-") and name.endswith(".docx")
    assert "整改准备情况报告" in text and "已接受 1 项" in text and "各指标准备情况" in text
    assert "5.3.2.a" in text and "尚无持证管理师" not in text  # the accepted task is no longer listed


@pytest.mark.parametrize("key", list(SKELETONS))
def test_every_skeleton_opens_names_its_clauses_and_marks_the_gaps(db, plan, key):
    pre, who, _, _ = plan
    name, data = skeleton_file(db, pre, key, by=who["chen"])
    text = text_of(data)
    assert name.endswith(".docx") and SKELETONS[key].title in text
    assert all(code in text for code in SKELETONS[key].serves) and GAP in text


def test_a_skeleton_prints_the_companys_data_and_hostile_text_safely(db, plan):
    pre, who, users, _ = plan
    company_id = users["client"].company_id
    update_company(db, company_id=company_id, data={"address": "杭州 <路> & \"88\" 号" + "长" * 250,
                                                    "contact": "王经理 0571"}, expected_version=0, by=SYSTEM)
    add_site(db, company_id=company_id, data={"name": "城西网点", "kind": "outlet"}, by=SYSTEM)
    text = text_of(skeleton_file(db, pre, "manual", by=who["chen"])[1])
    assert "杭州 <路> & \"88\" 号" in text and "王经理 0571" in text and "城西网点" in text


def test_the_roster_computes_the_managers_from_the_headcount_or_leaves_it_to_fill(db, plan):
    pre, who, _, _ = plan
    assert "41 × 10%，向上取整，且不少于 1 人，即 5 人" in text_of(
        skeleton_file(db, pre, "roster", by=who["chen"], management_staff=41)[1])
    assert f"即 {GAP} 人" in text_of(skeleton_file(db, pre, "roster", by=who["chen"])[1])
    with pytest.raises(InvalidInput, match="不能为负数"):
        company_facts(db, pre, by=who["chen"], management_staff=-1)


def test_skeletons_are_offered_for_the_clauses_they_serve():
    assert [s.key for s in skeletons_for("5.1.2.2")] == ["roster"]
    assert {s.key for s in skeletons_for("5.2.4.a")} == {"commitments"} and skeletons_for("5.2.5.a") == []
    leaves = {leaf.code for leaf in TREE.leaves()}
    assert all(set(s.serves) <= leaves for s in SKELETONS.values())


def test_unknown_skeletons_and_outsiders_are_refused(db, plan):
    pre, who, users, _ = plan
    with pytest.raises(NotFound):
        skeleton_file(db, pre, "poem", by=who["chen"])
    for outsider in ("wu", "client2", "zhang"):
        with pytest.raises(AccessDenied):
            skeleton_file(db, pre, "manual", by=who[outsider])
        with pytest.raises(AccessDenied):
            readiness_of(db, pre, TREE, by=who[outsider])
    initial = create_engagement(db, data={"company_id": users["client"].company_id, "kind": "initial"}, tree=TREE,
                                by=SYSTEM, team=[]).id
    with pytest.raises(InvalidInput, match="预评价"):
        readiness_of(db, initial, TREE, by=SYSTEM)
