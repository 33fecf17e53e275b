"""The access matrix's rows for the cycle and a company's reported changes (tests/services/test_access_matrix.py):
reading the cycles, what a new engagement carries over, reporting and answering a change. Same signature and
expectations as there."""

from criteria.registry import TreeRegistry
from cycle.carry_over import carriable_evidence, carried_nonconformities, previous_scores
from cycle.changes import answer_change, report_change, reported_changes
from cycle.cycles import cycles_of_company
from records.models import Engagement
from tests.factories import actor
from timefmt import local_today
from vocabulary import ChangeKind, ChangeResponse

SYSTEM = actor("系统")


def _report(db, company_id, by):
    return report_change(db, company_id=company_id, kind=ChangeKind.PROCESSES, description="服务流程调整",
                         new_values=None, reported_on=local_today(), by=by)


def _reported(db, e):
    _report(db, db.get(Engagement, e).company_id, SYSTEM)


CYCLE_ACTIONS = {
    "read a company's cycles": lambda db, w, by, who, e, c: cycles_of_company(db, c, by=by),
    "read carried nonconformities": lambda db, w, by, who, e, c: carried_nonconformities(db, e, by=by),
    "read the previous scores": lambda db, w, by, who, e, c: previous_scores(db, e, by=by, trees=TreeRegistry()),
    "list evidence to carry forward": lambda db, w, by, who, e, c: carriable_evidence(db, e, by=by),
    "report a change": lambda db, w, by, who, e, c: _report(db, c, by),
    "answer a change": lambda db, w, by, who, e, c: answer_change(
        db, change_id=reported_changes(db, c, by=SYSTEM)[0].id, response=ChangeResponse.NO_ACTION, note="不影响",
        by=by),
}
# "answer a change" answers a change of the engagement's company: the consultant's row is about company A's
# pre-audit (own) and company B's (other), like everyone else's.
CYCLE_PREPARE = {"answer a change": _reported}
CYCLE_EXPECTED = {
    "read a company's cycles":         {"admin": "YY", "zhang": "YY", "chen": "YN", "client": "YN"},
    "read carried nonconformities":    {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "read the previous scores":        {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "list evidence to carry forward":  {"admin": "NN", "zhang": "YN", "chen": "YN", "client": "YN"},
    "report a change":                 {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "YN"},
    "answer a change":                 {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
}
