"""Load through several replicas: `python -m bench.cluster_load` against a cluster started by scripts/run-cluster.sh.

Many simulated assessors work at once, most through the light client (bench/cluster_users.py says honestly what it
does), a few in Chromium pages (bench/cluster_browsers.py): sign in, open the workspace, rate clauses, upload
evidence and download it, move nonconformities. Halfway through, one replica is killed (--kill): the users it held
go on through the other one. At the end every save, upload and move the product confirmed is checked against the
database and the store:

- done: operations the product confirmed; refused as stale: saves refused because someone saved the clause first
  (the product working as it should); failed: operations that raised anything else; lost: confirmed work that is
  not in the database or the store at the end. A run passes with 0 failed and 0 lost.
- the save's latency: the light client's save to the new score read back through the API, and the browser's click
  on 保存 to the new score on screen, each as p50 / p95;
- memory per replica (resident set) before the users and at the peak, and per browser session (light users hold
  no Streamlit session; their reads grow the replicas too, so this per-session figure is an upper bound);
- the benchmark row: p95 click-to-updated-score of the browser users under the full load, against one user alone
  on one replica reached directly, measured first in the same run.

The report is written as JSON (-o) and, with --results, as the cluster rows of bench/results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cluster_environment(folder: Path) -> None:
    """The replicas' settings (database, store), so this process works on the same data."""
    for line in (folder / "env").read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name:
            os.environ[name] = value
    os.environ["AUDIT_FAST_PASSWORD_HASH"] = "1"  # the seeded accounts' hashes; the replicas verify any cost


def replicas(folder: Path) -> list[tuple[int, int]]:
    """(process id, port) of each replica."""
    found = []
    for pid_file in sorted(folder.glob("replica-*.pid")):
        port = int(pid_file.with_suffix(".port").read_text())
        found.append((int(pid_file.read_text()), port))
    return found


