"""What an engagement's pages and documents call its result, by engagement kind: one rule for every place.

A certification engagement prints its score, star level and what the rules allow. A pre-audit (预评价) is a
consultant's gap analysis: it speaks of readiness (准备度), a predicted star on what is rated so far (预计星级)
and what to fix first; it never prints a conclusion a certification body takes (可予认证 / 不予通过 / 暂缓决定),
a recommendation, a decision or a decision maker's signature. Pure: no database, no documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.engine import ScoreResult, final_score
from scoring.stars import STAR_LABELS, Star, star_for
from vocabulary import ClauseStatus, EngagementKind


@dataclass(frozen=True)
class Wording:
    gap: bool                       # a pre-audit: readiness, never a conclusion
    documents: dict[str, str]       # document name -> what it is called
    titles: dict[str, str]          # document name -> the title printed on it
    star: str                       # the heading over the star level
    conclusion: str                 # the heading over the decision, or over the readiness
    signatures: tuple[str, ...]     # who signs the report


CERTIFICATION = Wording(
    gap=False,
    documents={"report": "评价报告", "nonconformities": "不符合报告", "result": "评价结论", "plan": "评价计划"},
    titles={"report": "商品售后服务评价报告", "nonconformities": "不符合报告", "result": "商品售后服务评价结论",
            "plan": "商品售后服务评价计划"},
    star="星级", conclusion="结论", signatures=("审查组长", "评价组成员", "受评价企业代表", "认证决定人员"))
GAP_ANALYSIS = Wording(
    gap=True,
    documents={"report": "差距分析报告", "nonconformities": "差距项报告", "result": "准备度评估",
               "plan": "预评价计划"},
    titles={"report": "商品售后服务差距分析报告", "nonconformities": "差距项报告（预评价）",
            "result": "商品售后服务预评价准备度评估", "plan": "商品售后服务预评价计划（差距分析）"},
    star="预计星级", conclusion="准备度", signatures=("咨询师", "受评价企业代表"))


def wording(kind: str | None) -> Wording:
    return GAP_ANALYSIS if kind == EngagementKind.PRE_AUDIT else CERTIFICATION


@dataclass(frozen=True)
class Readiness:
    """One first-level indicator's readiness: the share of its applicable points already rated and earned
    (an unrated clause earns nothing yet), with how many of its applicable clauses are rated."""
    code: str
    name: str
    rated: int
    clauses: int
    earned: Fraction
    applicable: Fraction

    @property
    def share(self) -> float:
        return float(self.earned / self.applicable * 100) if self.applicable else 0.0

    @property
    def text(self) -> str:
        return f"{self.share:.0f}%（已评 {self.rated}/{self.clauses}）" if self.applicable else "不适用"


def readiness(result: ScoreResult) -> list[Readiness]:
    return [Readiness(x.code, x.name, x.rated, x.clauses, x.earned, x.applicable) for x in result.subtotals_at(1)]


def overall_readiness(result: ScoreResult) -> str:
    share = float(result.earned_points / result.applicable_points * 100) if result.applicable_points else 0.0
    return f"{share:.0f}%"


def predicted(result: ScoreResult) -> tuple[Decimal, Star] | None:
    """The score and star the rated clauses alone would give (special items included); None before any rating."""
    rated = [c for c in result.clauses.values() if c.applicable and c.status != ClauseStatus.UNRATED]
    applicable = sum((c.points for c in rated), Fraction(0))
    if not applicable:
        return None
    _, score = final_score(sum((c.earned for c in rated), Fraction(0)), applicable, result.special_deductions,
                           result.special_bonus)
    return score, star_for(score, result.scheme, deductions=result.special_deductions)


def predicted_text(result: ScoreResult) -> str:
    found = predicted(result)
    if not found:
        return "尚无评分"
    level = "未达达标级" if found[1] == Star.NOT_PASSED else STAR_LABELS[found[1]]
    return f"{level}（已评部分 {found[0]:.2f} 分）"
