"""The path to the next star: the fewest clauses whose change to conform reaches the next star level.

Turning a clause to conform adds exactly the points it does not yet earn and leaves the applicable total
alone, so taking clauses in order of the points they would add (largest first) reaches the target with
the fewest clauses; ties keep the tree's order. An evaluation failed by its special deductions has no path:
no clause can lift it.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.engine import ClauseScore, ScoreResult, final_score
from scoring.stars import Scheme, Star, next_star


@dataclass(frozen=True)
class Step:
    code: str
    adds: Fraction         # points on the clause scale
    adds_score: Fraction   # the same on the 100-point scale
    status: str


@dataclass(frozen=True)
class Path:
    target: Star | None
    threshold: Decimal | None
    steps: tuple[Step, ...]
    reachable: bool
    score_after: Decimal


def path_to_next_star(result: ScoreResult, scheme: Scheme | None = None) -> Path:
    """What an assessment still needs for the level above its score's level, read against the scheme the
    result was scored with unless another is given."""
    above = next_star(result.star_by_score, scheme or result.scheme)
    if above is None or not result.applicable_points or result.failed_by_deductions:
        return Path(None, None, (), False, result.score)
    target, threshold = above
    candidates = sorted((c for c in result.clauses.values() if c.lost > 0), key=lambda c: -c.lost)
    earned, steps = result.earned_points, []
    score_now = result.score
    for clause in candidates:
        if score_now >= threshold:
            break
        earned += clause.lost
        steps.append(_step(clause, result.applicable_points))
        _, score_now = final_score(earned, result.applicable_points, result.special_deductions, result.special_bonus)
    return Path(target, threshold, tuple(steps), score_now >= threshold, score_now)


def _step(clause: ClauseScore, applicable: Fraction) -> Step:
    return Step(clause.code, clause.lost, clause.lost / applicable * 100, str(clause.status))
