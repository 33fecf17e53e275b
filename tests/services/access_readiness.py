"""The access matrix's rows for the consultant's side (tests/services/test_access_matrix.py): the preparation plan
of a pre-audit, handing in and judging a task, readiness, skeletons, the portfolio. Same signature and expectations
as there; every row acts on the pre-audit of the company named ("own" or "other")."""
import io
import tempfile
from datetime import date
from pathlib import Path

from sqlmodel import select

from criteria.registry import TreeRegistry
from evidence.store import LocalBlobStore
from readiness.documents import readiness_of, skeleton_file
from readiness.models import PreparationTask
from readiness.portfolio import portfolio, predicted_against_actual
from readiness.tasks import Owner, add_task, generate_plan, hand_in, judge_task, list_tasks
from records.models import Engagement
from tests.factories import actor, default_tree
from vocabulary import EngagementKind, TaskMove

TREE = default_tree()
SYSTEM = actor("系统")
DUE = date(2099, 1, 5)
REGISTRY = TreeRegistry()


def _pre_of(db, e) -> int:
    """The pre-audit of the company whose engagement `e` is (itself when it is one)."""
    company = db.get(Engagement, e).company_id
    return db.exec(select(Engagement.id).where(Engagement.company_id == company,
                                               Engagement.kind == EngagementKind.PRE_AUDIT)).first()


def _pre(w, c) -> int:
    return w.engagements[("chen", "own" if c == w.companies["own"] else "other")]


def _task(db, e) -> PreparationTask:
    return db.exec(select(PreparationTask).where(PreparationTask.engagement_id == _pre_of(db, e),
                                                 PreparationTask.code == "5.1.6.b")).first()


def _planned(db, e):
    generate_plan(db, engagement_id=_pre_of(db, e), tree=TREE, owner=Owner(name="李主管"), due=DUE, by=SYSTEM)


def _handed_in(db, e):
    _planned(db, e)
    store = LocalBlobStore(Path(tempfile.mkdtemp(prefix="readiness-access-")))
    hand_in(db, store, task_id=_task(db, e).id, files=[("整改.pdf", io.BytesIO(b"%PDF-1.4 prepared %%EOF"))],
            note="", expected_version=0, tree=TREE, by=SYSTEM, max_bytes=1024 * 1024)


READINESS_ACTIONS = {
    "generate a preparation plan": lambda db, w, by, who, e, c: generate_plan(
        db, engagement_id=_pre(w, c), tree=TREE, owner=Owner(name="李主管"), due=DUE, by=by),
    "add a preparation task": lambda db, w, by, who, e, c: add_task(
        db, engagement_id=_pre(w, c), code="5.3.2.a", title="编制投诉处理制度", owner=Owner(name="李主管"), due=DUE,
        tree=TREE, by=by),
    "hand in a preparation task": lambda db, w, by, who, e, c: hand_in(
        db, w.store, task_id=_task(db, _pre(w, c)).id, files=[("制度.pdf", io.BytesIO(b"%PDF-1.4 task %%EOF"))],
        note="", expected_version=0, tree=TREE, by=by, max_bytes=1024 * 1024),
    "accept a preparation task": lambda db, w, by, who, e, c: judge_task(
        db, task_id=_task(db, _pre(w, c)).id, move=TaskMove.ACCEPT, comment="", expected_version=1, by=by),
    "read the preparation plan": lambda db, w, by, who, e, c: list_tasks(db, _pre(w, c), by=by),
    "read readiness": lambda db, w, by, who, e, c: readiness_of(db, _pre(w, c), TREE, by=by),
    "download a document skeleton": lambda db, w, by, who, e, c: skeleton_file(db, _pre(w, c), "manual", by=by),
    "read the portfolio": lambda db, w, by, who, e, c: portfolio(db, REGISTRY, by=by, today=date(2026, 12, 1)),
    "compare prediction and result": lambda db, w, by, who, e, c: predicted_against_actual(db, c, REGISTRY, by=by),
}
READINESS_PREPARE = {"hand in a preparation task": _planned, "accept a preparation task": _handed_in}
# The plan is the consultant's to make and judge; the client sees it and hands in; an assessor has no part in it.
READINESS_EXPECTED = {
    "generate a preparation plan":      {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "NN"},
    "add a preparation task":           {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "NN"},
    "hand in a preparation task":       {"admin": "NN", "zhang": "NN", "chen": "YN", "client": "YN"},
    "accept a preparation task":        {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "NN"},
    "read the preparation plan":        {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "YN"},
    "read readiness":                   {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "YN"},
    "download a document skeleton":     {"admin": "YY", "zhang": "NN", "chen": "YN", "client": "YN"},
    "read the portfolio":               {"admin": "NN", "zhang": "NN", "chen": "YY", "client": "NN"},
    "compare prediction and result":    {"admin": "NN", "zhang": "NN", "chen": "YN", "client": "NN"},
}
