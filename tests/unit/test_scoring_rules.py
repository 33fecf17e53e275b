"""Each scoring rule of GB/T 27922 and each star boundary, checked by hand on the default tree (100 points).

The default tree's points (README, "The indicator tree"): 5.1.2.2 = 5; the other 15 clauses of 5.1 and the 15 of
5.2 = 7/3 each; the 8 clauses of 5.3 = 25/8 = 3.125 each. So 5.1 = 40, 5.2 = 35, 5.3 = 25."""
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from criteria import parse_tree
from errors import AssessmentInvalid
from scoring import Decision, Scheme, Star, path_to_next_star, score
from tests.factories import all_conform, assessment, default_tree

TREE = default_tree()
NC = {"result": "nonconform"}
SEVEN_THIRDS = [leaf.code for leaf in TREE.leaves() if leaf.points == Fraction(7, 3)]
CUSTOMER = [leaf.code for leaf in TREE.leaves() if leaf.code.startswith("5.3.")]  # 3.125 each

JSON_WORDS = re.compile(r"\b(sampled|nonconforming|reason|result|severity|code|ratings|exclusions)\b(?!（)")


def sampled(n, k):
    return {"result": "sampled", "sampled": n, "nonconforming": k}


def nonconform(*codes, extra=None):
    return all_conform(TREE, but={**{c: NC for c in codes}, **(extra or {})})


def result_of(ratings, **extra):
    return score(TREE, assessment(TREE, ratings, **extra))


def test_the_points_follow_the_rule_readme_states():
    assert len(SEVEN_THIRDS) == 30 and len(CUSTOMER) == 8
    assert TREE.node("5.1.2.2").points == 5 and all(TREE.node(c).points == Decimal("3.125") for c in CUSTOMER)
    assert [top.points for top in TREE.indicators] == [40, 35, 25]


def test_all_conforming_complete_assessment_scores_100_and_is_granted():
    r = result_of(all_conform(TREE))
    assert (r.score, r.star, r.decision, r.complete) == (Decimal(100), Star.FIVE, Decision.GRANTED, True)


def test_nonconform_clause_loses_its_full_points():
    r = result_of(nonconform("5.1.2.2"))
    assert r.clauses["5.1.2.2"].earned == 0
    assert r.earned_points == 95 and r.score == Decimal("95.00")


def test_sampled_clause_loses_points_in_proportion_to_nonconforming_samples():
    r = result_of(nonconform(extra={"5.1.2.1": sampled(4, 1)}))
    assert r.clauses["5.1.2.1"].earned == Fraction(7, 4)  # 7/3 x 3/4
    assert r.score == Decimal("99.42")  # 100 - 7/12 = 99.41666...


def test_sampled_with_no_nonconforming_samples_earns_full_points():
    assert result_of(nonconform(extra={"5.3.2.b": sampled(10, 0)})).score == 100


def test_sampled_with_every_sample_nonconforming_earns_nothing():
    assert result_of(nonconform(extra={"5.3.2.b": sampled(3, 3)})).clauses["5.3.2.b"].earned == 0


def test_excluded_clause_leaves_the_applicable_total():
    ratings = all_conform(TREE, but={"5.1.2.2": NC}, skip={"5.2.6.a", "5.2.6.b"})
    r = result_of(ratings, exclusions=[{"code": "5.2.6", "reason": "不负有回收义务"}])
    assert r.applicable_points == Fraction(286, 3) and r.earned_points == Fraction(271, 3)  # 100 - 14/3, less 5
    assert r.score == Decimal("94.76") and r.star == Star.FOUR  # 27100/286 = 94.7552...
    assert r.complete and r.applicable_clauses == 37


def test_excluding_an_excludable_clause_of_a_conforming_assessment_still_scores_100():
    ratings = all_conform(TREE, skip={"5.2.3.a"})
    r = result_of(ratings, exclusions=[{"code": "5.2.3.a", "reason": "企业不提供配送"}])
    assert r.score == 100 and r.clauses["5.2.3.a"].status == "excluded"


def test_unrated_applicable_clause_earns_nothing_and_leaves_the_assessment_incomplete():
    r = result_of(all_conform(TREE, skip={"5.3.1.a"}))
    assert r.score == Decimal("96.88") and not r.complete  # 96.875 rounds half-up
    assert r.star == Star.FIVE and r.decision == Decision.WITHHELD


def test_each_special_deduction_costs_one_point_after_normalisation():
    ratings = all_conform(TREE, but={"5.1.2.2": NC}, skip={"5.2.6.a", "5.2.6.b"})
    r = result_of(ratings, exclusions=[{"code": "5.2.6", "reason": "r"}],
                  special_deductions=[{"reason": "违反三包规定"}, {"reason": "未执行自身制度", "code": "5.1.4.1"}])
    assert r.score == Decimal("92.76")  # 94.7552... - 2


def test_special_bonus_adds_one_point():
    assert result_of(nonconform("5.1.1.1"), special_bonus=[{"reason": "行业领先"}]).score == Decimal("98.67")


