"""The documented benchmark command at small size, so the benchmarks never rot (timings are reported, not
asserted): every row of the issue's table is measured against its floor and said to be met or not."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOBS = ["Word report", "storing a", "register query", "dashboard score query", "opening the workspace",
        "opening the dashboard", "click to updated score (median", "click to updated score (p95"]
ROW = re.compile(r"^\| (?P<what>[^|]+) \| (?P<measured>[\d.]+) ms \| (?P<floor>[\d.]+) ms \| [\d.]+x \| [^|]+ \| "
                 r"(?P<met>yes|no) \|", re.M)


def test_the_small_benchmark_run_measures_every_job_against_its_floor(tmp_path):
    out = tmp_path / "results.md"
    subprocess.run([str(ROOT / "scripts/run-bench.sh"), "--small", "-o", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=900)
    rows = [m.groupdict() for m in ROW.finditer(out.read_text(encoding="utf-8"))]
    assert not [job for job in JOBS if not any(job in r["what"] for r in rows)]  # every row of the table
    assert all(float(r["measured"]) > 0 and float(r["floor"]) > 0 for r in rows), rows



def test_the_committed_results_are_a_full_size_run_with_every_row():
    text = (ROOT / "bench/results.md").read_text(encoding="utf-8")
    rows = [m.groupdict() for m in ROW.finditer(text)]
    assert "1000 companies" in text and all("median of 3)" not in r["what"] for r in rows)
    assert not [job for job in JOBS if not any(job in r["what"] for r in rows)]
