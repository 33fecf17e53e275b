"""What the benchmarks report: ratios to a floor measured in the same run, and counts with an absolute limit;
bench/results.md is written from them."""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass


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

    def row(self) -> str:
        target = f"{self.target:g}x" + (f" and ≤ {self.limit:g} s" if self.limit else "")
        return (f"| {self.what} | {self.measured * 1000:.1f} ms | {self.floor * 1000:.1f} ms | {self.ratio:.2f}x | "
                f"{target} | {'yes' if self.met else 'no'} | {self.extra} |")

    def missed(self) -> str:
        return f"{self.ratio:.2f}x against {self.target:g}x"

    def summary(self) -> str:
        return f"{self.what}: {self.ratio:.2f}x (target {self.target:g}x) {self.extra}"


@dataclass(frozen=True)
class Count:
    """A count with an absolute limit, such as the statements one rerun sends to the database."""
    what: str
    measured: int
    limit: int
    unit: str
    extra: str = ""

    @property
    def met(self) -> bool:
        return self.measured <= self.limit

    def row(self) -> str:
        return (f"| {self.what} | {self.measured} {self.unit} | — | — | ≤ {self.limit} | {'yes' if self.met else 'no'} "
                f"| {self.extra} |")

    def missed(self) -> str:
        return f"{self.measured} {self.unit} against at most {self.limit}"

    def summary(self) -> str:
        return f"{self.what}: {self.measured} {self.unit} (limit {self.limit}) {self.extra}"


# a part of a row's name -> why such a row misses its target, and what would bring it within reach
WHY_MISSED = {
    "(AppTest rerun": (
        "Against an empty page: Streamlit redraws the whole page on a rerun, and the workspace draws about 100 "
        "elements (the score, the clause buttons under their indicator headings, the rating form, four panels) "
        "and the dashboard up to six charts and two tables, so most of these ratios is Streamlit's own drawing. These "
        "rows are kept to compare with earlier runs; issue 13 measures each page against a page drawing the same "
        "elements (the rows against the same elements)."),
    "against the same elements": (
        "Against the same elements: the reference draws what the page drew (the same kinds and numbers of "
        "elements, the same figures and table rows, checked in the run), so the gap is our code on each rerun: "
        "the statements counted in the statement rows, each through the ORM in its own session and most of them "
        "access checks, and building the rows the page shows (the workspace loads every clause rating as an ORM "
        "object for its clause list). Plotly is not the gap: the reference hands st.plotly_chart the same figures "
        "as dicts, which plotly builds and validates just as it builds ui/charts.py's figures. What would bring "
        "them within reach: the statement counts within their limit, and the clause list read as columns."),
    "statements per rerun": (
        "Statements: the breakdown in each row groups them by verb and table. A page run and the workspace's "
        "fragment each read the signed-in user, the team membership and the engagement once for all their access "
        "checks (accounts.access remember_per_run), a write forgets only what it wrote (an engagement write the "
        "engagement; the user and team roles only when accounts or teams were written), and the fragment reads the "
        "company's sites and the clause's register once for its panels: the dashboard rerun is within 8. What is "
        "left in the workspace: the score and the clause list read the ratings, the panels the clause's "
        "nonconformities and special items, the site filter and 分场所记录 their findings; a save also checks the "
        "clause's register and writes three statements. What would bring each within 8: the score from the rows "
        "the clause list already read, and the panels' nonconformities and special items from one read with the "
        "register."),
    "click to updated score": (
        "Click to score: 保存 runs the save in the form's callback and reruns only the workspace's fragment; what "
        "the floor page does not do is the save's statements (counted above) and redrawing the fragment's elements "
        "(the score, the clause list, the form) instead of one button and one metric. Fewer statements per save "
        "and fewer elements in the fragment (the clause list as one selectable table) would close it."),
    "first visit of the dashboard": (
        "First visit: a new browser session loads Streamlit's front end, runs the page once with nothing "
        "remembered (the assessment is built and the score history replayed), then loads the front-end modules "
        "for charts and tables and draws its plotly figures (six on the demo data) and two tables; the empty page loads none of them. "
        "The row's notes give a page with one small plotly chart and nothing else, measured in the same run: "
        "loading plotly in the browser is a large part of the gap. What would bring it within reach: no plotly "
        "chart on the dashboard's first screen (the indicator scores as a table with progress columns, which the "
        "page already loads for its tables; the other charts drawn only when asked for)."),
}


def markdown(figures: list[Figure | Count], engagement: str) -> str:
    lines = [f"# Benchmark results\n\nMachine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}. Engagement: {engagement}.\n",
             "| what | measured | floor | ratio | target | met | notes |", "|---|---|---|---|---|---|---|"]
    lines += [f.row() for f in figures]
    missed = [f for f in figures if not f.met]
    if missed:
        lines.append("\n## Targets missed\n")
        lines += [f"- {f.what}: {f.missed()}." for f in missed]
        notes = [why for key, why in WHY_MISSED.items() if any(key in f.what for f in missed)]
        lines += ["", "\n\n".join(notes)]
    return "\n".join(lines) + "\n"
