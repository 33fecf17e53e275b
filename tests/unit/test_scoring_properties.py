"""Invariants of the scoring engine over random assessments of the default tree (hypothesis)."""
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Assessment, Exclusion, Rating, SpecialItem, Star, path_to_next_star, score
from scoring.assessment import check_assessment
from scoring.stars import star_for
from tests.factories import default_tree
from vocabulary import ClauseStatus, EngagementKind

TREE = default_tree()
LEAVES = TREE.leaves()
EXCLUDABLE = [leaf for leaf in LEAVES if leaf.excludable]  # all of them together stay within the 25% cap


@st.composite
def clause_states(draw):
    kind = draw(st.sampled_from(["unrated", "conform", "nonconform", "sampled", "excluded", "not_covered"]))
    if kind == "sampled":
        n = draw(st.integers(1, 60))
        return Rating("", ClauseStatus.SAMPLED, n, draw(st.integers(0, n)))
    if kind in ("conform", "nonconform"):
        return Rating("", ClauseStatus(kind))
    return kind


@st.composite
def assessments(draw, complete=False):
    states = draw(st.lists(clause_states(), min_size=len(LEAVES), max_size=len(LEAVES)))
    ratings, exclusions, not_covered = [], [], []
    for leaf, state in zip(LEAVES, states, strict=True):
        if state == "excluded" and leaf.excludable:
            exclusions.append(Exclusion(leaf.code, "不适用"))
        elif state == "not_covered":
            not_covered.append(leaf.code)
        elif state in ("unrated", "excluded"):
            if complete:
                ratings.append(Rating(leaf.code, ClauseStatus.CONFORM))
        else:
            ratings.append(replace(state, code=leaf.code))
    deductions = tuple(SpecialItem("扣分") for _ in range(draw(st.integers(0, 6))))
    bonus = tuple(SpecialItem("加分") for _ in range(draw(st.integers(0, 1))))
    a = Assessment(TREE.id, tuple(ratings), tuple(exclusions), deductions, bonus, not_covered=tuple(not_covered),
                   kind=EngagementKind.SURVEILLANCE)
    check_assessment(a, TREE)  # what is generated is what the rules accept
    return a


def with_rating(a: Assessment, rating: Rating) -> Assessment:
    others = tuple(r for r in a.ratings if r.code != rating.code)
    return replace(a, ratings=others + (rating,), exclusions=tuple(e for e in a.exclusions if e.code != rating.code),
                   not_covered=tuple(c for c in a.not_covered if c != rating.code))


def oracle(a: Assessment) -> Decimal:
    """The score formula computed independently, in exact fractions."""
    excluded = {e.code for e in a.exclusions} | set(a.not_covered)
    ratings = {r.code: r for r in a.ratings}
    earned = possible = Fraction(0)
    for leaf in LEAVES:
        if leaf.code in excluded:
            continue
        pts = Fraction(str(leaf.points))
        possible += pts
        r = ratings.get(leaf.code)
        if r is None or r.result == ClauseStatus.NONCONFORM:
            continue
        earned += pts if r.result == ClauseStatus.CONFORM else pts * (r.sampled - r.nonconforming) / r.sampled
    value = earned / possible * 100 if possible else Fraction(0)
    value = min(Fraction(100), max(Fraction(0), value - len(a.special_deductions) + min(1, len(a.special_bonus))))
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@settings(max_examples=300, deadline=None)
@given(assessments())
def test_score_equals_the_formula_and_stays_within_0_and_100(a):
    r = score(TREE, a)
    assert 0 <= r.score <= 100
    assert r.score == oracle(a)
    assert r.star == (Star.NOT_PASSED if len(a.special_deductions) >= 5 else star_for(r.score))


@settings(max_examples=200, deadline=None)
@given(assessments(), st.sampled_from(LEAVES))
def test_turning_a_clause_from_nonconform_to_conform_never_lowers_the_score(a, leaf):
    worse = score(TREE, with_rating(a, Rating(leaf.code, ClauseStatus.NONCONFORM)))
    better = score(TREE, with_rating(a, Rating(leaf.code, ClauseStatus.CONFORM)))
    assert better.score >= worse.score


@settings(max_examples=200, deadline=None)
@given(assessments(), st.sampled_from(LEAVES), st.integers(1, 50), st.data())
def test_more_nonconforming_samples_never_raise_the_score(a, leaf, n, data):
    k = data.draw(st.integers(0, n - 1))
    fewer = score(TREE, with_rating(a, Rating(leaf.code, ClauseStatus.SAMPLED, n, k)))
    more = score(TREE, with_rating(a, Rating(leaf.code, ClauseStatus.SAMPLED, n, k + 1)))
    assert more.score <= fewer.score


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from(EXCLUDABLE)))
def test_a_complete_all_conforming_assessment_without_special_items_scores_100(excluded):
    codes = {leaf.code for leaf in excluded}
    a = Assessment(TREE.id, tuple(Rating(leaf.code, ClauseStatus.CONFORM) for leaf in LEAVES if leaf.code not in codes),
                   tuple(Exclusion(c, "不适用") for c in codes))
    check_assessment(a, TREE)
    r = score(TREE, a)
    assert (r.score, r.star, r.complete) == (100, Star.FIVE, True)


@settings(max_examples=200, deadline=None)
@given(assessments())
def test_first_level_subtotals_add_up_to_the_totals(a):
    r = score(TREE, a)
    tops = r.subtotals_at(1)
    assert sum(s.earned for s in tops) == r.earned_points
    assert sum(s.applicable for s in tops) == r.applicable_points


@settings(max_examples=200, deadline=None)
@given(assessments())
def test_the_path_to_the_next_star_reaches_it_and_no_shorter_path_could(a):
    r = score(TREE, a)
    path = path_to_next_star(r)
    if not path.reachable:
        return
    fixed = {s.code for s in path.steps}
    after = score(TREE, _conform(a, fixed))
    assert after.score >= path.threshold and after.score == path.score_after
    # the steps are the largest gains, so dropping any one of them falls short
    shorter = fixed - {path.steps[-1].code}
    assert score(TREE, _conform(a, shorter)).score < path.threshold


def _conform(a: Assessment, codes: set[str]) -> Assessment:
    for code in codes:
        a = with_rating(a, Rating(code, ClauseStatus.CONFORM))
    return a
