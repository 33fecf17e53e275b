"""Use cases for the offline Excel checklist: export it, plan an import (every row checked), apply it whole."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from accounts.access import require
from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.ratings import apply_rating, describe, entry_of, list_ratings, rating_values, register_size
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput
from exports.excel import CellError, checklist_workbook, read_checklist_file
from scoring.applicability import exclusion_cap_problem
from vocabulary import ClauseStatus


@dataclass(frozen=True)
class Change:
    code: str
    before: dict
    after: dict
    expected_version: int

    def summary(self) -> str:
        return f"{describe(self.before)} → {describe(self.after)}"


@dataclass(frozen=True)
class ImportPlan:
    changes: list[Change]
    errors: list[CellError]


def export_checklist(session: Session, engagement_id: int, tree: Tree, *, by: Actor) -> bytes:
    get_engagement(session, engagement_id, by=by)
    rows = list_ratings(session, engagement_id, by=by)
    current = {r.code: entry_of(r) for r in rows}
    return checklist_workbook(tree, current, {r.code: r.version for r in rows}, engagement_id)


def plan_import(session: Session, engagement_id: int, tree: Tree, data: bytes, *, by: Actor) -> ImportPlan:
    """What the file would change, or every error in it by row and column; changes nothing."""
    engagement = get_engagement(session, engagement_id, by=by)
    require(session, by, Action.RATE, engagement=engagement)
    found = read_checklist_file(data, tree, kind=engagement.kind)
    errors = found.errors
    if found.engagement is not None and found.engagement != engagement_id:
        errors.append(CellError(0, "", f"此评分表导出自评价项目 {found.engagement}，不是本项目（{engagement_id}）"))
    stored = {r.code: r for r in list_ratings(session, engagement_id, by=by)}
    changes = []
    for code, row in found.rows.items():
        current = stored[code]
        after = {"status": row.status, "sampled": row.sampled, "nonconforming": row.nonconforming,
                 "exclusion_reason": row.reason, "finding": row.finding}
        if after == rating_values(current):
            continue
        typed = (after["status"], after["sampled"], after["nonconforming"])
        if typed != (current.status, current.sampled, current.nonconforming) and \
                register_size(session, engagement_id, code):
            errors.append(CellError(found.row_of[code], "抽样数", f"条款 {code} 有样本登记，其评价结果和抽样数由样本登记"
                                                      "得出，不能在评分表中修改"))
        if found.versions.get(code, current.version) != current.version:  # reported at the row the user sees
            errors.append(CellError(found.row_of[code], "结果", f"条款 {code} 在导出后已被 {current.updated_by} 修改"
                                                    f"（现为“{describe(rating_values(current))}”），请重新导出"))
        changes.append(Change(code, rating_values(current), after, current.version))
    excluded = [code for code, row in stored.items() if row.status == ClauseStatus.EXCLUDED and code not in found.rows]
    over = exclusion_cap_problem(tree, excluded + [c for c, r in found.rows.items() if r.status == ClauseStatus.EXCLUDED])
    if over:
        errors.append(CellError(0, "", over))
    return ImportPlan(changes, errors)


def apply_import(session: Session, engagement_id: int, plan: ImportPlan, *, by: Actor) -> int:
    """Apply a checked plan in one transaction: all of it, or (on any conflict) none of it."""
    if plan.errors:
        raise InvalidInput("评分表有错误，未导入任何内容")
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        for change in plan.changes:
            apply_rating(scope, code=change.code, values=change.after, expected_version=change.expected_version)
    return len(plan.changes)
