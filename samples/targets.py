"""Use cases for the company's service targets and commitments, recorded per engagement and tied to a clause.

Rules:
- A target is a metric (服务及时率, 用户满意度, 用户抱怨率), a comparison (≥ or <) and a percent. A timeliness
  target carries its time limit (hours or working days from reported to the chosen time, optionally only
  within a distance) and is measured from an imported log of its kind: the percent of cases that met it.
  Satisfaction may be measured from the log's satisfaction column (a 5-point scale is read as percent).
- A value entered by hand needs the evidence it comes from (a file of the same engagement).
- A target measured and not reached is missed: the workspace shows it against its clause as a finding to
  consider (not a deduction by itself: the team decides). A target without a measured value is unsupported.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from evidence.models import Evidence
from evidence.store import BlobStore
from samples.logs import TimeLimit, timeliness
from samples.models import RecordImport, ServiceTarget
from samples.tables import stored_table
from textclean import clean_text
from vocabulary import (
    COMPARISON_LABELS,
    TARGET_METRIC_LABELS,
    Comparison,
    Limit,
    LimitUnit,
    LogField,
    LogKind,
    TargetMetric,
)


@dataclass(frozen=True)
class TargetEntry:
    code: str
    metric: TargetMetric
    comparison: Comparison
    target: float
    log_kind: LogKind | None = None
    limit_value: float | None = None
    limit_unit: LimitUnit | None = None
    limit_to: LogField = LogField.ON_SITE
    within_km: float | None = None
    measured: float | None = None
    evidence_id: int | None = None
    note: str = ""


def missed(target: ServiceTarget) -> bool | None:
    """True when measured and not reached, False when reached, None when not measured."""
    if target.measured is None:
        return None
    if target.comparison == Comparison.AT_LEAST:
        return target.measured < target.target
    return target.measured >= target.target


def describe_target(target: ServiceTarget) -> str:
    """服务及时率 ≥ 90%（24 小时内到场，100 公里内）"""
    text = f"{TARGET_METRIC_LABELS[target.metric]} {COMPARISON_LABELS[target.comparison]} {target.target:g}%"
    limit = time_limit(target)
    return f"{text}（{limit.text()}）" if limit else text


def time_limit(target: ServiceTarget) -> TimeLimit | None:
    if target.limit_value is None or target.limit_unit is None:
        return None
    return TimeLimit(target.limit_value, LimitUnit(target.limit_unit), LogField(target.limit_to or LogField.ON_SITE),
                     target.within_km)


def record_target(session: Session, *, engagement_id: int, entry: TargetEntry, tree: Tree, by: Actor) -> ServiceTarget:
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        node = tree.node(entry.code)
        if node is None or not node.is_leaf:
            raise InvalidInput(f"条款 {entry.code} 不是指标树中的评分条款")
        if not 0 <= entry.target <= 100:
            raise InvalidInput("目标值应在 0% 到 100% 之间")
        if entry.metric == TargetMetric.TIMELINESS and (entry.limit_value is None or entry.limit_value <= 0
                                                        or entry.limit_unit is None):
            raise InvalidInput("服务及时率须写明时限（小时数或工作日数）")
        if entry.measured is not None:
            if not 0 <= entry.measured <= 100:
                raise InvalidInput("实测值应在 0% 到 100% 之间")
            evidence = session.get(Evidence, entry.evidence_id) if entry.evidence_id else None
            if evidence is None or evidence.engagement_id != engagement_id or evidence.removed_at is not None:
                raise InvalidInput("手工填写的实测值须选择本项目中作为依据的证据文件")
        note = clean_text(entry.note)
        if len(note) > Limit.SHORT:
            raise InvalidInput(f"说明最多 {Limit.SHORT} 个字")
        target = ServiceTarget(engagement_id=engagement_id, code=entry.code, metric=TargetMetric(entry.metric),
                               comparison=Comparison(entry.comparison), target=entry.target,
                               log_kind=entry.log_kind, limit_value=entry.limit_value, limit_unit=entry.limit_unit,
                               limit_to=LogField(entry.limit_to) if entry.limit_value else "",
                               within_km=entry.within_km, measured=entry.measured, evidence_id=entry.evidence_id,
                               note=note, recorded_by=by.name)
        session.add(target)
        session.flush()
        scope.audit(Event.SERVICE_TARGET_RECORDED, detail=f"条款 {entry.code}：{describe_target(target)}")
    return target


def measure_target(session: Session, store: BlobStore, *, target_id: int, import_id: int, by: Actor) -> ServiceTarget:
    """The target's measured value from an imported log of the same engagement."""
    target = _target(session, target_id)
    with engagement_scope(session, target.engagement_id, Action.RATE, by=by) as scope:
        record = session.get(RecordImport, import_id)
        if record is None or record.engagement_id != target.engagement_id:
            raise NotFound(f"未找到本项目的导入记录 {import_id}")
        value = measured_from(stored_table(store, record.table_sha256), target)
        if value is None:
            raise InvalidInput(f"无法从《{record.file_name}》计算{TARGET_METRIC_LABELS[target.metric]}："
                               "没有适用的案例或缺少所需的列")
        target.measured, target.measured_import_id, target.evidence_id = value, record.id, None
        target.version += 1
        session.add(target)
        scope.audit(Event.SERVICE_TARGET_RECORDED,
                    detail=f"条款 {target.code}：{describe_target(target)}，实测 {value:g}%（{record.file_name}）")
    return target


def measured_from(table: pd.DataFrame, target: ServiceTarget) -> float | None:
    """The percent a log shows for the target, from its sound cases (pure)."""
    limit = time_limit(target)
    if target.metric == TargetMetric.TIMELINESS and limit:
        return timeliness(table, limit).share
    if target.metric == TargetMetric.SATISFACTION and LogField.SATISFACTION in table:
        scores = table.loc[table["problem"] == "", LogField.SATISFACTION].dropna()
        if scores.empty:
            return None
        return round(float(scores.mean() * (20 if scores.max() <= 5 else 1)), 1)
    return None


def targets_of(session: Session, engagement_id: int, *, by: Actor) -> list[ServiceTarget]:
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(ServiceTarget).where(ServiceTarget.engagement_id == engagement_id)
                             .order_by(ServiceTarget.code, ServiceTarget.id)))


def target_notes(session: Session, engagement_id: int, *, by: Actor) -> dict[str, list[str]]:
    """Per clause, what the workspace shows: each missed target as a finding to consider."""
    notes: dict[str, list[str]] = {}
    for t in targets_of(session, engagement_id, by=by):
        if missed(t):
            notes.setdefault(t.code, []).append(f"服务目标未达成：{describe_target(t)}，实测 {t.measured:g}%")
    return notes


def unsupported(targets: list[ServiceTarget]) -> list[str]:
    """What the gap report lists: targets the records do not yet support (not measured, or missed)."""
    out = []
    for t in targets:
        state = missed(t)
        if state is None:
            out.append(f"{t.code} {describe_target(t)}：尚无实测数据")
        elif state:
            out.append(f"{t.code} {describe_target(t)}：实测 {t.measured:g}%，未达成")
    return out


def _target(session: Session, target_id: int) -> ServiceTarget:
    target = session.get(ServiceTarget, target_id)
    if target is None:
        raise NotFound(f"未找到服务目标 {target_id}")
    return target
