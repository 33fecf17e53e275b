"""Readiness rules (readiness/readiness.py): the 售后服务管理师 count, a clause's level, the predicted score."""
import ast
from pathlib import Path

import pytest

from readiness.readiness import clause_level, compute_readiness, managers_required
from scoring.assessment import Assessment, Rating
from scoring.stars import Star
from tests.factories import default_tree
from vocabulary import ReadinessLevel, TaskState

TREE = default_tree()
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("staff, needed", [(0, 1), (1, 1), (9, 1), (10, 1), (11, 2), (40, 4), (41, 5), (100, 10)])
def test_one_manager_for_each_ten_service_managers_started_and_at_least_one(staff, needed):
    assert managers_required(staff) == needed


def test_a_negative_staff_count_is_a_programming_error():
    with pytest.raises(ValueError):
        managers_required(-1)


@pytest.mark.parametrize("states, rated_ok, level", [
    ([], True, ReadinessLevel.READY), ([], False, ReadinessLevel.MISSING),
    ([TaskState.ACCEPTED, TaskState.ACCEPTED], False, ReadinessLevel.READY),
    ([TaskState.ACCEPTED, TaskState.OPEN], True, ReadinessLevel.IN_PROGRESS),
    ([TaskState.RETURNED], True, ReadinessLevel.IN_PROGRESS), ([TaskState.SUBMITTED], False, ReadinessLevel.IN_PROGRESS),
    ([TaskState.OPEN, TaskState.OPEN], True, ReadinessLevel.MISSING),
])
def test_a_clause_is_ready_in_progress_or_missing_from_its_tasks(states, rated_ok, level):
    assert clause_level(states, rated_ok) == level


def pre_audit() -> Assessment:
    """The demo's pre-audit: the first 20 clauses rated, 5.1.2.2 (5 points) and two others nonconform."""
    bad = {"5.1.1.2", "5.1.2.2", "5.1.4.1"}
    ratings = tuple(Rating(leaf.code, "nonconform" if leaf.code in bad else "conform") for leaf in TREE.leaves()[:20])
    return Assessment(criteria=TREE.ref, ratings=ratings, kind="pre_audit")


def test_accepting_the_last_task_of_a_clause_moves_the_predicted_score_and_star():
    tasks = [("5.1.2.2", TaskState.SUBMITTED), ("5.1.4.1", TaskState.RETURNED), ("5.3.2.a", TaskState.OPEN)]
    before = compute_readiness(TREE, pre_audit(), tasks)
    after = compute_readiness(TREE, pre_audit(), [("5.1.2.2", TaskState.ACCEPTED), *tasks[1:]])
    assert before.clauses["5.1.2.2"] == ReadinessLevel.IN_PROGRESS and after.clauses["5.1.2.2"] == ReadinessLevel.READY
    assert after.predicted.score > before.predicted.score
    assert (before.predicted.star_by_score, after.predicted.star_by_score) == (Star.THREE, Star.FOUR)
    assert after.if_done.score == before.if_done.score  # what is left to do does not change the goal
    assert before.path.steps[0].code == "5.1.2.2"  # the largest gain first
    assert after.open_tasks == 2 and after.tasks == 3


def test_an_unrated_clause_without_a_ready_task_is_left_out_of_the_prediction():
    only_rated = compute_readiness(TREE, pre_audit(), [])
    with_ready = compute_readiness(TREE, pre_audit(), [("5.3.2.a", TaskState.ACCEPTED)])
    assert with_ready.predicted.applicable_points > only_rated.predicted.applicable_points
    assert only_rated.clauses["5.3.2.a"] == ReadinessLevel.MISSING


def test_indicators_count_their_clauses_by_level():
    found = compute_readiness(TREE, pre_audit(), [("5.1.2.2", TaskState.ACCEPTED), ("5.1.2.1", TaskState.OPEN)])
    staff = next(i for i in found.indicators if i.code == "5.1.2")
    assert staff.counts == {ReadinessLevel.READY: 1, ReadinessLevel.MISSING: 1} and staff.share == 50


@pytest.mark.parametrize("name", ["readiness.py", "workflow.py"])
def test_the_readiness_rules_import_no_database_ui_or_documents(name):
    tree = ast.parse((ROOT / "readiness" / name).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"streamlit", "sqlmodel", "sqlalchemy", "docx", "plotly", "pandas", "records", "accounts"}
