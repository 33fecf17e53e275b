"""The access matrix's rows for the sampling plan, the site visits and per-site findings
(tests/services/test_access_matrix.py). Same signature and expectations as there."""
from datetime import date

from audits.engagements import engagement_team
from sampling.plans import plan_versions, save_sampling_plan
from sampling.site_work import record_site_finding, site_summary
from sampling.visits import record_visit
from tests.factories import actor, default_tree

TREE = default_tree()
SYSTEM = actor("系统")


def _planned(db, e):
    save_sampling_plan(db, engagement_id=e, seed=1, chosen={}, reason="", expected_version=0, tree=TREE, by=SYSTEM)


def _visitor(db, e) -> str:
    return next((m.name for m in engagement_team(db, e, by=SYSTEM)), "无人")


SAMPLING_ACTIONS = {
    "save a sampling plan": lambda db, w, by, who, e, c: save_sampling_plan(
        db, engagement_id=e, seed=1, chosen={}, reason="", expected_version=0, tree=TREE, by=by),
    "read the sampling plan": lambda db, w, by, who, e, c: plan_versions(db, e, by=by),
    "record a site visit": lambda db, w, by, who, e, c: record_visit(
        db, engagement_id=e, site_id=w.sites[c], visited_on=date(2026, 3, 2), visited_by=_visitor(db, e), by=by),
    "record a per-site finding": lambda db, w, by, who, e, c: record_site_finding(
        db, engagement_id=e, code="5.1.1.2", site_id=w.sites[c], text="网点台账不全", against=True, tree=TREE, by=by),
    "read the per-site summary": lambda db, w, by, who, e, c: site_summary(db, e, by=by),
}
SAMPLING_PREPARE = {"record a site visit": _planned}
SAMPLING_EXPECTED = {
    "save a sampling plan":            {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "read the sampling plan":          {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "record a site visit":             {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "NN"},
    "record a per-site finding":       {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "NN"},
    "read the per-site summary":       {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
}
