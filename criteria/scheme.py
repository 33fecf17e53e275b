"""A certification scheme's settings, carried by its tree: star floors, the special deductions that fail an
evaluation, the exclusion cap, nonconformity deadlines, the impartiality window, the first-certification cap,
the display scale, the certification cycle's periods and the sampling of outlets. A tree file sets them in its `scheme:` block; whatever it leaves out takes the default below
(domain brief A2 to A5). Star levels live here because the floors are scheme data; scoring re-exports them.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from vocabulary import EngagementKind, Severity


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
STARRED = (Star.FIVE, Star.FOUR, Star.THREE, Star.COMPLIANT)  # the levels a floor is set for, highest first
DISPLAY_SCALES = (100, 1000)


@dataclass(frozen=True)
class Scheme:
    """A certification scheme's settings; the defaults are the standard's floors and the common practice.

    Floors are inclusive lower bounds on the 100-point score, whatever the display scale."""

    thresholds: tuple[tuple[Star, Decimal], ...] = (
        (Star.FIVE, Decimal(95)),
        (Star.FOUR, Decimal(90)),
        (Star.THREE, Decimal(80)),
        (Star.COMPLIANT, Decimal(70)),
    )
    failing_deductions: int = 5                  # this many special deductions or more fail the evaluation
    exclusion_cap_percent: Fraction = Fraction(25)  # excluded points may reach, not pass, this share of the tree
    nc_days_serious: int = 30
    nc_days_general: int = 30
    impartiality_years: int = 2                  # a consultant of the company may not assess or decide within it
    cap_first_certification: bool = False        # a first certification earns at most 达标 unless exceptional
    display_scale: int = 100                     # 100, or 1000 for bodies that score out of 1000
    plan_notice_days: int = 3                    # the evaluation plan reaches the company this many days ahead
    validity_years: int = 3                      # a certificate's validity
    surveillance_months: int = 12                # surveillance due this long after the decision, then yearly
    surveillance_window_days: int = 60           # a surveillance may run this many days either side of its due date
    recertification_notice_months: int = 3       # the recertification application is due this long before expiry
    suspension_max_months: int = 6               # a suspension may last this long, then the certificate is withdrawn
    # outlets sampled: factor x sqrt(active outlets), rounded up (sampling/rules.py); a pre-audit rehearses the
    # initial certification, a special audit samples like a surveillance
    sample_factors: tuple[tuple[EngagementKind, Fraction], ...] = (
        (EngagementKind.PRE_AUDIT, Fraction(1)),
        (EngagementKind.INITIAL, Fraction(1)),
        (EngagementKind.SURVEILLANCE, Fraction(3, 5)),
        (EngagementKind.RECERTIFICATION, Fraction(4, 5)),
        (EngagementKind.SPECIAL, Fraction(3, 5)),
    )
    auditor_days_per_outlet: Fraction = Fraction(1, 2)   # at least this many auditor-days per outlet visited
    auditor_days_headquarters: Fraction = Fraction(1)    # and this many at the headquarters

    @property
    def pass_mark(self) -> Decimal:
        """The lowest score that passes (the 达标 floor)."""
        return dict(self.thresholds)[Star.COMPLIANT]

    def floors_text(self) -> str:
        """The thresholds as a sentence for documents and captions."""
        return "，".join(f"{self.displayed(floor):g} 分及以上为{STAR_LABELS[star]}" for star, floor in self.thresholds)

    def fails_by_deductions(self, deductions: int) -> bool:
        return deductions >= self.failing_deductions

    def exclusion_cap(self, total_points: Fraction) -> Fraction:
        """The most points a set of exclusions may take out of a tree of `total_points`."""
        return Fraction(total_points) * self.exclusion_cap_percent / 100

    def deadline_days(self, severity: Severity) -> int | None:
        """Days a company has to rectify a nonconformity; an observation has no deadline."""
        return {Severity.SERIOUS: self.nc_days_serious, Severity.GENERAL: self.nc_days_general}.get(severity)

    def displayed(self, score: Decimal) -> Decimal:
        """A 100-point score on the display scale (95.00 is 950.0 out of 1000)."""
        return score * self.display_scale / 100

    def sample_factor(self, kind: EngagementKind | str) -> Fraction:
        """The factor on sqrt(outlets) for an engagement of this kind."""
        return dict(self.sample_factors)[EngagementKind(kind)]

    def to_dict(self) -> dict:
        """The settings as a tree file's `scheme:` block spells them."""
        return {
            "thresholds": {str(star): _plain(floor) for star, floor in self.thresholds},
            "failing_deductions": self.failing_deductions,
            "exclusion_cap_percent": _plain(self.exclusion_cap_percent),
            "nonconformity_days": {str(Severity.SERIOUS): self.nc_days_serious,
                                   str(Severity.GENERAL): self.nc_days_general},
            "impartiality_years": self.impartiality_years,
            "cap_first_certification": self.cap_first_certification,
            "display_scale": self.display_scale,
            **{key: getattr(self, key) for key in CYCLE_SETTINGS},
            "sample_factors": {str(kind): _plain(factor) for kind, factor in self.sample_factors},
            "auditor_days_per_outlet": _plain(self.auditor_days_per_outlet),
            "auditor_days_headquarters": _plain(self.auditor_days_headquarters),
        }


def _plain(value: Decimal | Fraction) -> int | float:
    return int(value) if value == int(value) else float(value)


CYCLE_SETTINGS = {  # the certification cycle's settings (domain brief A6, A7) and the whole numbers they take
    "plan_notice_days": (0, 60), "validity_years": (1, 10), "surveillance_months": (1, 36),
    "surveillance_window_days": (0, 180), "recertification_notice_months": (0, 24), "suspension_max_months": (1, 24),
}
DEFAULT_SCHEME = Scheme()