def test_score_is_clamped_to_0_and_100():
    assert result_of(all_conform(TREE), special_bonus=[{"reason": "x"}]).score == 100
    nothing = [{"code": leaf.code, "result": "nonconform"} for leaf in TREE.leaves()]
    assert result_of(nothing, special_deductions=[{"reason": "x"}]).score == 0


def sheet(points: list, excludable: set[int] = frozenset(), scheme: dict | None = None):
    """A certification body's sheet: one indicator, one clause per points value (1.1.1, 1.1.2, ...)."""
    leaves = [{"code": f"1.1.{i}", "name": f"条款{i}", "provenance": "verified", "points": p, "requirement": "要求",
               "excludable": i in excludable} for i, p in enumerate(points, 1)]
    data = {"id": "body-sheet", "version": "1", "title": "测试评分表", "indicators": [
        {"code": "1", "name": "一级", "provenance": "verified", "children": [
            {"code": "1.1", "name": "二级", "provenance": "verified", "children": leaves}]}]}
    return parse_tree(data | ({"scheme": scheme} if scheme else {}), source="body.yaml")


def test_worked_example_of_the_domain_brief():
    """200 applicable points, 176 earned -> 88.0; two deductions, one bonus -> 87.0, three-star."""
    tree = sheet([100, 100, 10], excludable={3})
    a = assessment(tree, [{"code": "1.1.1", "result": "conform"}, {"code": "1.1.2", **sampled(25, 6)}],
                   exclusions=[{"code": "1.1.3", "reason": "不适用"}],
                   special_deductions=[{"reason": "a"}, {"reason": "b"}], special_bonus=[{"reason": "c"}])
    r = score(tree, a)
    assert (r.earned_points, r.applicable_points, r.score, r.star) == (176, 200, Decimal("87.00"), Star.THREE)


PLAIN = [c for c in SEVEN_THIRDS if c not in ("5.1.2.1",)]  # 7/3-point clauses the boundary cases leave alone

STAR_BOUNDARIES = [
    # ratings, expected rounded score, expected star; every figure is out of 100 applicable points.
    # The sampled clause 5.1.2.1 (7/3) fine-tunes the loss: k of n nonconforming loses 7/3 x k/n.
    (nonconform("5.1.2.2"), "95.00", Star.FIVE),                                           # 100 - 5
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1400, 3)}), "95.00", Star.FIVE),     # 94.995 rounds up
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1400, 9)}), "94.99", Star.FOUR),     # 94.985: half-up, not to even
    (nonconform("5.1.2.2", extra={"5.1.2.1": sampled(3500, 9)}), "94.99", Star.FOUR),     # 94.994
    (nonconform("5.1.2.2", *PLAIN[:2], extra={"5.1.2.1": sampled(7, 1)}), "90.00", Star.FOUR),  # 5 + 14/3 + 1/3
    (nonconform("5.1.2.2", *PLAIN[:2], extra={"5.1.2.1": sampled(200, 29)}), "90.00", Star.FOUR),  # 89.995
    (nonconform("5.1.2.2", *PLAIN[:2], extra={"5.1.2.1": sampled(3500, 509)}), "89.99", Star.THREE),  # 89.994
    (nonconform("5.1.2.2", *PLAIN[:6], extra={"5.1.2.1": sampled(7, 3)}), "80.00", Star.THREE),  # 5 + 14 + 1
    (nonconform("5.1.2.2", *PLAIN[:6], extra={"5.1.2.1": sampled(3500, 1509)}), "79.99", Star.COMPLIANT),  # 79.994
    (nonconform("5.1.2.2", *CUSTOMER), "70.00", Star.COMPLIANT),                           # 100 - 5 - 25
    (nonconform("5.1.2.2", *CUSTOMER, extra={"5.1.2.1": sampled(1400, 3)}), "70.00", Star.COMPLIANT),  # 69.995
    (nonconform("5.1.2.2", *CUSTOMER, extra={"5.1.2.1": sampled(3500, 9)}), "69.99", Star.NOT_PASSED),  # 69.994
    (nonconform("5.1.2.2", *CUSTOMER, PLAIN[0]), "67.67", Star.NOT_PASSED),               # 70 - 7/3
]


@pytest.mark.parametrize("ratings, expected, star", STAR_BOUNDARIES)
def test_star_levels_use_inclusive_lower_bounds_on_the_rounded_score(ratings, expected, star):
    r = result_of(ratings)
    assert (r.score, r.star) == (Decimal(expected), star)


@pytest.mark.parametrize("deductions, score_, star, decision", [
    (4, "96.00", Star.FIVE, Decision.GRANTED),
    (5, "95.00", Star.NOT_PASSED, Decision.NOT_PASSED),   # 95 would be five-star: five deductions fail it
    (6, "94.00", Star.NOT_PASSED, Decision.NOT_PASSED),
])
def test_five_special_deductions_or_more_fail_the_evaluation_whatever_the_score(deductions, score_, star, decision):
    r = result_of(all_conform(TREE), special_deductions=[{"reason": f"违规{i}"} for i in range(deductions)])
    assert (r.score, r.star, r.decision) == (Decimal(score_), star, decision)
    assert r.failed_by_deductions == (deductions >= 5) and r.star_by_score != Star.NOT_PASSED
    assert path_to_next_star(r).steps == ()


