"""The scoring engine: GB/T 27922's rules applied to an assessment, with no I/O.

Rules, as the standard states them (our decisions marked):
1. A qualitative clause that conforms earns its full points; one that does not conform earns 0.
2. A clause scored on samples earns points x (1 - nonconforming / sampled).
3. An excluded clause (删减, always with a reason) leaves both the earned and the applicable totals.
4. An applicable clause not yet rated earns nothing and makes the assessment incomplete.
5. Score = earned / applicable x 100, then 1 point off for each special deduction and 1 point on for
   the special bonus (at most one); clamped to 0..100 and rounded half-up to two decimals (our decision:
   the special items act on the 100-point scale, after normalisation).
6. Star levels compare the rounded score, so the printed score is the one that decides.
Arithmetic is decimal, so 2.5-point clauses and half-up rounding are exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from criteria.model import Node, Tree
from scoring.assessment import Assessment, Result, Severity, excluded_leaves
from scoring.stars import DEFAULT_SCHEME, Decision, Scheme, Star, capped, decide, star_for

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Status(StrEnum):
    """What a clause amounts to: a rating's result, or excluded, or not yet rated."""

    CONFORM = "conform"
    NONCONFORM = "nonconform"
    SAMPLED = "sampled"
    EXCLUDED = "excluded"
    UNRATED = "unrated"


@dataclass(frozen=True)
class ClauseScore:
    code: str
    status: Status
    points: Decimal
    earned: Decimal
    applicable: bool
    sampled: int = 0
    nonconforming: int = 0

    @property
    def lost(self) -> Decimal:
        """Points an applicable clause does not yet earn: what turning it to conform would add."""
        return self.points - self.earned if self.applicable else Decimal(0)


@dataclass(frozen=True)
class Subtotal:
    code: str
    name: str
    level: int
    points: Decimal
    applicable: Decimal
    earned: Decimal
    clauses: int
    rated: int

    @property
    def percent(self) -> Decimal:
        return (self.earned / self.applicable * HUNDRED).quantize(CENT, ROUND_HALF_UP) if self.applicable else Decimal(0)


@dataclass(frozen=True)
class ScoreResult:
    tree_ref: str
    score: Decimal
    star: Star
    star_by_score: Star
    decision: Decision
    complete: bool
    earned_points: Decimal
    applicable_points: Decimal
    raw_score: Decimal
    special_deductions: int
    special_bonus: int
    rated: int
    applicable_clauses: int
    open_serious: int
    clauses: dict[str, ClauseScore] = field(default_factory=dict)
    subtotals: tuple[Subtotal, ...] = ()

    def subtotals_at(self, level: int) -> list[Subtotal]:
        return [s for s in self.subtotals if s.level == level]


def clause_earned(points: Decimal, result: Result, sampled: int = 0, nonconforming: int = 0) -> Decimal:
    """Rules 1 and 2 for one clause."""
    if result == Result.CONFORM:
        return points
    if result == Result.NONCONFORM:
        return Decimal(0)
    return points * (1 - Decimal(nonconforming) / Decimal(sampled))


def final_score(earned: Decimal, applicable: Decimal, deductions: int, bonus: int) -> tuple[Decimal, Decimal]:
    """Rule 5: (raw normalised score, final rounded score)."""
    raw = earned / applicable * HUNDRED if applicable else Decimal(0)
    final = min(HUNDRED, max(Decimal(0), raw - deductions + bonus))
    return raw, final.quantize(CENT, rounding=ROUND_HALF_UP)


def score(tree: Tree, assessment: Assessment, *, scheme: Scheme = DEFAULT_SCHEME,
          first_certification: bool = False, exceptional: bool = False) -> ScoreResult:
    """Score a (checked) assessment against its tree."""
    clauses = _clause_scores(tree, assessment)
    applicable = [c for c in clauses.values() if c.applicable]
    earned = sum((c.earned for c in applicable), Decimal(0))
    possible = sum((c.points for c in applicable), Decimal(0))
    deductions, bonus = len(assessment.special_deductions), min(1, len(assessment.special_bonus))
    raw, final = final_score(earned, possible, deductions, bonus)
    rated = sum(1 for c in applicable if c.status != Status.UNRATED)
    complete = rated == len(applicable)
    by_score = star_for(final, scheme)
    star = capped(by_score, first_certification=first_certification, exceptional=exceptional, scheme=scheme)
    open_serious = sum(1 for nc in assessment.nonconformities if nc.severity == Severity.SERIOUS and not nc.closed)
    return ScoreResult(
        tree_ref=tree.ref, score=final, star=star, star_by_score=by_score,
        decision=decide(star, complete=complete, open_serious=open_serious), complete=complete,
        earned_points=earned, applicable_points=possible, raw_score=raw,
        special_deductions=deductions, special_bonus=bonus, rated=rated, applicable_clauses=len(applicable),
        open_serious=open_serious, clauses=clauses,
        subtotals=tuple(_subtotal(n, clauses) for n in tree.walk() if not n.is_leaf),
    )


def _clause_scores(tree: Tree, assessment: Assessment) -> dict[str, ClauseScore]:
    ratings = {r.code: r for r in assessment.ratings}
    excluded = set().union(*(excluded_leaves(e, tree) for e in assessment.exclusions))
    out = {}
    for leaf in tree.leaves():
        rating = ratings.get(leaf.code)
        if leaf.code in excluded:
            out[leaf.code] = ClauseScore(leaf.code, Status.EXCLUDED, leaf.points, Decimal(0), applicable=False)
        elif rating is None:
            out[leaf.code] = ClauseScore(leaf.code, Status.UNRATED, leaf.points, Decimal(0), applicable=True)
        else:
            earned = clause_earned(leaf.points, rating.result, rating.sampled, rating.nonconforming)
            out[leaf.code] = ClauseScore(leaf.code, Status(rating.result), leaf.points, earned, True,
                                         rating.sampled, rating.nonconforming)
    return out


def _subtotal(node: Node, clauses: dict[str, ClauseScore]) -> Subtotal:
    below = [clauses[leaf.code] for leaf in node.leaves()]
    applicable = [c for c in below if c.applicable]
    return Subtotal(
        code=node.code, name=node.name, level=node.level, points=node.points,
        applicable=sum((c.points for c in applicable), Decimal(0)),
        earned=sum((c.earned for c in applicable), Decimal(0)),
        clauses=len(below), rated=sum(1 for c in applicable if c.status != Status.UNRATED),
    )
