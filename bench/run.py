"""Run the benchmarks on a generated large engagement and write the figures, as ratios to their floors."""
from __future__ import annotations

import io
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.shared import Cm
from sqlalchemy import text

from accounts.actor import Actor
from audits.assessment import engagement_result
from audits.snapshot import build_snapshot
from bench.data import SMALL, Size, build
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from db import make_engine, migrate, session
from evidence.store import LocalBlobStore
from exports.charts import points_chart
from exports.context import build_report_context
from exports.word_report import render_report
from nonconformities.services import register

SYSTEM = Actor("基准", role="system", username="bench")


@dataclass(frozen=True)
class Figure:
    what: str
    measured: float
    floor: float
    unit: str
    target: float
    extra: str = ""
    limit: float | None = None  # an absolute limit in seconds, when the issue sets one

    @property
    def ratio(self) -> float:
        return self.measured / self.floor if self.floor else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.target and (self.limit is None or self.measured <= self.limit)


def timed(call, repeat: int = 1) -> tuple[float, float]:
    """(median seconds, peak traced MB) of `call`."""
    times, peak = [], 0.0
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return statistics.median(times), peak


def run(size: Size, folder: Path, file_mb: int) -> list[Figure]:
    tree = TreeRegistry().get(DEFAULT_TREE_ID)
    engine = make_engine(f"sqlite:///{folder}/bench.db")
    migrate(engine)
    store = LocalBlobStore(folder / "evidence")
    with session(engine) as s:
        eid = build(s, tree, store, size)
        snapshot = build_snapshot(s, eid, tree, by=SYSTEM)
        figures = [_report(snapshot, tree), _store(folder, store, file_mb)]
        figures += _queries(s, eid, tree)
    engine.dispose()
    return figures


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
                  f"{measured:.2f} s (limit 3 s); peak traced memory {memory:.0f} MB vs {floor_memory:.0f} MB",
                  limit=3.0)


def _store(folder: Path, store: LocalBlobStore, file_mb: int) -> Figure:
    source = folder / "large.bin"
    with open(source, "wb") as f:
        for _ in range(file_mb):
            f.write(os.urandom(1 << 20))

    def put() -> None:
        with open(source, "rb") as stream:
            store.put(stream, max_bytes=(file_mb + 1) << 20, check=lambda p, h, s: "pdf")
    measured, memory = timed(put)
    shutil.rmtree(store.root)
    store.tmp.mkdir(parents=True)

    def baseline() -> None:
        subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
        shutil.copyfile(source, folder / "copy.bin")
    floor, _ = timed(baseline)
    return Figure(f"storing a {file_mb} MB evidence file (wall time)", measured, floor, "s", 1.5,
                  f"peak traced memory {memory:.1f} MB (limit: file size + 64 MB)")


def _queries(s, eid: int, tree) -> list[Figure]:
    register_ms, _ = timed(lambda: register(s, by=SYSTEM, engagement_id=eid), repeat=15)
    raw_register, _ = timed(lambda: s.connection().execute(text(
        "SELECT n.*, c.name, e.title FROM nonconformity n JOIN engagement e ON e.id = n.engagement_id "
        "JOIN company c ON c.id = e.company_id WHERE n.engagement_id = :e ORDER BY n.id DESC"), {"e": eid}).all(),
        repeat=15)
    dashboard, _ = timed(lambda: engagement_result(s, eid, tree, by=SYSTEM), repeat=15)
    raw_dashboard, _ = timed(lambda: [s.connection().execute(text(sql), {"e": eid}).all() for sql in (
        "SELECT * FROM clauserating WHERE engagement_id = :e", "SELECT * FROM specialitem WHERE engagement_id = :e",
        "SELECT number, code, severity, state FROM nonconformity WHERE engagement_id = :e")], repeat=15)
    return [Figure("nonconformity register query (median)", register_ms, raw_register, "s", 2.0),
            Figure("dashboard score query (median)", dashboard, raw_dashboard, "s", 2.0)]


def markdown(figures: list[Figure], size: Size) -> str:
    lines = [f"# Benchmark results\n\nMachine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}. Engagement: {size.companies} companies, {size.sites} sites, "
             f"{size.evidence} evidence files, {size.nonconformities} nonconformities with history, "
             f"{size.earlier} earlier engagements.\n", "| what | measured | floor | ratio | target | met | notes |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {f.what} | {f.measured * 1000:.1f} ms | {f.floor * 1000:.1f} ms | {f.ratio:.2f}x | "
              f"{f.target:g}x{f' and ≤ {f.limit:g} s' if f.limit else ''} | {'yes' if f.met else 'no'} | {f.extra} |"
              for f in figures]
    lines.append("\nNot measured yet: the click-to-score time in Chromium against a one-widget page, and AppTest "
                 "reruns of the workspace and dashboard against an empty page.")
    return "\n".join(lines) + "\n"


def main(small: bool, output: Path) -> list[Figure]:
    size = SMALL if small else Size()
    with tempfile.TemporaryDirectory() as folder:
        figures = run(size, Path(folder), file_mb=8 if small else 200)
    output.write_text(markdown(figures, size), encoding="utf-8")
    return figures
