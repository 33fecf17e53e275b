"""The cluster load run at small size (issue 19): scripts/run-cluster.sh brings up two replicas behind nginx on
PostgreSQL and SeaweedFS, a few users (light client and Chromium) sign in, rate, upload and download, move
nonconformities; one replica is killed halfway; nothing fails and nothing confirmed is lost."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cluster_report import END, START, write_rows

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = {"sign in", "open the workspace", "rate a clause", "upload evidence", "download evidence",
              "move a nonconformity"}


def missing() -> list[str]:
    tools = {"nginx": shutil.which("nginx") or Path("/usr/sbin/nginx").exists(),
             "weed": (ROOT / ".venv/bin/weed").exists() or shutil.which("weed"),
             "chromium": shutil.which("chromium") or Path("/usr/bin/chromium").exists(),
             "PostgreSQL": list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))}
    return [name for name, found in tools.items() if not found]


@pytest.fixture
def cluster():
    if absent := missing():
        if os.environ.get("AUDIT_REQUIRE_BROWSER"):
            pytest.fail(f"the cluster test needs {', '.join(absent)} (scripts/system-packages.sh, requirements-dev.txt)")
        pytest.skip(f"missing {', '.join(absent)}")
    started = subprocess.run([str(ROOT / "scripts/run-cluster.sh"), "start"], cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
    assert started.returncode == 0, started.stderr[-3000:]
    found = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines()
                 if line.startswith("export "))
    try:
        yield found["CLUSTER_DIR"], found["CLUSTER_URL"]
    finally:
        subprocess.run([str(ROOT / "scripts/run-cluster.sh"), "stop", found["CLUSTER_DIR"]], cwd=ROOT,
                       capture_output=True, timeout=120)


@pytest.mark.timeout(900)  # the cluster's start, a 30 s run after one user's clicks, the checks, the stop
def test_a_few_users_through_two_replicas_lose_nothing_when_one_is_killed(cluster, tmp_path):
    folder, url = cluster
    out = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "bench.cluster_load", "--cluster", folder, "--url", url,
                          "--light", "4", "--browsers", "2", "--seconds", "30", "--floor-clicks", "3", "--kill",
                          "--think", "1",  # brisk, so every operation comes round within the 30 s
                          "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.exists(), run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    said = json.dumps(report, ensure_ascii=False)  # the whole report when an assertion fails
    assert report["failed"] == 0, said
    assert report["lost"] == 0, said
    assert set(report["done"]) == OPERATIONS and all(report["done"].values()), said
    assert report["replica killed after seconds"] > 0, said
    assert report["browser clicks confirmed after the kill"] >= 2, said  # each browser user saved again afterwards
    assert run.returncode == 0, run.stderr[-3000:]
    results = tmp_path / "results.md"
    results.write_text("# Benchmark results\n", encoding="utf-8")
    write_rows(results, report)
    write_rows(results, report)  # a second run replaces its block
    text = results.read_text(encoding="utf-8")
    assert text.count(START) == text.count(END) == 1 and "concurrent simulated assessors on two replicas" in text
