"""The interface's figures: AppTest reruns, statements per rerun, a rating clicked and a first visit in Chromium."""
from __future__ import annotations

import statistics
from pathlib import Path

from bench.apptest import apptest_reruns
from bench.browser import browser_clicks, chromium_or_problem, first_visits, percentile
from bench.figures import Count, Figure
from bench.statements import breakdown, statement_counts

STATEMENTS = 8  # the limit for each counted rerun


def interface_figures(folder: Path, eid: int, tree, code: str, reruns: int, clicks: int,
                      visits: int) -> list[Figure | Count]:
    """`code` is the clause the Chromium benchmark rates (the statement counts rate the first, opened by default)."""
    return (_reruns(folder, eid, tree, reruns) + _statements(folder, eid) + _clicks(folder, eid, code, clicks)
            + _first_visits(folder, visits))


def _reruns(folder: Path, eid: int, tree, reruns: int) -> list[Figure]:
    floor, pages = apptest_reruns(folder, eid, tree, reruns)
    empty = [Figure(f"opening the {name} (AppTest rerun, median of {reruns})", page.page, floor, "s", 3.0,
                    "floor: an empty Streamlit page (kept to compare with earlier runs)")
             for name, page in pages.items()]
    same = [Figure(f"{name} rerun against the same elements with no data (AppTest, median of {reruns})",
                   page.page, page.reference, "s", 1.5,
                   f"floor: a page drawing the {name}'s elements (bench/pages.py) with what it showed handed in, "
                   f"no database; {_same(page.differences)}")
            for name, page in pages.items()]
    return empty + same


def _same(differences: str) -> str:
    if not differences:
        return "the two draw the same elements, kind for kind"
    return f"the two draw different elements (page vs reference: {differences}), so bench/pages.py needs updating"


def _statements(folder: Path, eid: int) -> list[Count]:
    counted = statement_counts(folder, eid)
    rerun = counted["workspace rerun"]
    cases = [("workspace", "opening the workspace in a new session",
              f"; a rerun of the open workspace with nothing changed: {len(rerun)} ({breakdown(rerun)})"),
             ("save", "a save in the workspace fragment (保存 to the new score, the fragment only)", ""),
             ("dashboard", "a dashboard rerun where nothing changed", "")]
    return [Count(f"statements per rerun: {what}", len(counted[key]), STATEMENTS, "statements",
                  breakdown(counted[key]) + more)
            for key, what, more in cases]


def _clicks(folder: Path, eid: int, code: str, clicks: int) -> list[Figure]:
    chromium, problem = chromium_or_problem()
    if problem:
        return [Figure("rating a clause in Chromium, click to updated score", 0.0, 0.0, "s", 1.5,
                       f"not measured: {problem}")]
    times = browser_clicks(folder, eid, code, clicks, chromium)
    return [Figure(f"rating a clause in Chromium, click to updated score ({label} of {clicks})",
                   stat(times["workspace"]), stat(times["floor"]), "s", target,
                   "floor: the same click on a one-widget Streamlit page")
            for label, stat, target in (("median", statistics.median, 1.5),
                                        ("p95", lambda v: percentile(v, 0.95), 2.0))]


def _first_visits(folder: Path, visits: int) -> list[Figure]:
    what = f"first visit of the dashboard in a new browser session (Chromium, demo data, median of {visits})"
    chromium, problem = chromium_or_problem()
    if problem:
        return [Figure(what, 0.0, 0.0, "s", 3.0, f"not measured: {problem}")]
    times = {name: statistics.median(values) for name, values in first_visits(folder, visits, chromium).items()}
    return [Figure(what, times["dashboard"], times["floor"], "s", 3.0,
                   "floor: the first visit of an empty Streamlit page; each visit in a new browser context (a new "
                   "Streamlit session, nothing cached), from opening the address to the page drawn in full (script "
                   "finished, every chart drawn), signed in by the session cookie; one unmeasured visit first. A page "
                   f"with one small plotly chart and nothing else: {times['one chart'] * 1000:.0f} ms "
                   f"({times['one chart'] / times['floor']:.2f}x)")]
