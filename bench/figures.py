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


WHY_MISSED: dict[str, str] = {}  # the start of a row's name -> why such a row misses its target, what would help


def markdown(figures: list[Figure | Count], engagement: str) -> str:
    lines = [f"# Benchmark results\n\nMachine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}. Engagement: {engagement}.\n",
             "| what | measured | floor | ratio | target | met | notes |", "|---|---|---|---|---|---|---|"]
    lines += [f.row() for f in figures]
    missed = [f for f in figures if not f.met]
    if missed:
        lines.append("\n## Targets missed\n")
        lines += [f"- {f.what}: {f.missed()}." for f in missed]
        notes = [why for key, why in WHY_MISSED.items() if any(f.what.startswith(key) for f in missed)]
        lines += ["", "\n\n".join(notes)]
    return "\n".join(lines) + "\n"
