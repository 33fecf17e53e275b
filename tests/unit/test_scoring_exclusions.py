"""What may leave the totals: exclusions only of excludable clauses and within the scheme's cap, 本次未抽查 only in
surveillance; every way in (the file, the entry check the form, the Excel import and restore use, entries) refuses
the same things with a message naming the clause."""
from decimal import Decimal
from fractions import Fraction

import pytest

from criteria import parse_tree
from errors import AssessmentInvalid
from scoring import score
from scoring.assessment import RatingEntry, assessment_from_entries, checked_entry, entry_problems
from tests.factories import all_conform, assessment, default_tree
from tests.unit.test_tree_loader import raw_default

TREE = default_tree()
EXCLUDABLE = ["5.2.2.a", "5.2.3.a", "5.2.3.b", "5.2.4.a", "5.2.4.b", "5.2.4.c", "5.2.6.a", "5.2.6.b"]


def excluding(*codes, tree=TREE, **extra):
    skip = {leaf for code in codes for leaf in (x.code for x in tree.node(code).leaves())}
    return assessment(tree, all_conform(tree, skip=skip),
                      exclusions=[{"code": c, "reason": "企业不提供此项服务"} for c in codes], **extra)


def capped_tree(percent) -> object:
    data = raw_default()
    data.update(id="capped", scheme={"exclusion_cap_percent": percent})
    return parse_tree(data, source="capped.yaml")


def test_exactly_the_clauses_the_brief_names_are_excludable_and_5_1_and_5_3_never():
    assert [leaf.code for leaf in TREE.leaves() if leaf.excludable] == EXCLUDABLE
    assert not any(n.excludable for top in ("5.1", "5.3") for n in TREE.node(top).walk())
    assert [n.code for n in TREE.walk() if n.excludable and not n.is_leaf] == ["5.2.3", "5.2.4", "5.2.6"]


@pytest.mark.parametrize("codes", [["5.2.2.a"], ["5.2.3"], ["5.2.4.b"], ["5.2.4", "5.2.6"], EXCLUDABLE])
def test_excludable_clauses_and_indicators_may_be_excluded(codes):
    r = score(TREE, excluding(*codes))
    left_out = {leaf.code for c in codes for leaf in TREE.node(c).leaves()}
    assert r.score == 100 and r.applicable_points == 100 - Fraction(7, 3) * len(left_out)


@pytest.mark.parametrize("code, named", [
    ("5.1.1.1", "条款 5.1.1.1 售后服务部门与岗位 不可删减"),
    ("5.2.2.b", "条款 5.2.2.b 使用指导与技术咨询 不可删减"),
    ("5.3.2.a", "条款 5.3.2.a 投诉受理与记录 不可删减"),
    ("5.2.2", "指标 5.2.2 技术支持 不能整体删减：其下条款 5.2.2.b 使用指导与技术咨询 不可删减"),
    ("5.2", "指标 5.2 商品服务 不能整体删减：其下条款 5.2.1.a"),
    ("5.1", "指标 5.1 售后服务体系 不能整体删减：其下条款 5.1.1.1"),
])
def test_an_exclusion_the_tree_does_not_allow_is_refused_naming_the_clause(code, named):
    with pytest.raises(AssessmentInvalid, match=named):
        assessment(TREE, [], exclusions=[{"code": code, "reason": "不适用"}])


def test_the_entry_check_refuses_excluding_a_clause_that_is_not_excludable():
    entry = RatingEntry("excluded", reason="不适用")
    assert entry_problems(entry, TREE.node("5.2.6.a")) == []
    problems = entry_problems(entry, TREE.node("5.1.2.2"))
    assert [p.field for p in problems] == ["status"] and "售后服务管理师配置 不可删减" in problems[0].message
    with pytest.raises(AssessmentInvalid, match="条款 5.1.2.2：.*不可删减"):
        checked_entry(entry, TREE.node("5.1.2.2"))


def test_exclusions_may_reach_the_cap_but_not_pass_it():
    tree = capped_tree(14)  # 14 points: 5.2.4 (7) and 5.2.3 (14/3) fit, with 5.2.2.a (7/3) they make 14 exactly
    assert score(tree, excluding("5.2.4", "5.2.3", "5.2.2.a", tree=tree)).applicable_points == 86
    with pytest.raises(AssessmentInvalid, match=r"删减 5\.2\.6 后删减分值合计 ≈18\.67 分，超过上限 14 分（总分 100 分的 14%）"):
        excluding("5.2.4", "5.2.3", "5.2.2.a", "5.2.6", tree=tree)


