"""The report from the snapshot: a sampled clause prints n / N from its register, an annex lists the samples,
the targets are listed, and a pre-audit's gap report says which targets the records do not yet support."""
import io

from docx import Document

from audits.ratings import clause_history
from criteria.registry import TreeRegistry
from dossier.backup import backup_engagement, restore_engagement
from dossier.snapshot import build_snapshot
from evidence.store import LocalBlobStore
from exports.context import build_report_context
from exports.word_report import render_report
from samples.registers import SampleEntry, add_samples
from samples.targets import TargetEntry, record_target
from tests.factories import actor, default_tree, make_engagement
from vocabulary import Comparison, LimitUnit, TargetMetric

TREE = default_tree()
BY = actor()


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def prepared(db, **overrides):
    e = make_engagement(db, **overrides)
    add_samples(db, engagement_id=e.id, code="5.1.2.1", tree=TREE, by=BY, entries=[
        SampleEntry("WO-1"), SampleEntry("WO-2"), SampleEntry("WO-<&>\"3", conforms=False, note="超时 " + "长" * 300)])
    record_target(db, engagement_id=e.id, tree=TREE, by=BY, entry=TargetEntry(
        "5.1.2.1", TargetMetric.TIMELINESS, Comparison.AT_LEAST, 90, limit_value=24, limit_unit=LimitUnit.HOURS))
    return e


def test_the_report_prints_n_of_N_the_targets_and_an_annex_of_samples(db):
    e = prepared(db)
    snapshot = build_snapshot(db, e.id, TREE, by=BY)
    assert [s["reference"] for s in snapshot["sample_registers"]] == ["WO-1", "WO-2", "WO-<&>\"3"]
    text = text_of(render_report(build_report_context(snapshot, TREE)))
    assert "不符合 1 / 抽样 3" in text
    assert "附：样本清单" in text and "WO-<&>\"3" in text and "超时 " + "长" * 300 in text
    assert "服务及时率 ≥ 90%（24 小时内到场）" in text
    assert "企业记录尚不能支持的服务目标" not in text  # only a gap report says so


def test_a_pre_audit_gap_report_names_the_targets_the_records_do_not_support(db):
    e = prepared(db, kind="pre_audit", title="预评价")
    text = text_of(render_report(build_report_context(build_snapshot(db, e.id, TREE, by=BY), TREE)))
    assert "企业记录尚不能支持的服务目标：5.1.2.1 服务及时率 ≥ 90%（24 小时内到场）：尚无实测数据。" in text


def test_an_engagement_without_registers_has_no_annex(db):
    e = make_engagement(db)
    text = text_of(render_report(build_report_context(build_snapshot(db, e.id, TREE, by=BY), TREE)))
    assert "附：样本清单" not in text and "服务目标与承诺" not in text


def test_a_backup_keeps_why_the_register_changed_the_rating(db, tmp_path):
    store = LocalBlobStore(tmp_path / "evidence")
    e = prepared(db)
    restored = restore_engagement(db, store, backup_engagement(db, store, e.id, TREE, by=BY), TreeRegistry(), by=BY)
    assert [h.reason for h in clause_history(db, restored, by=BY, code="5.1.2.1")] == \
        ["样本登记：新增 WO-1 符合、WO-2 符合、WO-<&>\"3 不符合"]
