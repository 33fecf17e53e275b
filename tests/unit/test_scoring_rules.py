"""Each scoring rule of GB/T 27922 and each star boundary, checked by hand on the default tree (100 points)."""
import re
from decimal import Decimal

import pytest

from errors import AssessmentInvalid
from scoring import Decision, Scheme, Star, path_to_next_star, score
from tests.factories import all_conform, assessment, default_tree, small_tree

TREE = default_tree()
NC = {"result": "nonconform"}
TWO_AND_A_HALF = [leaf.code for leaf in TREE.leaves() if leaf.code != "5.1.2.2"]

JSON_WORDS = re.compile(r"\b(sampled|nonconforming|reason|result|severity|code|ratings|exclusions)\b(?!（)")


def sampled(n, k):
    return {"result": "sampled", "sampled": n, "nonconforming": k}


def nonconform(*codes, extra=None):
    return all_conform(TREE, but={**{c: NC for c in codes}, **(extra or {})})


def result_of(ratings, **extra):
    return score(TREE, assessment(TREE, ratings, **extra))


def test_all_conforming_complete_assessment_scores_100_and_is_granted():
    r = result_of(all_conform(TREE))
    assert (r.score, r.star, r.decision, r.complete) == (Decimal(100), Star.FIVE, Decision.GRANTED, True)


def test_nonconform_clause_loses_its_full_points():
    r = result_of(nonconform("5.1.2.2"))
    assert r.clauses["5.1.2.2"].earned == 0
    assert r.earned_points == 95 and r.score == Decimal("95.00")


def test_sampled_clause_loses_points_in_proportion_to_nonconforming_samples():
    r = result_of(nonconform(extra={"5.1.2.1": sampled(4, 1)}))
    assert r.clauses["5.1.2.1"].earned == Decimal("1.875")
    assert r.score == Decimal("99.38")  # 99.375 rounds half-up


def test_sampled_with_no_nonconforming_samples_earns_full_points():
    assert result_of(nonconform(extra={"5.3.2.b": sampled(10, 0)})).score == 100


def test_sampled_with_every_sample_nonconforming_earns_nothing():
    assert result_of(nonconform(extra={"5.3.2.b": sampled(3, 3)})).clauses["5.3.2.b"].earned == 0


def test_excluded_clause_leaves_the_applicable_total():
    ratings = all_conform(TREE, but={"5.1.2.2": NC}, skip={"5.2.6.a", "5.2.6.b"})
    r = result_of(ratings, exclusions=[{"code": "5.2.6", "reason": "不负有回收义务"}])
    assert r.applicable_points == 95 and r.earned_points == 90
    assert r.score == Decimal("94.74") and r.star == Star.FOUR
    assert r.complete and r.applicable_clauses == 37


def test_excluding_everything_but_conforming_clauses_still_scores_100():
    ratings = all_conform(TREE, skip={"5.2.3.a"})
    r = result_of(ratings, exclusions=[{"code": "5.2.3.a", "reason": "企业不提供配送"}])
    assert r.score == 100 and r.clauses["5.2.3.a"].status == "excluded"


def test_unrated_applicable_clause_earns_nothing_and_leaves_the_assessment_incomplete():
    r = result_of(all_conform(TREE, skip={"5.3.1.a"}))
    assert r.score == Decimal("97.50") and not r.complete
    assert r.star == Star.FIVE and r.decision == Decision.WITHHELD


def test_each_special_deduction_costs_one_point_after_normalisation():
    ratings = all_conform(TREE, but={"5.1.2.2": NC}, skip={"5.2.6.a", "5.2.6.b"})
    r = result_of(ratings, exclusions=[{"code": "5.2.6", "reason": "r"}],
                  special_deductions=[{"reason": "违反三包规定"}, {"reason": "未执行自身制度", "code": "5.1.4.1"}])
    assert r.score == Decimal("92.74")  # 94.7368... - 2


