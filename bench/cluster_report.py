"""The cluster load run's rows in bench/results.md, in a block of their own that the other benchmarks keep."""
from __future__ import annotations

from pathlib import Path

from bench.figures import Figure

START, END = "<!-- cluster load: python -m bench.cluster_load --results -->", "<!-- /cluster load -->"


def block(report: dict) -> str:
    load, alone = report["browser click to updated score under load (s)"], report["single user on one replica (s)"]
    light = report["light save to score read back (s)"]
    users = report["light users"] + report["browser users"]
    memory = ", ".join(f"replica on port {port}: {p['memory MB']:.0f} MB with {p['sessions']} sessions "
                       f"(idle {report['memory idle MB'][port]:.0f} MB)" for port, p in report["memory at peak"].items())
    per_session = ", ".join(f"{v} MB" for v in report["memory per session MB"].values() if v is not None) or "—"
    row = Figure(f"{users} concurrent simulated assessors on two replicas: p95 click to updated score "
                 f"({report['browser users']} Chromium users among them)", load["p95"] or 0, alone["p95"] or 0, "s", 3,
                 f"floor: one user alone on one replica reached directly, same run ({alone['count']} clicks; "
                 f"{load['count']} clicks under load); memory per browser session {per_session}").row()
    done = ", ".join(f"{k} {v}" for k, v in report["done"].items())
    return "\n".join([
        START, "", "## Several replicas (scripts/run-cluster.sh, python -m bench.cluster_load)", "",
        "| what | measured | floor | ratio | target | met | notes |", "|---|---|---|---|---|---|---|", row, "",
        f"- {report['seconds']:g} s, {report['light users']} light-client users and {report['browser users']} "
        f"Chromium users through nginx; replica 1 killed after {report['replica killed after seconds']:.0f} s; each "
        f"light user waits {report.get('think seconds', 1):g} s ±50% between operations, the Chromium users click "
        "保存 one after another without pause.",
        f"- operations done {report['operations done']} ({done}); refused as stale {report['refused as stale']}; "
        f"failed {report['failed']}; lost {report['lost']}; browser clicks interrupted by the kill "
        f"{report['interrupted browser clicks (not confirmed, not counted as saved)']}; signed in again "
        f"{report['signed in again']}; reads retried after a proxy error {report['reads retried after a proxy error']}.",
        f"- a save (light client, to the new score read back through the API): p50 {_ms(light['p50'])}, "
        f"p95 {_ms(light['p95'])}; a click in Chromium under load: p50 {_ms(load['p50'])}, p95 {_ms(load['p95'])}; "
        f"alone on one replica: p50 {_ms(alone['p50'])}, p95 {_ms(alone['p95'])}.",
        f"- memory at the peak: {memory}.",
        "- what the ratio includes: everything runs on this one machine, so under load the replicas, PostgreSQL, "
        "SeaweedFS and nginx share its cores with the load itself (the light users' writes run in the load "
        "process, and Chromium draws every page); the floor runs on the same machine with nothing else going on. "
        "Sessions at the peak count open connections to each replica (WebSockets and requests in flight); memory "
        "per browser session is measured as the browser users open their pages, before the light users start, and "
        "is a few MB at most against a replica's 230-250 MB at rest.", "", END])


def _ms(seconds: float | None) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds is not None else "—"


def write_rows(path: Path, report: dict) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = kept_block(text)
    new = block(report)
    path.write_text(text.replace(kept, new) if kept else text.rstrip("\n") + "\n\n" + new + "\n", encoding="utf-8")


def kept_block(text: str) -> str:
    """The cluster block of a results file's text ('' when there is none), for a run that rewrites the file."""
    start, end = text.find(START), text.find(END)
    return text[start:end + len(END)] if start >= 0 and end > start else ""
