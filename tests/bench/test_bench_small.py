"""The benchmark command at small size, so the benchmarks never rot (timings are reported, not asserted)."""
from bench.run import main

JOBS = ["Word report", "storing a", "register query", "dashboard score query", "opening the workspace",
        "opening the dashboard", "click to updated score (median", "click to updated score (p95"]


def test_the_small_benchmark_run_measures_every_job_against_its_floor(tmp_path):
    out = tmp_path / "results.md"
    figures = main(small=True, output=out)
    assert not [job for job in JOBS if not any(job in f.what for f in figures)]  # every row of the table
    assert all(f.measured > 0 and f.floor > 0 for f in figures), [f for f in figures if not f.measured]
    text = out.read_text(encoding="utf-8")
    assert all(f"| {f.what} |" in text for f in figures)
    assert text.count("| yes |") + text.count("| no |") == len(figures)
