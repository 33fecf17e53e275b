"""The access matrix's rows for the work before the visit (tests/services/test_access_matrix.py): the document
review, editing an engagement, the evaluation plan and the meetings. Same signature and expectations as there."""
from datetime import date, datetime

from audits.engagements import engagement_team
from audits.reviews import record_document_review
from cycle.meetings import record_meeting
from cycle.plans import PlanContent, answer_plan, plan_record, revise_plan, save_plan, send_plan, version_of
from cycle.preparation import edit_engagement
from issuance.services import plan_version_document
from tests.factories import actor, default_tree

TREE = default_tree()
SYSTEM = actor("系统")
PLAN = PlanContent(objectives="目的", scope="范围", visit_start=date(2099, 1, 5))


def _draft(db, e):
    return version_of(plan_record(db, e, tree=TREE, by=SYSTEM).latest)


def _planned(db, e):
    save_plan(db, engagement_id=e, content=PLAN, expected_version=_draft(db, e), tree=TREE, by=SYSTEM)


def _plan_sent(db, e):
    _planned(db, e)
    send_plan(db, engagement_id=e, expected_version=_draft(db, e), tree=TREE, by=SYSTEM)


def _team(db, e) -> list[dict]:
    return [{"name": m.name, "role": m.role, "user_id": m.user_id} for m in engagement_team(db, e, by=SYSTEM)]


PREPARATION_ACTIONS = {
    "record a document review": lambda db, w, by, who, e, c: record_document_review(  # on the certification
        db, engagement_id=w.engagements[("zhang", "own" if c == w.companies["own"] else "other")],
        reviewed_on=date(2026, 1, 5), reviewer="张审查", result="passed", by=by),
    "edit an engagement": lambda db, w, by, who, e, c: edit_engagement(
        db, engagement_id=e, title="改名", start_date=None, end_date=None, reason="调整", expected_edits=0, tree=TREE,
        team=_team(db, e), by=by),
    "save a plan draft": lambda db, w, by, who, e, c: save_plan(
        db, engagement_id=e, content=PLAN, expected_version=_draft(db, e), tree=TREE, by=by),
    "send a plan": lambda db, w, by, who, e, c: send_plan(db, engagement_id=e, expected_version=_draft(db, e),
                                                          tree=TREE, by=by),
    "revise a plan": lambda db, w, by, who, e, c: revise_plan(db, engagement_id=e, reason="企业异议", tree=TREE, by=by),
    "answer a plan": lambda db, w, by, who, e, c: answer_plan(
        db, engagement_id=e, version=1, response="objected", reason="请改期", by=by),
    "read the plan": lambda db, w, by, who, e, c: plan_record(db, e, tree=TREE, by=by),
    "download a sent plan": lambda db, w, by, who, e, c: plan_version_document(
        db, w.store, engagement_id=e, version=1, tree=TREE, by=by),
    "record a meeting": lambda db, w, by, who, e, c: record_meeting(
        db, engagement_id=e, kind="opening", held_at=datetime(2026, 1, 5, 9), expected_version=0, by=by,
        team_attendees=[m["name"] for m in _team(db, e)][:1] or ["张审查"], company_attendees="王经理"),
}
PREPARATION_PREPARE = {"send a plan": _planned, "revise a plan": _plan_sent, "answer a plan": _plan_sent,
                       "download a sent plan": _plan_sent}
# A consultant never sees a certification, so never records its document review.
PREPARATION_EXPECTED = {
    "record a document review":        {"admin": "YY", "zhang": "YN", "chen": "NN", "client": "NN"},
    "edit an engagement":              {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "save a plan draft":               {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "send a plan":                     {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "revise a plan":                   {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "answer a plan":                   {"admin": "NN", "zhang": "NN", "chen": "NN", "client": "YN"},
    "read the plan":                   {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "download a sent plan":            {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "record a meeting":                {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
}
