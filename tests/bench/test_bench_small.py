"""The documented benchmark command at small size, so the benchmarks never rot (timings are reported, not
asserted): every row of the issue's table is measured against its floor, or counted against its limit, and said
to be met or not."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOBS = ["Word report", "storing a", "register query", "dashboard score query", "opening the workspace (AppTest",
        "opening the dashboard (AppTest", "workspace rerun against the same elements",
        "dashboard rerun against the same elements", "statements per rerun: opening the workspace",
        "statements per rerun: a save in the workspace", "statements per rerun: a dashboard rerun",
        "click to updated score (median", "click to updated score (p95", "first visit of the dashboard",
        "complaint log with its checks", "from the body's template", "file in the object store",
        "evidence download through the route"]
ROW = re.compile(r"^\| (?P<what>[^|]+) \| (?P<measured>[^|]+) \| (?P<floor>[^|]+) \| (?P<ratio>[^|]+) \| [^|]+ \| "
                 r"(?P<met>yes|no|pending) \|", re.M)
TIMED = re.compile(r"[\d.]+ ms")
COUNTED = re.compile(r"\d+ statements")


def rows(text: str) -> list[dict]:
    return [m.groupdict() for m in ROW.finditer(text)]


def missing(found: list[dict]) -> list[str]:
    return [job for job in JOBS if not any(job in r["what"] for r in found)]


def measured(row: dict) -> bool:
    """A timing against a positive floor, or a count (which has no floor)."""
    if COUNTED.fullmatch(row["measured"]):
        return row["floor"] == "—"
    return bool(TIMED.fullmatch(row["measured"]) and TIMED.fullmatch(row["floor"])
                and float(row["measured"].split()[0]) > 0 and float(row["floor"].split()[0]) > 0)


def test_the_small_benchmark_run_measures_every_job_against_its_floor(tmp_path):
    out = tmp_path / "results.md"
    subprocess.run([str(ROOT / "scripts/run-bench.sh"), "--small", "-o", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=900)
    found = rows(out.read_text(encoding="utf-8"))
    assert not missing(found)  # every row of the table
    assert all(r["met"] != "pending" and measured(r) for r in found), found


def test_the_committed_results_are_a_full_size_run_with_every_row():
    """Rows added since the last full run say `pending` until the next one; none comes from a small run."""
    text = (ROOT / "bench/results.md").read_text(encoding="utf-8")
    found = rows(text)
    assert "1000 companies" in text and all("median of 3)" not in r["what"] for r in found)
    assert not missing(found)
    assert all(measured(r) for r in found if r["met"] != "pending"), found