def resident_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def connections(port: int) -> int:
    """Established TCP connections to a replica's port: nginx opens one per WebSocket (a Streamlit session) and
    closes the others after each request."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        count += sum(1 for line in lines if int(line.split()[1].rsplit(":", 1)[1], 16) == port
                     and line.split()[3] == "01")
    return count


def percentile(values: list[float], share: float) -> float | None:
    from bench.browser import percentile as pick
    return pick(values, share) if values else None


def run(args) -> dict:
    folder = Path(args.cluster or os.environ["CLUSTER_DIR"])
    cluster_environment(folder)
    from bench.browser import chromium_browser, chromium_or_problem
    from bench.cluster_browsers import Browsers, single_user_clicks
    from bench.cluster_seed import seed
    from bench.cluster_users import DOWNLOAD_ROUTE, THINK, LightUser, Tally
    from bench.cluster_verify import lost_work
    from config import settings
    from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
    from db import make_engine
    from evidence.store import store_from_settings

    base = args.url or os.environ["CLUSTER_URL"]
    chromium, problem = chromium_or_problem()
    if problem:
        sys.exit(problem)
    tree = TreeRegistry([settings().extra_trees_dir]).get(DEFAULT_TREE_ID)
    engine, store = make_engine(settings().effective_database_url, pool_size=args.light + 5), store_from_settings(settings())
    light_seats, browser_seats, floor_seat = seed(engine, tree, args.light, args.browsers, args.per_engagement)
    (first_pid, first_port), *_ = replicas(folder)
    think = THINK if args.think is None else args.think
    report: dict = {"light users": args.light, "browser users": args.browsers, "seconds": args.seconds,
                    "think seconds": think}
    with chromium_browser(chromium) as browser:
        floor = single_user_clicks(browser, f"http://127.0.0.1:{first_port}", floor_seat, args.floor_clicks)
        idle = {port: resident_mb(pid) for pid, port in replicas(folder)}
        browsers = Browsers(browser, base, browser_seats)  # the browser sessions open before any other load
        opened = {port: {"memory MB": resident_mb(pid), "sessions": connections(port)} for pid, port in replicas(folder)}
        stop = threading.Event()
        light = [LightUser(engine, store, tree, base, seat, stop, seed=n, think=think) for n, seat in enumerate(light_seats)]
        for user in light:
            user.start()
        started, killed, peak = time.monotonic(), None, {}
        # after a kill, go on (up to twice the time) until every browser user has saved again
        while time.monotonic() - started < args.seconds or (
                args.kill and not browsers.all_saved_since_kill() and time.monotonic() - started < 2 * args.seconds):
            browsers.round()
            if killed is None and time.monotonic() - started > args.seconds / 2:
                peak = {port: {"memory MB": resident_mb(pid), "sessions": connections(port)}
                        for pid, port in replicas(folder)}
                if args.kill:
                    subprocess.run([str(ROOT / "scripts/run-cluster.sh"), "kill-replica", "1", str(folder)],
                                   check=True, capture_output=True)
                    killed = time.monotonic() - started
                    browsers.killed = True
                else:
                    killed = -1.0
        stop.set()
        for user in light:
            user.join(timeout=120)
        browsers.close()
    tallies = [u.tally for u in light] + [browsers.tally]
    total = Tally()
    for tally in tallies:
        for operation, count in tally.done.items():
            total.done[operation] = total.done.get(operation, 0) + count
    light_saves = [s for u in light for s in u.tally.saves]
    report |= {
        "done": total.done, "operations done": sum(total.done.values()),
        "refused as stale": sum(t.stale for t in tallies),
        "failed": sum(len(t.failed) for t in tallies) + sum(1 for u in light if u.is_alive()),
        "failures": [f for t in tallies for f in t.failed][:20],
        "lost": lost_work(engine, store, tallies),
        "interrupted browser clicks (not confirmed, not counted as saved)": browsers.interrupted,
        "reads retried after a proxy error": sum(t.retried for t in tallies),
        "signed in again": browsers.tally.signed_in_again,
        "replica killed after seconds": killed,
        "light save to score read back (s)": {"p50": percentile(light_saves, 0.5), "p95": percentile(light_saves, 0.95),
                                              "count": len(light_saves)},
        "browser click to updated score under load (s)": {"p50": percentile(browsers.latencies, 0.5),
                                                          "p95": percentile(browsers.latencies, 0.95),
                                                          "count": len(browsers.latencies)},
        "single user on one replica (s)": {"p50": percentile(floor, 0.5), "p95": percentile(floor, 0.95),
                                           "count": len(floor)},
        "memory idle MB": idle, "memory with the browser sessions open": opened, "memory at peak": peak,
        "downloads through": "GET /files/{id} behind nginx" if DOWNLOAD_ROUTE else "the service read (no /files route)",
        "browser users moved by the kill": browsers.moved, "browser clicks confirmed after the kill": browsers.after_kill,
    }
    report["memory per session MB"] = {  # opening the browser sessions, before the light users add their load
        port: round((o["memory MB"] - idle[port]) / o["sessions"], 1) if o["sessions"] and idle.get(port) else None
        for port, o in opened.items()}
    engine.dispose()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster_load", description="集群负载测试")
    parser.add_argument("--light", type=int, default=46, help="轻量客户端用户数")
    parser.add_argument("--browsers", type=int, default=4, help="Chromium 用户数")
    parser.add_argument("--per-engagement", type=int, default=5, help="每个评价项目的评价组人数（轻量用户）")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, help="轻量用户两次操作之间的平均间隔（秒，默认 bench/cluster_users.THINK）")
    parser.add_argument("--floor-clicks", type=int, default=20, help="单用户单副本基准的点击次数")
    parser.add_argument("--kill", action="store_true", help="中途终止第一个副本")
    parser.add_argument("--cluster", help="集群目录（默认 $CLUSTER_DIR）")
    parser.add_argument("--url", help="集群地址（默认 $CLUSTER_URL）")
    parser.add_argument("-o", "--output", help="JSON 报告文件")
    parser.add_argument("--results", action="store_true", help="写入 bench/results.md 的集群行")
    args = parser.parse_args(argv)
    report = run(args)
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    if args.results:
        from bench.cluster_report import write_rows
        write_rows(ROOT / "bench" / "results.md", report)
    print(text)
    return 0 if report["failed"] == 0 and report["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