def test_special_bonus_adds_one_point():
    assert result_of(nonconform("5.1.1.1"), special_bonus=[{"reason": "行业领先"}]).score == Decimal("98.50")


def test_score_is_clamped_to_0_and_100():
    assert result_of(all_conform(TREE), special_bonus=[{"reason": "x"}]).score == 100
    nothing = [{"code": leaf.code, "result": "nonconform"} for leaf in TREE.leaves()]
    assert result_of(nothing, special_deductions=[{"reason": "x"}]).score == 0


def test_worked_example_of_the_domain_brief():
    """200 applicable points, 176 earned -> 88.0; two deductions, one bonus -> 87.0, three-star."""
    tree = small_tree([100, 100, 10])
    a = assessment(tree, [{"code": "1.1.1", "result": "conform"}, {"code": "1.1.2", **sampled(25, 6)}],
                   exclusions=[{"code": "1.1.3", "reason": "不适用"}],
                   special_deductions=[{"reason": "a"}, {"reason": "b"}], special_bonus=[{"reason": "c"}])
    r = score(tree, a)
    assert (r.earned_points, r.applicable_points, r.score, r.star) == (176, 200, Decimal("87.00"), Star.THREE)


# 2.5-point clauses other than the two sampled ones the boundary cases use
PLAIN = [c for c in TWO_AND_A_HALF if c not in ("5.1.2.1", "5.3.2.b")]

STAR_BOUNDARIES = [
    # ratings, expected rounded score, expected star; every figure is out of 100 applicable points
    (nonconform("5.1.2.2"), "95.00", Star.FIVE),
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(500, 1)}), "95.00", Star.FIVE),    # 94.995 rounds up
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1000, 6)}), "94.99", Star.FOUR),   # 94.985: half-up, not to even
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1250, 3)}), "94.99", Star.FOUR),   # 94.994
    (nonconform(*PLAIN[:4]), "90.00", Star.FOUR),
    (nonconform(*PLAIN[:4], extra={"5.1.2.1": sampled(500, 1)}), "90.00", Star.FOUR),   # 89.995 rounds up
    (nonconform(*PLAIN[:4], extra={"5.1.2.1": sampled(1250, 3)}), "89.99", Star.THREE),  # 89.994
    (nonconform(*PLAIN[:8]), "80.00", Star.THREE),
    (nonconform(*PLAIN[:8], extra={"5.1.2.1": sampled(1250, 3)}), "79.99", Star.COMPLIANT),
    (nonconform(*PLAIN[:12]), "70.00", Star.COMPLIANT),
    (nonconform(*PLAIN[:12], extra={"5.1.2.1": sampled(1250, 3)}), "69.99", Star.NOT_PASSED),
    (nonconform(*PLAIN[:13]), "67.50", Star.NOT_PASSED),
]


@pytest.mark.parametrize("ratings, expected, star", STAR_BOUNDARIES)
def test_star_levels_use_inclusive_lower_bounds_on_the_rounded_score(ratings, expected, star):
    r = result_of(ratings)
    assert (r.score, r.star) == (Decimal(expected), star)


@pytest.mark.parametrize("severity, status, decision", [
    ("serious", "raised", Decision.WITHHELD),
    ("serious", "submitted", Decision.WITHHELD),
    ("serious", "closed", Decision.GRANTED),
    ("general", "raised", Decision.GRANTED),
    ("observation", "raised", Decision.GRANTED),
])
def test_decision_is_withheld_while_a_serious_nonconformity_is_open(severity, status, decision):
    r = result_of(all_conform(TREE), nonconformities=[{"code": "5.1.1.1", "severity": severity, "status": status}])
    assert r.decision == decision


def test_below_70_is_not_passed_whatever_else_holds():
    r = result_of(nonconform(*PLAIN[:13]), nonconformities=[{"severity": "serious", "status": "raised"}])
    assert r.decision == Decision.NOT_PASSED