@pytest.mark.parametrize("severity, status, decision", [
    ("serious", "raised", Decision.WITHHELD),
    ("serious", "submitted", Decision.WITHHELD),
    ("serious", "accepted", Decision.WITHHELD),   # accepted but not yet verified on site and closed
    ("serious", "closed", Decision.GRANTED),
    ("general", "raised", Decision.WITHHELD),     # no accepted rectification yet
    ("general", "submitted", Decision.WITHHELD),
    ("general", "returned", Decision.WITHHELD),
    ("general", "accepted", Decision.GRANTED),    # its effect may be verified at the next surveillance
    ("general", "closed", Decision.GRANTED),
    ("observation", "raised", Decision.GRANTED),  # observations never block
    ("observation", "noted", Decision.GRANTED),
])
def test_decision_waits_for_serious_nonconformities_closed_and_general_ones_accepted(severity, status, decision):
    r = result_of(all_conform(TREE), nonconformities=[{"code": "5.1.1.1", "severity": severity, "status": status}])
    assert r.decision == decision
    assert (r.open_serious, r.open_general) == ((severity, decision) == ("serious", Decision.WITHHELD),
                                                (severity, decision) == ("general", Decision.WITHHELD))


def test_below_70_is_not_passed_whatever_else_holds():
    r = result_of(nonconform("5.1.2.2", *CUSTOMER, PLAIN[0]),
                  nonconformities=[{"severity": "serious", "status": "raised"}])
    assert r.decision == Decision.NOT_PASSED


def test_first_certification_cap_is_off_by_default_and_caps_at_compliant_when_on():
    tree, a = TREE, assessment(TREE, all_conform(TREE))
    assert score(tree, a, first_certification=True).star == Star.FIVE
    capped = score(tree, a, scheme=Scheme(cap_first_certification=True), first_certification=True)
    assert (capped.star, capped.star_by_score) == (Star.COMPLIANT, Star.FIVE)
    assert score(tree, a, scheme=Scheme(cap_first_certification=True), first_certification=True,
                 exceptional=True).star == Star.FIVE


def test_an_initial_certification_file_is_a_first_certification_for_the_cap():
    a = assessment(TREE, all_conform(TREE), kind="initial")
    assert score(TREE, a, scheme=Scheme(cap_first_certification=True)).star == Star.COMPLIANT
    assert score(TREE, assessment(TREE, all_conform(TREE), kind="surveillance"),
                 scheme=Scheme(cap_first_certification=True)).star == Star.FIVE


def test_subtotals_per_first_and_second_level_indicator():
    r = result_of(nonconform("5.1.2.2", extra={"5.3.2.b": sampled(2, 1)}))
    first = {s.code: (s.earned, s.applicable) for s in r.subtotals_at(1)}
    assert first == {"5.1": (35, 40), "5.2": (35, 35), "5.3": (Fraction(375, 16), 25)}  # 25 - 25/16
    second = {s.code: s.earned for s in r.subtotals_at(2)}
    assert len(second) == 15 and second["5.1.2"] == Fraction(7, 3) and second["5.3.2"] == Decimal("10.9375")


def test_path_to_next_star_takes_the_fewest_clauses_largest_first():
    r = result_of(nonconform("5.1.2.2", *PLAIN[:3]))  # 100 - 5 - 7 = 88, three-star
    path = path_to_next_star(r)
    assert path.target == Star.FOUR and path.reachable
    assert [s.code for s in path.steps] == ["5.1.2.2"] and path.score_after == Decimal("93.00")


def test_path_to_next_star_counts_unrated_clauses_and_ends_at_five_star():
    r = result_of(all_conform(TREE, skip=set(PLAIN[:6])))  # 100 - 14 = 86.00; 90 needs two clauses of 7/3
    assert r.score == Decimal("86.00") and len(path_to_next_star(r).steps) == 2
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
    ({"exclusions": [{"code": "5.1.5.1", "reason": "r"}]}, "条款 5.1.5.1 服务监督机构 不可删减"),
    ({"exclusions": [{"code": "5.2.5", "reason": "r"}]}, "指标 5.2.5 质量保证 不能整体删减：其下条款 5.2.5.a"),
    ({"not_covered": ["5.2.1.a"]}, "条款 5.2.1.a：本次未抽查只用于监督评价"),
])
def test_bad_assessments_are_refused_with_a_message_naming_the_problem(extra, message):
    data = {"ratings": [], **extra}
    with pytest.raises(AssessmentInvalid, match=message) as refused:
        assessment(TREE, **data)
    assert not JSON_WORDS.search(refused.value.message)  # the file's field names stay out of the message
