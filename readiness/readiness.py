"""How ready a company is for its certification audit, from its pre-audit and its preparation tasks (pure).

Rules (our decisions, stated once):
1. A clause is ready when it has tasks and every one is accepted, or when it has none and the pre-audit rated it
   conform (or excluded it, or did not cover it); in progress when any of its tasks has been handed in, accepted
   or returned; missing otherwise.
2. An indicator counts its clauses by level; its share is the ready clauses over its clauses.
3. The predicted score reads the pre-audit's ratings with every ready clause counted conform, over the clauses
   rated or ready (a clause neither rated nor ready is left out, as the pre-audit wording does): it moves as the
   consultant accepts work. The score "if every open task were done" counts every clause with a task conform.
4. The path to the next star (scoring/next_star.py) read on the predicted result names the clauses whose tasks
   to finish first.
5. 售后服务管理师 (5.1.2.2): 10% of the service management staff, rounded up, and at least one.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from criteria.model import Tree
from scoring.assessment import Assessment, Rating
from scoring.engine import ScoreResult, score
from scoring.next_star import Path, path_to_next_star
from vocabulary import RATED, ClauseStatus, ReadinessLevel, TaskState, finds_against

PROGRESSED = {TaskState.SUBMITTED, TaskState.ACCEPTED, TaskState.RETURNED}
MANAGER_SHARE_PERCENT = 10


def managers_required(service_management_staff: int) -> int:
    """Certified 售后服务管理师 a company needs for 5.1.2.2: 10% of its service management staff, rounded up,
    and at least one."""
    if service_management_staff < 0:
        raise ValueError("staff count cannot be negative")
    return max(1, math.ceil(service_management_staff * MANAGER_SHARE_PERCENT / 100))


@dataclass(frozen=True)
class IndicatorReadiness:
    code: str
    name: str
    counts: dict[ReadinessLevel, int]

    @property
    def clauses(self) -> int:
        return sum(self.counts.values())

    @property
    def share(self) -> float:
        return self.counts.get(ReadinessLevel.READY, 0) / self.clauses * 100 if self.clauses else 0.0


@dataclass(frozen=True)
class Readiness:
    clauses: dict[str, ReadinessLevel]
    indicators: list[IndicatorReadiness]
    predicted: ScoreResult
    if_done: ScoreResult
    path: Path
    open_tasks: int
    tasks: int

    @property
    def ready_share(self) -> float:
        ready = sum(1 for level in self.clauses.values() if level == ReadinessLevel.READY)
        return ready / len(self.clauses) * 100 if self.clauses else 0.0


def clause_level(states: list[TaskState], rated_ok: bool) -> ReadinessLevel:
    if not states:
        return ReadinessLevel.READY if rated_ok else ReadinessLevel.MISSING
    if all(s == TaskState.ACCEPTED for s in states):
        return ReadinessLevel.READY
    return ReadinessLevel.IN_PROGRESS if any(s in PROGRESSED for s in states) else ReadinessLevel.MISSING


def compute_readiness(tree: Tree, assessment: Assessment, tasks: list[tuple[str, TaskState]]) -> Readiness:
    """`tasks`: (clause code, state) of each task of the pre-audit."""
    by_clause: dict[str, list[TaskState]] = {}
    for code, state in tasks:
        by_clause.setdefault(code, []).append(TaskState(state))
    ratings = {r.code: r for r in assessment.ratings}
    settled = _settled(tree, assessment)
    levels = {leaf.code: clause_level(by_clause.get(leaf.code, []), _rated_ok(ratings.get(leaf.code))
                                      or leaf.code in settled) for leaf in tree.leaves()}
    ready = {code for code, level in levels.items() if level == ReadinessLevel.READY}
    predicted = score(tree, _counted(tree, assessment, ready, settled))
    done = ready | set(by_clause)
    if_done = score(tree, _counted(tree, assessment, done, settled))
    indicators = [IndicatorReadiness(node.code, node.name, dict(Counter(levels[leaf.code] for leaf in node.leaves())))
                  for node in tree.walk() if node.level == 2 and not node.is_leaf]
    open_tasks = sum(1 for _, state in tasks if state != TaskState.ACCEPTED)
    return Readiness(levels, indicators, predicted, if_done, path_to_next_star(predicted), open_tasks, len(tasks))


def _rated_ok(rating: Rating | None) -> bool:
    return rating is not None and rating.result in RATED and not finds_against(rating.result, rating.nonconforming)


def _settled(tree: Tree, assessment: Assessment) -> set[str]:
    result = score(tree, assessment, subtotals=False)
    return {c.code for c in result.clauses.values() if not c.applicable}


def _counted(tree: Tree, assessment: Assessment, conform: set[str], settled: set[str]) -> Assessment:
    """The assessment with `conform` clauses conform and every other clause not rated left out."""
    kept = [r for r in assessment.ratings if r.code not in conform]
    ratings = tuple(kept) + tuple(Rating(code, ClauseStatus.CONFORM) for code in sorted(conform - settled))
    rated = {r.code for r in ratings}
    left_out = tuple(leaf.code for leaf in tree.leaves() if leaf.code not in rated and leaf.code not in settled)
    return replace(assessment, ratings=ratings, not_covered=tuple(assessment.not_covered) + left_out)


def indicator_percents(result: ScoreResult, level: int = 2) -> list[tuple[str, str, Decimal | None]]:
    """Each indicator's share of its applicable points earned (None when nothing in it applies)."""
    return [(s.code, s.name, s.percent if s.applicable else None) for s in result.subtotals_at(level)]