def test_first_certification_cap_is_off_by_default_and_caps_at_compliant_when_on():
    tree, a = TREE, assessment(TREE, all_conform(TREE))
    assert score(tree, a, first_certification=True).star == Star.FIVE
    capped = score(tree, a, scheme=Scheme(cap_first_certification=True), first_certification=True)
    assert (capped.star, capped.star_by_score) == (Star.COMPLIANT, Star.FIVE)
    assert score(tree, a, scheme=Scheme(cap_first_certification=True), first_certification=True,
                 exceptional=True).star == Star.FIVE


def test_subtotals_per_first_and_second_level_indicator():
    r = result_of(nonconform("5.1.2.2", extra={"5.3.2.b": sampled(2, 1)}))
    first = {s.code: (s.earned, s.applicable) for s in r.subtotals_at(1)}
    assert first == {"5.1": (Decimal("37.5"), Decimal("42.5")), "5.2": (Decimal("37.5"), Decimal("37.5")),
                     "5.3": (Decimal("18.75"), Decimal(20))}
    second = {s.code: s.earned for s in r.subtotals_at(2)}
    assert len(second) == 15 and second["5.1.2"] == Decimal("2.5") and second["5.3.2"] == Decimal("8.75")


def test_path_to_next_star_takes_the_fewest_clauses_largest_first():
    r = result_of(nonconform("5.1.2.2", *PLAIN[:3]))  # 87.5, three-star
    path = path_to_next_star(r)
    assert path.target == Star.FOUR and path.reachable
    assert [s.code for s in path.steps] == ["5.1.2.2"] and path.score_after == Decimal("92.50")


def test_path_to_next_star_counts_unrated_clauses_and_ends_at_five_star():
    r = result_of(all_conform(TREE, skip=set(PLAIN[:6])))  # 85.00
    assert len(path_to_next_star(r).steps) == 2
    assert path_to_next_star(result_of(all_conform(TREE))).target is None


@pytest.mark.parametrize("extra, message", [
    ({"ratings": [{"code": "5.9.9.9", "result": "conform"}]}, "未知的条款代码 “5.9.9.9”"),
    ({"ratings": [{"code": "5.1.2", "result": "conform"}]}, "是指标而不是评分条款"),
    ({"ratings": [{"code": "5.1.2.1", **sampled(2, 3)}]}, "不符合数 3 大于抽样数 2"),
    ({"ratings": [{"code": "5.1.2.1", **sampled(0, 0)}]}, "抽样数至少为 1"),
    ({"ratings": [{"code": "5.1.2.1", "result": "sampled", "sampled": 2}]}, "需要填写不符合数"),
    ({"ratings": [{"code": "5.1.2.1", "result": "maybe"}]}, "评价结果只能是"),
    ({"ratings": [{"code": "5.1.2.1", "result": "conform"}] * 2}, "不止一次"),
    ({"exclusions": [{"code": "5.2.6"}]}, "删减必须写明理由"),
    ({"exclusions": [{"code": "5.2.6", "reason": "   "}]}, "删减必须写明理由"),
    ({"ratings": [{"code": "5.2.6.a", "result": "conform"}], "exclusions": [{"code": "5.2.6", "reason": "r"}]},
     "既已删减又已评分"),
    ({"special_bonus": [{"reason": "a"}, {"reason": "b"}]}, "最多 1 项"),
    ({"special_deductions": [{"code": "5.1.1.1"}]}, "理由"),
    ({"nonconformities": [{"severity": "minor"}]}, "严重程度只能是"),
])
def test_bad_assessments_are_refused_with_a_message_naming_the_problem(extra, message):
    data = {"ratings": [], **extra}
    with pytest.raises(AssessmentInvalid, match=message) as refused:
        assessment(TREE, **data)
    assert not JSON_WORDS.search(refused.value.message)  # the file's field names stay out of the message
