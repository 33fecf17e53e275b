"""Dates in documents are read in the configured time zone, as the app shows them (issue 14 item 14)."""
import io
import json

import pytest
from docx import Document

from exports.__main__ import main
from exports.context import build_report_context
from exports.word_forms import render_nonconformity_reports
from tests.unit.test_word_report import TREE, all_text, snapshot

EVENING_IN_UTC = "2026-11-20T17:30:00+00:00"  # 01:30 the next morning in Shanghai


def closed_late_in_the_evening(at: str = EVENING_IN_UTC) -> dict:
    data = snapshot()
    data["nonconformities"][1]["history"] = [
        {"event": "submit", "by": "企业", "at": "2026-11-19T02:00:00+00:00", "details": {"cause": "未配置"}},
        {"event": "close", "by": "张审查", "at": at, "comment": "现场核实",
         "details": {"verification": "on_site"}}]
    return data


def verifier_cell(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    rows = [r for t in doc.tables for r in t.rows if r.cells[0].text == "验证人 / 日期"]
    return rows[-1].cells[1].text  # NC-02's page, the one with the history


def test_the_verifier_date_is_the_day_in_shanghai_not_in_utc():
    context = build_report_context(closed_late_in_the_evening(), TREE, zone="Asia/Shanghai")
    assert verifier_cell(render_nonconformity_reports(context)) == "张审查 2026-11-21"


def test_the_zone_passed_in_decides_the_day():
    context = build_report_context(closed_late_in_the_evening(), TREE, zone="America/New_York")
    assert verifier_cell(render_nonconformity_reports(context)) == "张审查 2026-11-20"


def test_a_time_without_an_offset_is_read_as_utc_as_snapshots_write_them():
    data = closed_late_in_the_evening()
    data["nonconformities"][1]["history"][1]["at"] = "2026-11-20T17:30:00"
    context = build_report_context(data, TREE, zone="Asia/Shanghai")
    assert verifier_cell(render_nonconformity_reports(context)) == "张审查 2026-11-21"


@pytest.mark.parametrize(("zone", "at", "day"), [(None, EVENING_IN_UTC, "2026-11-21"),
                                                 ("America/New_York", "2026-11-21T02:00:00+00:00", "2026-11-20")])
def test_python_m_exports_prints_the_day_in_the_configured_zone(tmp_path, monkeypatch, zone, at, day):
    from config import settings
    if zone:
        monkeypatch.setenv("AUDIT_TIMEZONE", zone)
    else:
        monkeypatch.delenv("AUDIT_TIMEZONE", raising=False)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    settings.cache_clear()
    try:
        source = tmp_path / "snapshot.json"
        source.write_text(json.dumps(closed_late_in_the_evening(at), ensure_ascii=False), encoding="utf-8")
        assert main(["nonconformities", str(source), "-o", str(tmp_path / "ncs.docx")]) == 0
    finally:
        settings.cache_clear()
    assert verifier_cell((tmp_path / "ncs.docx").read_bytes()) == f"张审查 {day}"
    assert "未配置" in all_text(Document(tmp_path / "ncs.docx"))


@pytest.mark.parametrize(("moment", "day"), [
    ("2026-11-20T16:00:00+00:00", "2026-11-21"), ("2026-11-20T15:59:59Z", "2026-11-20"),
    ("2026-11-21T01:00:00+08:00", "2026-11-21"), ("2026-11-20", "2026-11-20"), ("", ""), (None, ""),
    ("不是时间的文字", "不是时间的文字")])
def test_local_day_reads_a_snapshot_time_in_the_zone(moment, day):
    from zoneinfo import ZoneInfo

    from exports.context import local_day
    assert local_day(moment, ZoneInfo("Asia/Shanghai")) == day
