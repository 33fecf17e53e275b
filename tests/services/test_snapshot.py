"""The project snapshot of a real engagement: complete, read by python -m scoring, and reported."""
import io
import json
import subprocess
import sys
from pathlib import Path

from docx import Document

from dossier.assessment import engagement_result
from dossier.demo import load_demo_if_empty
from dossier.snapshot import build_snapshot
from exports.context import build_report_context
from exports.word_report import render_report
from tests.factories import actor, default_tree

TREE = default_tree()
ROOT = Path(__file__).resolve().parents[2]


def test_the_snapshot_scores_like_the_app_and_its_report_lists_every_nonconformity(db, tmp_path):
    load_demo_if_empty(db, TREE)
    snapshot = build_snapshot(db, 2, TREE, by=actor())
    assert snapshot["company"]["name"] == "杭州示例电器服务有限公司（演示）"
    assert [m["name"] for m in snapshot["team"]] == ["张审查", "李评审"]
    assert [n["number"] for n in snapshot["nonconformities"]] == [1, 2]
    assert len(snapshot["rating_history"]) == 39
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    cli = json.loads(subprocess.run([sys.executable, "-m", "scoring", str(path), "--json"], cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout)
    assert cli["score"] == float(engagement_result(db, 2, TREE, by=actor()).score) == 94.4
    doc = Document(io.BytesIO(render_report(build_report_context(snapshot, TREE))))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "编号")
    assert [r.cells[0].text for r in table.rows[1:]] == ["NC-01", "NC-02"]


def test_python_m_exports_writes_the_report_from_a_snapshot_file(db, tmp_path):
    load_demo_if_empty(db, TREE)
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(build_snapshot(db, 1, TREE, by=actor()), ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "exports", "report", str(path), "-o", str(tmp_path / "r.docx")],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "认证前预评价" not in out.stderr and (tmp_path / "r.docx").stat().st_size > 10_000
    bad = subprocess.run([sys.executable, "-m", "exports", "report", str(tmp_path / "none.json"), "-o", "x.docx"],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "文件不存在" in bad.stderr
