"""Star levels and the certification decision.

Thresholds are inclusive lower bounds on the rounded score: 95 五星级, 90 四星级, 80 三星级, 70 达标级,
below 70 not passed. Decision: `not_passed` below 70; otherwise `withheld` while the assessment is incomplete
or a serious nonconformity is not closed; otherwise `granted`.
Optional scheme rule (off by default): a first certification is capped at 达标 unless results are exceptional.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Star(StrEnum):
    FIVE = "five_star"
    FOUR = "four_star"
    THREE = "three_star"
    COMPLIANT = "compliant"
    NOT_PASSED = "not_passed"


STAR_LABELS = {
    Star.FIVE: "五星级",
    Star.FOUR: "四星级",
    Star.THREE: "三星级",
    Star.COMPLIANT: "达标级",
    Star.NOT_PASSED: "未通过",
}


class Decision(StrEnum):
    GRANTED = "granted"
    WITHHELD = "withheld"
    NOT_PASSED = "not_passed"


DECISION_LABELS = {
    Decision.GRANTED: "可予认证",
    Decision.WITHHELD: "暂缓决定",
    Decision.NOT_PASSED: "不予通过",
}


@dataclass(frozen=True)
class Scheme:
    """A certification scheme's settings; the defaults are the standard's thresholds and no cap."""

    thresholds: tuple[tuple[Star, Decimal], ...] = (
        (Star.FIVE, Decimal(95)),
        (Star.FOUR, Decimal(90)),
        (Star.THREE, Decimal(80)),
        (Star.COMPLIANT, Decimal(70)),
    )
    cap_first_certification: bool = False

    @property
    def pass_mark(self) -> Decimal:
        """The lowest score that passes (the 达标 floor)."""
        return dict(self.thresholds)[Star.COMPLIANT]

    def floors_text(self) -> str:
        """The thresholds as a sentence for documents and captions."""
        return "，".join(f"{floor:g} 分及以上为{STAR_LABELS[star]}" for star, floor in self.thresholds)


DEFAULT_SCHEME = Scheme()


def star_for(score: Decimal, scheme: Scheme = DEFAULT_SCHEME) -> Star:
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


def decide(star: Star, *, complete: bool, open_serious: int) -> Decision:
    if star == Star.NOT_PASSED:
        return Decision.NOT_PASSED
    if not complete or open_serious:
        return Decision.WITHHELD
    return Decision.GRANTED
