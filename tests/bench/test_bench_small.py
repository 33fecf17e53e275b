"""The benchmark command at small size, so the benchmarks never rot (timings are reported, not asserted)."""
from pathlib import Path

from bench.run import main


def test_the_small_benchmark_run_measures_every_job_against_its_floor(tmp_path):
    out = tmp_path / "results.md"
    figures = main(small=True, output=out)
    assert len(figures) == 4 and all(f.measured > 0 and f.floor > 0 for f in figures)
    text = out.read_text(encoding="utf-8")
    assert all(f.what in text for f in figures) and Path(out).stat().st_size > 300
