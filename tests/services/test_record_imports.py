"""Importing a company's log: preview changes nothing, confirm keeps everything, the mapping is remembered, a
sample drawn by seed goes into a register checked against the limit, and targets are measured and missed."""

import pytest
from sqlmodel import select

from audits.ratings import clause_history, get_rating
from errors import InvalidInput
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from records.models import Company
from samples.imports import (
    confirm_import,
    draw_into_register,
    import_timeliness,
    imported_table,
    imports_of,
    preview_log,
)
from samples.logs import TimeLimit
from samples.models import ColumnMapping, RecordImport
from samples.registers import register_of
from samples.targets import (
    TargetEntry,
    measure_target,
    record_target,
    target_notes,
    targets_of,
    time_limit,
    unsupported,
)
from tests.factories import actor, default_tree, make_engagement
from vocabulary import Comparison, LimitUnit, LogField, LogKind, TargetMetric

TREE = default_tree()
BY = actor()
CODE = "5.1.2.1"
HEADER = "投诉单号,报修时间,上门时间,完成时间,满意度\n"


def late_log() -> bytes:
    # every fourth case arrives the next day (over 24 h), the rest the same day
    rows = []
    for i in range(40):
        day = 1 + i % 20
        arrive = f"2026-01-{day + 1:02d} 10:00" if i % 4 == 0 else f"2026-01-{day:02d} 12:00"
        rows.append(f"T{i:03d},2026/1/{day} 08:00,{arrive},,{4 if i % 2 else 5}")
    return (HEADER + "\n".join(rows) + "\n").encode("gbk")


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


def confirmed(db, store, e, data=None, name="投诉记录.csv"):
    shown = preview_log(db, engagement_id=e.id, kind=LogKind.COMPLAINT, name=name, data=data or late_log(),
                        mapping=None, by=BY)
    return confirm_import(db, store, engagement_id=e.id, kind=LogKind.COMPLAINT, name=name, data=data or late_log(),
                          mapping=shown.mapping, by=BY, max_bytes=10**7)


def test_a_preview_stores_nothing_and_confirm_keeps_the_file_the_table_and_the_mapping(db, store):
    e = make_engagement(db)
    shown = preview_log(db, engagement_id=e.id, kind=LogKind.COMPLAINT, name="投诉记录.csv", data=late_log(),
                        mapping=None, by=BY)
    assert shown.mapping[LogField.ON_SITE] == "上门时间" and not shown.remembered
    assert db.exec(select(RecordImport)).all() == []
    record = confirmed(db, store, e)
    assert (record.rows, record.encoding) == (40, "GBK")
    assert store.exists(record.original_sha256) and store.open(record.original_sha256).read() == late_log()
    assert len(imported_table(db, store, record.id, by=BY)) == 40
    kept = db.exec(select(ColumnMapping)).one()
    assert kept.mapping[LogField.CASE] == "投诉单号"
    again = preview_log(db, engagement_id=e.id, kind=LogKind.COMPLAINT, name="投诉记录.csv", data=late_log(),
                        mapping=None, by=BY)
    assert again.remembered


def test_a_mapping_that_misses_a_column_is_refused_and_nothing_is_kept(db, store):
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="受理时间"):
        confirm_import(db, store, engagement_id=e.id, kind=LogKind.COMPLAINT, name="x.csv", data=late_log(),
                       mapping={LogField.CASE: "投诉单号"}, by=BY, max_bytes=10**7)
    assert imports_of(db, e.id, by=BY) == []


def test_a_sample_by_seed_goes_into_the_register_checked_against_the_limit(db, store):
    e = make_engagement(db)
    other = make_engagement(db, company=db.get(Company, e.company_id), title="另一项目")
    record = confirmed(db, store, e)
    limit = TimeLimit(24, LimitUnit.HOURS, LogField.ON_SITE)
    rows = draw_into_register(db, store, import_id=record.id, code=CODE, size=12, seed=2026, limit=limit, tree=TREE,
                              by=BY)
    late = {f"T{i:03d}" for i in range(0, 40, 4)}
    assert {r.reference for r in rows if not r.conforms} == {r.reference for r in rows} & late
    rating = get_rating(db, e.id, CODE, by=BY)
    assert (rating.sampled, rating.nonconforming) == (12, len({r.reference for r in rows} & late))
    assert db.get(RecordImport, record.id).seed == 2026
    assert "种子 2026" in clause_history(db, e.id, by=BY, code=CODE)[0].reason
    assert rows[0].limit_text == "24 小时内到场" and rows[0].reported_at.year == 2026
    same = draw_into_register(db, store, import_id=confirmed(db, store, other).id, code=CODE, size=12, seed=2026,
                              limit=limit, tree=TREE, by=BY)
    assert [r.reference for r in same] == [r.reference for r in register_of(db, e.id, CODE, by=BY)]


def test_targets_measured_from_the_log_or_entered_with_evidence_and_missed_ones_shown(db, store, tmp_path):
    e = make_engagement(db)
    record = confirmed(db, store, e)
    timely = record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
        CODE, TargetMetric.TIMELINESS, Comparison.AT_LEAST, 90, LogKind.COMPLAINT, 24, LimitUnit.HOURS))
    happy = record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
        CODE, TargetMetric.SATISFACTION, Comparison.AT_LEAST, 85, LogKind.COMPLAINT))
    assert unsupported(targets_of(db, e.id, by=BY)) == [
        f"{CODE} 服务及时率 ≥ 90%（24 小时内到场）：尚无实测数据", f"{CODE} 用户满意度 ≥ 85%：尚无实测数据"]
    assert measure_target(db, store, target_id=timely.id, import_id=record.id, by=BY).measured == 75.0
    shown = import_timeliness(db, store, record.id, time_limit(timely), by=BY)  # what 服务记录分析 draws
    assert shown.share == 75.0 and len(shown.taken) == 40 and shown.months["cases"].sum() == 40
    assert import_timeliness(db, store, record.id, time_limit(timely), by=BY) is shown  # once per table and limit
    assert measure_target(db, store, target_id=happy.id, import_id=record.id, by=BY).measured == 90.0
    assert target_notes(db, e.id, by=BY) == {CODE: ["服务目标未达成：服务及时率 ≥ 90%（24 小时内到场），实测 75%"]}
    with pytest.raises(InvalidInput, match="证据"):
        record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
            CODE, TargetMetric.COMPLAINT_RATE, Comparison.BELOW, 3, measured=2.1))
    proof = upload_evidence(db, store, engagement_id=e.id, name="抱怨率统计.pdf", stream=__import__("io").BytesIO(
        b"%PDF-1.4 statistics"), tree=TREE, links={}, by=BY, max_bytes=10**6)
    rate = record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
        CODE, TargetMetric.COMPLAINT_RATE, Comparison.BELOW, 3, measured=2.1, evidence_id=proof.evidence.id))
    assert rate.measured == 2.1 and len(target_notes(db, e.id, by=BY)[CODE]) == 1
    with pytest.raises(InvalidInput, match="时限"):
        record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
            CODE, TargetMetric.TIMELINESS, Comparison.AT_LEAST, 90))
