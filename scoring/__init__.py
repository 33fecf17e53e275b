"""The pure scoring engine of GB/T 27922: clause rules, score, star level, decision, path to the next star."""
from scoring.assessment import (
    Assessment,
    Exclusion,
    NonconformityState,
    Rating,
    SpecialItem,
    parse_assessment,
)
from scoring.engine import ScoreResult, score
from scoring.next_star import path_to_next_star
from scoring.stars import DECISION_LABELS, STAR_LABELS, Decision, Scheme, Star

__all__ = [
    "DECISION_LABELS", "STAR_LABELS", "Assessment", "Decision", "Exclusion", "NonconformityState", "Rating",
    "Scheme", "ScoreResult", "SpecialItem", "Star", "parse_assessment",
    "path_to_next_star", "score",
]
