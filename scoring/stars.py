"""Star levels and what the rules allow (the `decision` of the engine), read against the tree's scheme.

Thresholds are inclusive lower bounds on the rounded score (defaults 95 五星级, 90 四星级, 80 三星级, 70 达标级);
below the 达标 floor, or with the scheme's number of special deductions or more (default 5), not passed,
whatever the score. Decision: `not_passed` when the star is not passed; otherwise `withheld` while the
assessment is incomplete, a serious nonconformity is not closed, or a general nonconformity has no accepted
rectification (accepted or closed); otherwise `granted`. Observations never block.
Optional scheme rule (off by default): a first certification is capped at 达标 unless results are exceptional.
"""
from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from criteria.scheme import DEFAULT_SCHEME, STAR_LABELS, Scheme, Star

__all__ = ["DECISION_LABELS", "DEFAULT_SCHEME", "STAR_LABELS", "Decision", "Scheme", "Star", "capped", "decide",
           "next_star", "star_for"]


class Decision(StrEnum):
    GRANTED = "granted"
    WITHHELD = "withheld"
    NOT_PASSED = "not_passed"


DECISION_LABELS = {
    Decision.GRANTED: "可予认证",
    Decision.WITHHELD: "暂缓决定",
    Decision.NOT_PASSED: "不予通过",
}


def star_for(score: Decimal, scheme: Scheme = DEFAULT_SCHEME, *, deductions: int = 0) -> Star:
    """The level a rounded score reaches; not passed from the scheme's failing number of deductions on."""
    if scheme.fails_by_deductions(deductions):
        return Star.NOT_PASSED
    for star, floor in scheme.thresholds:
        if score >= floor:
            return star
    return Star.NOT_PASSED


def next_star(star: Star, scheme: Scheme = DEFAULT_SCHEME) -> tuple[Star, Decimal] | None:
    """The level just above `star` with its threshold, or None at the top."""
    above = [(s, floor) for s, floor in scheme.thresholds if s != star and floor > _floor(star, scheme)]
    return min(above, key=lambda pair: pair[1]) if above else None


def _floor(star: Star, scheme: Scheme) -> Decimal:
    return dict(scheme.thresholds).get(star, Decimal("-1"))


def capped(star: Star, *, first_certification: bool, exceptional: bool, scheme: Scheme = DEFAULT_SCHEME) -> Star:
    """Apply the optional one-year rule: a first certification earns at most 达标 unless exceptional."""
    if scheme.cap_first_certification and first_certification and not exceptional and star != Star.NOT_PASSED:
        return Star.COMPLIANT
    return star


def decide(star: Star, *, complete: bool, open_serious: int, open_general: int = 0) -> Decision:
    """`open_serious`: serious nonconformities not closed; `open_general`: general ones without an accepted
    rectification."""
    if star == Star.NOT_PASSED:
        return Decision.NOT_PASSED
    if not complete or open_serious or open_general:
        return Decision.WITHHELD
    return Decision.GRANTED
