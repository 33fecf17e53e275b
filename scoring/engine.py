"""The scoring engine: GB/T 27922's rules applied to an assessment, with no I/O.

Rules, as the standard states them (our decisions marked); the scheme is the tree's unless one is given:
1. A qualitative clause that conforms earns its full points; one that does not conform earns 0.
2. A clause scored on samples earns points x (1 - nonconforming / sampled).
3. An excluded clause (删减, always with a reason, only where the tree allows it and within the scheme's cap:
   scoring/applicability.py) leaves both the earned and the applicable totals.
4. A clause a surveillance visit did not check (本次未抽查) leaves both totals too; it is not an exclusion.
5. An applicable clause not yet rated earns nothing and makes the assessment incomplete.
6. Score = earned / applicable x 100, then 1 point off for each special deduction and 1 point on for
   the special bonus (at most one); clamped to 0..100 and rounded half-up to two decimals (our decision:
   the special items act on the 100-point scale, after normalisation).
7. Star levels compare the rounded score with the scheme's floors, so the printed score is the one that
   decides; the scheme's number of special deductions (default 5) or more fails the evaluation whatever
   the score (特别扣分项达到5个以上（含5个）为评价不合格).
8. Decision (scoring/stars.py): not passed when the star is; otherwise withheld while incomplete, while a
   serious nonconformity is not closed or a general one has no accepted rectification; otherwise granted.
Points and sums are exact fractions, so subtotals add up to the totals to the last digit and the
half-up rounding of rule 6 is never disturbed by binary or decimal truncation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from criteria.model import Node, Tree
from scoring.assessment import Assessment, excluded_leaves, not_covered_leaves
from scoring.stars import DEFAULT_SCHEME, Decision, Scheme, Star, capped, decide, star_for
from vocabulary import ClauseStatus, EngagementKind, Severity

HUNDRED = 100
CENT = Decimal("0.01")
ZERO = Fraction(0)


@dataclass(frozen=True)
class ClauseScore:
    code: str
    status: ClauseStatus
    points: Fraction
    earned: Fraction
    applicable: bool
    sampled: int = 0
    nonconforming: int = 0

    @property
    def lost(self) -> Fraction:
        """Points an applicable clause does not yet earn: what turning it to conform would add."""
        return self.points - self.earned if self.applicable else ZERO


@dataclass(frozen=True)
class Subtotal:
    code: str
    name: str
    level: int
    points: Fraction
    applicable: Fraction
    earned: Fraction
    clauses: int
    rated: int

    @property
    def percent(self) -> Decimal:
        return rounded(self.earned / self.applicable * HUNDRED) if self.applicable else Decimal(0)


@dataclass(frozen=True)
class ScoreResult:
    tree_ref: str
    score: Decimal
    star: Star
    star_by_score: Star
    decision: Decision
    complete: bool
    earned_points: Fraction
    applicable_points: Fraction
    raw_score: Fraction
    special_deductions: int
    special_bonus: int
    rated: int
    applicable_clauses: int
    open_serious: int
    open_general: int = 0          # general nonconformities without an accepted rectification
    failed_by_deductions: bool = False
    clauses: dict[str, ClauseScore] = field(default_factory=dict)
    subtotals: tuple[Subtotal, ...] = ()
    scheme: Scheme = DEFAULT_SCHEME  # the thresholds the star was read against, for whatever shows them

    def subtotals_at(self, level: int) -> list[Subtotal]:
        return [s for s in self.subtotals if s.level == level]

    def with_status(self, status: ClauseStatus) -> list[str]:
        """The codes of the clauses in one state (e.g. not covered, for the report's list), in tree order."""
        return [c.code for c in self.clauses.values() if c.status == status]


def clause_earned(points: Fraction, result: ClauseStatus, sampled: int = 0, nonconforming: int = 0) -> Fraction:
    """Rules 1 and 2 for one clause."""
    if result == ClauseStatus.CONFORM:
        return points
    if result == ClauseStatus.NONCONFORM:
        return ZERO
    return points * (1 - Fraction(nonconforming, sampled))


def rounded(value: Fraction) -> Decimal:
    """Half-up to two decimals, computed on the exact value."""
    cents, rest = divmod(value * 100, 1)
    return Decimal(int(cents) + (1 if rest >= Fraction(1, 2) else 0)) * CENT


def final_score(earned: Fraction, applicable: Fraction, deductions: int, bonus: int) -> tuple[Fraction, Decimal]:
    """Rule 5: (raw normalised score, final rounded score)."""
    raw = earned / applicable * HUNDRED if applicable else ZERO
    return raw, rounded(min(Fraction(HUNDRED), max(ZERO, raw - deductions + bonus)))


def score(tree: Tree, assessment: Assessment, *, scheme: Scheme | None = None,
          first_certification: bool | None = None, exceptional: bool = False, subtotals: bool = True) -> ScoreResult:
    """Score a (checked) assessment against its tree, with the tree's scheme unless `scheme` is given;
    `first_certification` defaults to the assessment's kind being an initial certification; `subtotals=False`
    leaves the per-indicator subtotals out (most of the work) when only the score is wanted."""
    scheme = scheme or tree.scheme
    if first_certification is None:
        first_certification = assessment.kind == EngagementKind.INITIAL
    clauses = _clause_scores(tree, assessment)
    applicable = [c for c in clauses.values() if c.applicable]
    earned = sum((c.earned for c in applicable), ZERO)
    possible = sum((c.points for c in applicable), ZERO)
    deductions, bonus = len(assessment.special_deductions), min(1, len(assessment.special_bonus))
    raw, final = final_score(earned, possible, deductions, bonus)
    rated = sum(1 for c in applicable if c.status != ClauseStatus.UNRATED)
    by_score = star_for(final, scheme)
    star = capped(star_for(final, scheme, deductions=deductions), first_certification=first_certification,
                  exceptional=exceptional, scheme=scheme)
    ncs = assessment.nonconformities
    open_serious = sum(1 for nc in ncs if nc.blocks and nc.severity == Severity.SERIOUS)
    open_general = sum(1 for nc in ncs if nc.blocks and nc.severity == Severity.GENERAL)
    return ScoreResult(
        tree_ref=tree.ref, score=final, star=star, star_by_score=by_score,
        decision=decide(star, complete=rated == len(applicable), open_serious=open_serious,
                        open_general=open_general),
        complete=rated == len(applicable), earned_points=earned, applicable_points=possible, raw_score=raw,
        special_deductions=deductions, special_bonus=bonus, rated=rated, applicable_clauses=len(applicable),
        open_serious=open_serious, open_general=open_general,
        failed_by_deductions=scheme.fails_by_deductions(deductions), clauses=clauses,
        subtotals=tuple(_subtotal(n, clauses) for n in tree.walk() if not n.is_leaf) if subtotals else (),
        scheme=scheme,
    )


def _clause_scores(tree: Tree, assessment: Assessment) -> dict[str, ClauseScore]:
    ratings = {r.code: r for r in assessment.ratings}
    excluded = set().union(*(excluded_leaves(e, tree) for e in assessment.exclusions))
    not_covered = not_covered_leaves(assessment, tree)
    out = {}
    for leaf in tree.leaves():
        rating, points = ratings.get(leaf.code), Fraction(leaf.points)
        if leaf.code in excluded:
            out[leaf.code] = ClauseScore(leaf.code, ClauseStatus.EXCLUDED, points, ZERO, applicable=False)
        elif leaf.code in not_covered:
            out[leaf.code] = ClauseScore(leaf.code, ClauseStatus.NOT_COVERED, points, ZERO, applicable=False)
        elif rating is None:
            out[leaf.code] = ClauseScore(leaf.code, ClauseStatus.UNRATED, points, ZERO, applicable=True)
        else:
            earned = clause_earned(points, rating.result, rating.sampled, rating.nonconforming)
            out[leaf.code] = ClauseScore(leaf.code, rating.result, points, earned, True,
                                         rating.sampled, rating.nonconforming)
    return out


def _subtotal(node: Node, clauses: dict[str, ClauseScore]) -> Subtotal:
    below = [clauses[leaf.code] for leaf in node.leaves()]
    applicable = [c for c in below if c.applicable]
    return Subtotal(
        code=node.code, name=node.name, level=node.level, points=Fraction(node.points),
        applicable=sum((c.points for c in applicable), ZERO),
        earned=sum((c.earned for c in applicable), ZERO),
        clauses=len(below), rated=sum(1 for c in applicable if c.status != ClauseStatus.UNRATED),
    )
