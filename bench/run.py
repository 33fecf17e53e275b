"""Run the benchmarks on a generated large engagement and write the figures: ratios to floors measured in the same
run, and counts against the issue's limits."""
from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

from docx import Document
from docx.shared import Cm
from sqlalchemy import text

from accounts.actor import Actor
from bench.cluster_report import kept_block
from bench.data import CONFORMING_LEAF, SMALL, Size, build
from bench.documents import document_figures
from bench.figures import Count, Figure, markdown
from bench.interface import interface_figures
from bench.objectstore import objectstore_figures
from bench.records import records_figures
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from db import make_engine, migrate, session
from dossier.assessment import engagement_result
from dossier.snapshot import build_snapshot
from evidence.store import LocalBlobStore
from exports.charts import points_chart
from exports.context import build_report_context
from exports.word_report import render_report
from nonconformities.services import register
from scoring.assessment import Assessment, Exclusion, NonconformityState, Rating, SpecialItem
from scoring.engine import score
from vocabulary import ClauseStatus, Role, Severity

SYSTEM = Actor("基准", role=Role.SYSTEM, username="bench")


def timed(call, repeat: int = 1) -> tuple[float, float]:
    """(median seconds, peak traced MB) of `call`; memory is traced in one extra run, since tracing slows the
    code it watches several times over and would distort the times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def run(size: Size, folder: Path, file_mb: int, reruns: int, clicks: int, visits: int) -> list[Figure | Count]:
    tree = TreeRegistry().get(DEFAULT_TREE_ID)
    engine = make_engine(f"sqlite:///{folder}/bench.db")
    migrate(engine)
    store = LocalBlobStore(folder / "evidence")
    with session(engine) as s:
        eid = build(s, tree, store, size)
        snapshot = build_snapshot(s, eid, tree, by=SYSTEM)
        figures = [_report(snapshot, tree), _store(folder, file_mb)] + _queries(s, eid, tree)
        figures += document_figures(build_report_context(snapshot, tree), timed)
    engine.dispose()
    code = tree.leaves()[CONFORMING_LEAF].code
    return figures + interface_figures(folder, eid, tree, code, reruns, clicks, visits)


def _report(snapshot: dict, tree) -> Figure:
    context = build_report_context(snapshot, tree)
    measured, memory = timed(lambda: render_report(context), repeat=3)
    charts = [points_chart("一级指标得分", context.first_level), points_chart("二级指标得分", context.second_level)]
    tables = [(6, len(context.rows)), (6, len(context.nonconformities)), (4, len(context.evidence)),
              (4, len(context.findings))]

    def bare() -> None:
        doc = Document()
        for columns, rows in tables:
            grid = doc.add_table(rows=1, cols=columns)
            for _ in range(rows):
                for cell in grid.add_row().cells:
                    cell.text = "文字"
        for png in charts:
            doc.add_picture(io.BytesIO(png), width=Cm(16))
        doc.save(io.BytesIO())
    floor, floor_memory = timed(bare, repeat=3)
    return Figure("Word report of the large engagement (wall time)", measured, floor, "s", 1.5,
                  f"{measured:.2f} s (limit 3 s); peak traced memory {memory:.0f} MB vs {floor_memory:.0f} MB; "
                  "floor: python-docx's own table API (the report writes rows as XML instead), charts pre-drawn",
                  limit=3.0)


def _store(folder: Path, file_mb: int) -> Figure:
    store = LocalBlobStore(folder / "store-benchmark")
    source = folder / "large.bin"
    with open(source, "wb") as f:
        for _ in range(file_mb):
            f.write(os.urandom(1 << 20))

    def put() -> None:
        with open(source, "rb") as stream:
            store.put(stream, max_bytes=(file_mb + 1) << 20, check=lambda p, h, s: "pdf")
    measured, _ = timed(put)
    shutil.rmtree(store.root)
    store.tmp.mkdir(parents=True)
    _, memory = timed(put)

    def baseline() -> None:
        subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
        shutil.copyfile(source, folder / "copy.bin")
    floor, _ = timed(baseline)
    return Figure(f"storing a {file_mb} MB evidence file (wall time)", measured, floor, "s", 1.5,
                  f"peak traced memory {memory:.1f} MB (limit: file size + 64 MB)")


REGISTER_SQL = ("SELECT n.id, n.engagement_id, n.number, n.code, n.severity, n.state, n.due_date, c.name, e.title, "
                "e.tree_ref FROM nonconformity n JOIN engagement e ON e.id = n.engagement_id "
                "JOIN company c ON c.id = e.company_id WHERE n.engagement_id = :e ORDER BY n.id DESC")


def _queries(s, eid: int, tree) -> list[Figure]:
    register_ms, _ = timed(lambda: register(s, by=SYSTEM, engagement_id=eid), repeat=25)
    raw_register, _ = timed(lambda: s.connection().execute(text(REGISTER_SQL), {"e": eid}).all(), repeat=25)
    dashboard, _ = timed(lambda: engagement_result(s, eid, tree, by=SYSTEM), repeat=25)
    raw_dashboard, _ = timed(lambda: _score_by_hand(s, eid, tree), repeat=25)
    if _score_by_hand(s, eid, tree).score != engagement_result(s, eid, tree, by=SYSTEM).score:
        raise AssertionError("the hand-written dashboard query does not give the dashboard's score")
    return [Figure("nonconformity register query (median)", register_ms, raw_register, "s", 2.0,
                   "floor: the same columns by one hand-written SQL query"),
            Figure("dashboard score query (median)", dashboard, raw_dashboard, "s", 2.0,
                   "floor: hand-written SQL for ratings, special items and nonconformities, the same scoring "
                   "function on the rows")]


def _score_by_hand(s, eid: int, tree):
    """The dashboard's score from three hand-written queries, the rows going straight into the engine."""
    def rows(sql: str) -> list:
        return s.connection().execute(text(sql), {"e": eid}).all()
    ratings = rows("SELECT code, status, sampled, nonconforming, exclusion_reason FROM clauserating "
                   "WHERE engagement_id = :e AND status != 'unrated'")
    specials = rows("SELECT kind, reason, code FROM specialitem WHERE engagement_id = :e AND withdrawn_at IS NULL")
    kind = rows("SELECT kind FROM engagement WHERE id = :e")[0][0]
    assessment = Assessment(
        tree.ref, tuple(Rating(c, ClauseStatus(st), n, k) for c, st, n, k, _ in ratings if st != "excluded"),
        tuple(Exclusion(c, why) for c, st, _, _, why in ratings if st == "excluded"),
        tuple(SpecialItem(why, c) for k, why, c in specials if k == "deduction"),
        tuple(SpecialItem(why, c) for k, why, c in specials if k == "bonus"),
        tuple(NonconformityState(Severity(sev), state, c) for c, sev, state in rows(
            "SELECT code, severity, state FROM nonconformity WHERE engagement_id = :e")))
    return score(tree, assessment, first_certification=kind == "initial")


def main(small: bool, output: Path) -> list[Figure | Count]:
    size = SMALL if small else Size()
    with tempfile.TemporaryDirectory() as folder:
        figures = run(size, Path(folder), file_mb=8 if small else 200, reruns=3 if small else 20,
                      clicks=4 if small else 50, visits=3 if small else 10)
    figures += records_figures(2_000 if small else 100_000, repeat=1 if small else 5)
    figures += objectstore_figures(8 if small else 200, repeat=1 if small else 5)
    engagement = (f"{size.companies} companies, {size.sites} sites, {size.evidence} evidence files, "
                  f"{size.nonconformities} nonconformities with history, {size.earlier} earlier engagements")
    kept = kept_block(output.read_text(encoding="utf-8")) if output.exists() else ""  # python -m bench.cluster_load's
    output.write_text(markdown(figures, engagement) + (f"\n{kept}\n" if kept else ""), encoding="utf-8")
    return figures
