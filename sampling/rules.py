"""The sampling plan's rules, pure: how many outlets, which are drawn at random, the auditor-days they imply.

- The headquarters is always visited and is not part of the sample.
- Sample size: with n active outlets, ceil(factor x sqrt(n)), the factor being the scheme's for the engagement's
  kind (criteria/scheme.py: initial 1, surveillance 0.6, recertification 0.8; a pre-audit as an initial
  certification, a special audit as a surveillance); at least 1 when there are outlets, never more than n; 0
  when there are none. The rounding is exact (no floating point): 0.6 x sqrt(25) is 3, not 4.
- At least a quarter of the sample is drawn at random: ceil(size / 4) outlets (at least 1 when the size is at
  least 1). The draw is `random.Random(seed).sample(outlets sorted by id, k)`, so the same seed over the same
  outlets always draws the same outlets; the seed is kept with the plan.
- The rest of the sample is chosen by the lead, each outlet with a written reason (complaints, a new outlet,
  not visited in the previous engagement of the cycle). More outlets than the size may be visited, never fewer.
- Auditor-days: the scheme's days at the headquarters plus its days per outlet visited (1 + 0.5 per outlet by
  default), a floor the team's actual days may exceed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, isqrt

from criteria.scheme import Scheme
from vocabulary import EngagementKind

RANDOM_SHARE = Fraction(1, 4)   # at least this share of the sample is drawn at random


def sample_size(outlets: int, factor: Fraction) -> int:
    """ceil(factor x sqrt(outlets)), at least 1 when there are outlets, at most their number."""
    if outlets <= 0:
        return 0
    square = Fraction(factor) ** 2 * outlets          # (factor x sqrt(n))^2, exactly
    k = isqrt(square.numerator // square.denominator)
    while k * k < square:                              # the smallest k with k >= factor x sqrt(n)
        k += 1
    return min(outlets, max(1, k))


def size_for(scheme: Scheme, kind: EngagementKind | str, outlets: int) -> int:
    return sample_size(outlets, scheme.sample_factor(kind))


def random_count(size: int) -> int:
    """How many of a sample of `size` must be drawn at random."""
    return ceil(size * RANDOM_SHARE)


def draw(outlet_ids: list[int], count: int, seed: int) -> list[int]:
    """`count` outlets drawn at random with `seed`: the same seed over the same outlets gives the same draw."""
    pool = sorted(set(outlet_ids))
    return sorted(random.Random(seed).sample(pool, min(count, len(pool))))


def auditor_days(scheme: Scheme, outlets_visited: int) -> Fraction:
    return scheme.auditor_days_headquarters + scheme.auditor_days_per_outlet * outlets_visited


@dataclass(frozen=True)
class Suggestion:
    """An outlet the lead may want to choose, and why."""

    site_id: int
    reason: str


def suggestions(outlet_ids: list[int], *, previously_visited: set[int] | None, new_ids: set[int]) -> list[Suggestion]:
    """Outlets worth choosing: new ones, and those the previous engagement of the cycle did not visit
    (`previously_visited` is None when there is no previous engagement)."""
    out = []
    for site_id in sorted(set(outlet_ids)):
        reasons = []
        if site_id in new_ids:
            reasons.append("新设网点")
        if previously_visited is not None and site_id not in previously_visited:
            reasons.append("上次评价未访问")
        if reasons:
            out.append(Suggestion(site_id, "；".join(reasons)))
    return out


def days_text(days: Fraction) -> str:
    """1.5 人日, 2 人日."""
    return f"{float(days):g} 人日"