def test_the_cap_is_25_percent_by_default_and_holds_for_entries_too():
    body = parse_tree({"id": "quarters", "version": "1", "title": "四等分", "indicators": [
        {"code": "1", "name": "一级", "provenance": "verified", "excludable": True, "children": [
            {"code": f"1.{i}", "name": f"条款{i}", "provenance": "verified", "points": 25, "requirement": "要求"}
            for i in range(1, 5)]}]})
    one = {"1.1": RatingEntry("excluded", reason="不适用")}
    assert assessment_from_entries(body, one).exclusions[0].code == "1.1"  # 25 of 100: on the cap
    with pytest.raises(AssessmentInvalid, match="删减 1.2 后删减分值合计 50 分，超过上限 25 分"):
        assessment_from_entries(body, one | {"1.2": RatingEntry("excluded", reason="不适用")})


def test_not_covered_leaves_both_totals_in_a_surveillance_visit_and_is_no_exclusion():
    tree = capped_tree(0)  # no exclusion at all may pass: not covered clauses must not count
    a = assessment(tree, all_conform(tree, skip={"5.1.3.1", "5.3.1.a", "5.3.1.b", "5.3.1.c", "5.3.1.d"}),
                   not_covered=["5.1.3.1", {"code": "5.3.1"}], engagement={"kind": "surveillance"})
    r = score(tree, a)
    assert r.applicable_points == 100 - Fraction(7, 3) - Fraction(25, 2) and r.score == 100 and r.complete
    assert r.with_status("not_covered") == ["5.1.3.1", "5.3.1.a", "5.3.1.b", "5.3.1.c", "5.3.1.d"]
    assert r.with_status("excluded") == [] and a.exclusions == ()


def test_not_covered_with_a_nonconformity_elsewhere_is_normalised_over_what_was_checked():
    a = assessment(TREE, all_conform(TREE, but={"5.1.2.2": {"result": "nonconform"}}, skip={"5.3.1.a"}),
                   not_covered=["5.3.1.a"], kind="surveillance")
    assert score(TREE, a).score == Decimal("94.84")  # 1 - 5 / (100 - 3.125) = 94.8387...


@pytest.mark.parametrize("extra, message", [
    ({}, "本次未抽查只用于监督评价；不是监督评价时每个适用条款都要评价"),
    ({"kind": "initial"}, "本次未抽查只用于监督评价；初次认证中每个适用条款都要评价"),
    ({"engagement": {"kind": "recertification"}}, "本次未抽查只用于监督评价；再认证中"),
])
def test_not_covered_is_refused_outside_surveillance(extra, message):
    with pytest.raises(AssessmentInvalid, match=f"条款 5.3.1.a：{message}"):
        assessment(TREE, [], not_covered=["5.3.1.a"], **extra)


def test_the_entry_check_knows_the_engagement_kind():
    entry, node = RatingEntry("not_covered"), TREE.node("5.3.1.a")
    assert entry_problems(entry, node, kind="surveillance") == []
    assert "监督评价" in entry_problems(entry, node, kind="initial")[0].message
    assert entry_problems(entry, node)[0].field == "status"
    entries = {"5.3.1.a": entry}
    assert assessment_from_entries(TREE, entries, kind="surveillance").not_covered == ("5.3.1.a",)
    with pytest.raises(AssessmentInvalid, match="5.3.1.a"):
        assessment_from_entries(TREE, entries, kind="initial")


@pytest.mark.parametrize("extra, message", [
    ({"ratings": [{"code": "5.3.1.a", "result": "conform"}], "not_covered": ["5.3.1"]},
     "条款 5.3.1.a 已评分或已删减，不能再列为本次未抽查"),
    ({"exclusions": [{"code": "5.2.6", "reason": "r"}], "not_covered": ["5.2.6.a"]}, "条款 5.2.6.a 已评分或已删减"),
    ({"not_covered": ["5.3.1", "5.3.1.b"]}, "条款 5.3.1.b 被重复列为本次未抽查"),
    ({"not_covered": ["5.9"]}, "未知的条款代码 “5.9”"),
    ({"not_covered": [7]}, "必须是一个对象"),
    ({"kind": "audit"}, "评价类型只能是"),
])
def test_bad_not_covered_lists_are_refused(extra, message):
    with pytest.raises(AssessmentInvalid, match=message):
        assessment(TREE, **{"ratings": [], "kind": "surveillance", **extra})
