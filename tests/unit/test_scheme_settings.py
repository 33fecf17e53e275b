"""The scheme as data in the tree file: defaults when absent, each defect reported, and the engine and the CLI
follow a body's own settings; the tree's other markup (excludable, aliases, provenance of second-level numbers)."""
import json
from decimal import Decimal

import pytest
import yaml

from criteria import parse_tree
from criteria.model import PROVENANCE_LABELS, Provenance
from criteria.scheme import DEFAULT_SCHEME, Star
from errors import TreeInvalid
from scoring import Decision, score
from scoring.stars import Scheme
from tests.factories import all_conform, assessment, default_tree
from tests.unit.test_cli import run, write_json
from tests.unit.test_tree_loader import first_leaf, raw_default

TREE = default_tree()
STRICT = {"thresholds": {"five_star": 98}, "failing_deductions": 3}


def tree_with(scheme=None, tree_id="body-strict", **changes):
    data = raw_default()
    data.update(id=tree_id, **changes)
    if scheme is None:
        del data["scheme"]
    else:
        data["scheme"] = scheme
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(TreeInvalid) as refused:
        parse_tree(data, source="body.yaml")
    return refused.value.problems


def test_a_tree_without_a_scheme_block_takes_the_defaults():
    tree = parse_tree(tree_with(None), source="body.yaml")
    assert tree.scheme == DEFAULT_SCHEME == TREE.scheme
    assert (DEFAULT_SCHEME.failing_deductions, DEFAULT_SCHEME.exclusion_cap_percent) == (5, 25)
    assert (DEFAULT_SCHEME.nc_days_serious, DEFAULT_SCHEME.nc_days_general) == (30, 30)
    assert (DEFAULT_SCHEME.impartiality_years, DEFAULT_SCHEME.cap_first_certification) == (2, False)
    assert DEFAULT_SCHEME.display_scale == 100 and Scheme is type(DEFAULT_SCHEME)


def test_a_scheme_block_sets_what_it_names_and_keeps_the_other_defaults():
    scheme = parse_tree(tree_with({**STRICT, "exclusion_cap_percent": 12.5, "nonconformity_days": {"general": 60},
                                   "impartiality_years": 3, "cap_first_certification": True,
                                   "display_scale": 1000}), source="b.yaml").scheme
    assert dict(scheme.thresholds) == {Star.FIVE: 98, Star.FOUR: 90, Star.THREE: 80, Star.COMPLIANT: 70}
    assert (scheme.failing_deductions, scheme.exclusion_cap_percent) == (3, Decimal("12.5"))
    assert (scheme.nc_days_serious, scheme.nc_days_general, scheme.impartiality_years) == (30, 60, 3)
    assert scheme.cap_first_certification and scheme.displayed(Decimal("95.5")) == 955


BAD_SCHEMES = {
    "floors out of order": ({"thresholds": {"four_star": 96}}, "scheme.thresholds: 分数线必须从高到低：五星级 95 应高于四星级 96"),
    "floor above 100": ({"thresholds": {"five_star": 950}}, "scheme.thresholds.five_star: 必须在 0 到 100 之间"),
    "unknown star": ({"thresholds": {"six_star": 99}}, "未知的星级 “six_star”"),
    "floor not a number": ({"thresholds": {"compliant": "七十"}}, "scheme.thresholds.compliant: 必须是 0 到 100 之间的数"),
    "cap above 100": ({"exclusion_cap_percent": 120}, "scheme.exclusion_cap_percent: 必须在 0 到 100 之间"),
    "cap below 0": ({"exclusion_cap_percent": -5}, "scheme.exclusion_cap_percent: 必须在 0 到 100 之间"),
    "unknown key": ({"star_floors": {}}, "scheme: 未知的设置 “star_floors”"),
    "zero deductions": ({"failing_deductions": 0}, "scheme.failing_deductions: 必须是 1 到 1000 之间的整数"),
    "days of an observation": ({"nonconformity_days": {"observation": 10}}, "未知的严重程度 “observation”"),
    "days not whole": ({"nonconformity_days": {"serious": 7.5}}, "scheme.nonconformity_days.serious: 必须是 1 到 365"),
    "scale": ({"display_scale": 10}, "scheme.display_scale: 只能是 100 或 1000"),
    "cap flag": ({"cap_first_certification": "yes"}, "scheme.cap_first_certification: 必须是 true 或 false"),
    "not a block": (["thresholds"], "scheme: scheme 必须是一个对象"),
}


@pytest.mark.parametrize("case", BAD_SCHEMES)
def test_a_bad_scheme_is_refused_naming_the_setting(case):
    scheme, message = BAD_SCHEMES[case]
    assert any(p.startswith("body.yaml: ") and message in p for p in problems_of(tree_with(scheme))), case


def test_every_scheme_defect_is_reported_at_once():
    found = problems_of(tree_with({"thresholds": {"three_star": 91}, "exclusion_cap_percent": 101, "colour": 1}))
    assert len(found) == 3  # 三星 91 above 四星 90, the cap, the unknown key
    assert sum("分数线必须从高到低：四星级 90 应高于三星级 91" in p for p in found) == 1


def test_the_engine_reads_the_trees_scheme():
    tree = parse_tree(tree_with(STRICT), source="b.yaml")
    ninety_nine = all_conform(tree, but={"5.1.2.1": {"result": "sampled", "sampled": 7, "nonconforming": 3}})
    r = score(tree, assessment(tree, ninety_nine))  # 100 - 7/3 x 3/7 = 99
    assert (r.score, r.star) == (Decimal("99.00"), Star.FIVE)
    r = score(tree, assessment(tree, all_conform(tree), special_deductions=[{"reason": "a"}] * 2))  # 98: on the floor
    assert (r.score, r.star, r.decision) == (Decimal("98.00"), Star.FIVE, Decision.GRANTED)
    r = score(tree, assessment(tree, all_conform(tree), special_deductions=[{"reason": "a"}] * 3))
    assert (r.score, r.star, r.decision) == (Decimal("97.00"), Star.NOT_PASSED, Decision.NOT_PASSED)
    r = score(TREE, assessment(TREE, all_conform(TREE), special_deductions=[{"reason": "a"}] * 3))
    assert (r.score, r.star) == (Decimal("97.00"), Star.FIVE)  # the default scheme: 97 is five-star


def test_the_cli_follows_a_trees_scheme(tmp_path):
    """Five-star from 98 and failing at 3 deductions: the same files score differently on this body's tree."""
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "strict.yaml").write_text(yaml.safe_dump(tree_with(STRICT), allow_unicode=True),
                                                    encoding="utf-8")
    ratings = [{"code": leaf.code, "result": "conform"} for leaf in TREE.leaves()]
    outcomes = {}
    for tree_id in ("gbt27922-2011", "body-strict"):
        for deductions in (2, 3):
            data = {"criteria": tree_id, "ratings": ratings, "special_deductions": [{"reason": "违规"}] * deductions}
            out = run("scoring", str(write_json(tmp_path, data)), "--json", env_dir=tmp_path)
            assert out.returncode == 0, out.stderr
            r = json.loads(out.stdout)
            outcomes[tree_id, deductions] = (r["score"], r["star"], r["decision"])
    assert outcomes == {
        ("gbt27922-2011", 2): (98.0, "five_star", "granted"),
        ("gbt27922-2011", 3): (97.0, "five_star", "granted"),
        ("body-strict", 2): (98.0, "five_star", "granted"),
        ("body-strict", 3): (97.0, "not_passed", "not_passed"),
    }
    text = run("scoring", str(write_json(tmp_path, {"criteria": "body-strict", "ratings": ratings[:-1]})),
               env_dir=tmp_path)
    assert "得分：96.88    星级：四星级" in text.stdout  # 96.875 is below this body's 98


def test_a_display_scale_of_1000_shows_the_score_out_of_1000(tmp_path):
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "k.yaml").write_text(yaml.safe_dump(tree_with({"display_scale": 1000}, "body-k"),
                                                              allow_unicode=True), encoding="utf-8")
    ratings = [{"code": leaf.code, "result": "conform"} for leaf in TREE.leaves() if leaf.code != "5.1.2.2"]
    path = write_json(tmp_path, {"criteria": "body-k", "ratings": ratings})
    r = json.loads(run("scoring", str(path), "--json", env_dir=tmp_path).stdout)
    assert (r["score"], r["display_score"], r["display_scale"], r["star"]) == (95.0, 950.0, 1000, "five_star")
    assert "得分：95.00（1000 分制：950.0）" in run("scoring", str(path), env_dir=tmp_path).stdout


def test_second_level_numbers_we_inferred_say_so():
    second = {n.code: n.provenance for top in TREE.indicators for n in top.children}
    verified = {"5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5"}
    assert {c for c, p in second.items() if p == Provenance.VERIFIED} == verified
    assert {c for c, p in second.items() if p == Provenance.NUMBER_INFERRED} == set(second) - verified
    assert PROVENANCE_LABELS[Provenance.NUMBER_INFERRED] == "名称已核实，编号为推断"
    assert all(top.provenance == Provenance.VERIFIED for top in TREE.indicators)


@pytest.mark.parametrize("words, code", [
    ("组织结构", "5.1.1"), ("组织架构", "5.1.1"), ("废弃品回收", "5.2.6"), ("废弃商品回收", "5.2.6"),
    (" 5.2.6 废弃品回收 ", "5.2.6"), ("5.1.2.2", "5.1.2.2"), ("售后服务管理师配置", "5.1.2.2"),
    ("take-back of discarded goods", "5.2.6"), ("回收", None), ("", None), ("5.1.1 投诉处理", None),
])
def test_a_node_is_found_by_its_code_name_or_alias(words, code):
    found = TREE.find(words)
    assert (found.code if found else None) == code


def test_aliases_show_in_the_tree_and_may_not_name_another_node():
    assert TREE.node("5.1.1").aliases == ("组织结构",) and TREE.node("5.2.6").aliases == ("废弃品回收",)
    data = raw_default()
    data["indicators"][2]["children"][1]["aliases"] = ["组织结构"]
    assert any("节点 5.3.2: 别名 “组织结构” 已是节点 5.1.1 的名称或别名" in p for p in problems_of(data))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"][0].update(excludable=True), "节点 5.1: 标为可删减（excludable: true），但其下条款 5.1.1.1"),
    (lambda d: first_leaf(d).update(excludable=True), "节点 5.1: 标为不可删减（excludable: false），但其下条款 5.1.1.1"),
    (lambda d: first_leaf(d).update(excludable="yes"), "节点 5.1.1.1: excludable 必须是 true 或 false"),
])
def test_excludable_marks_that_contradict_each_other_are_refused(change, message):
    data = raw_default()
    change(data)
    assert any(message in p for p in problems_of(data))


def test_a_clause_inherits_excludable_from_the_nearest_node_above_that_sets_it():
    data = raw_default()
    for leaf in data["indicators"][1]["children"][4]["children"]:  # 5.2.5 质量保证: the clauses say nothing
        leaf.pop("excludable")
    data["indicators"][1]["children"][4]["excludable"] = True
    tree = parse_tree(data, source="b.yaml")
    assert tree.node("5.2.5").excludable and all(leaf.excludable for leaf in tree.node("5.2.5").leaves())


def test_criteria_show_json_prints_the_scheme_and_whether_each_leaf_is_excludable():
    out = run("criteria", "show", "--json")
    tree = json.loads(out.stdout)
    assert tree["scheme"] == DEFAULT_SCHEME.to_dict() and tree["scheme"]["failing_deductions"] == 5
    assert tree["scheme"]["thresholds"] == {"five_star": 95, "four_star": 90, "three_star": 80, "compliant": 70}

    def nodes(node):
        return [node, *(x for c in node["children"] for x in nodes(c))]
    found = [n for top in tree["indicators"] for n in nodes(top)]
    leaves = {n["code"]: n for n in found if not n["children"]}
    assert all(isinstance(leaf["excludable"], bool) for leaf in leaves.values()) and len(leaves) == 39
    assert sorted(c for c, leaf in leaves.items() if leaf["excludable"]) == \
        ["5.2.2.a", "5.2.3.a", "5.2.3.b", "5.2.4.a", "5.2.4.b", "5.2.4.c", "5.2.6.a", "5.2.6.b"]
    assert leaves["5.1.1.1"]["points_exact"] == "7/3" and leaves["5.3.1.a"]["points"] == 3.125
    by_code = {n["code"]: n for n in found}
    assert by_code["5.1.1"]["aliases"] == ["组织结构"] and by_code["5.2.6"]["provenance"] == "number_inferred"


def test_criteria_show_prints_the_scheme_aliases_and_inferred_numbers():
    out = run("criteria", "show").stdout
    assert "认证方案：五星级 95，四星级 90，三星级 80，达标级 70；特别扣分项 5 项及以上评价不合格" in out
    assert "5.1.1 组织架构  ≈4.67 分  别名：组织结构" in out
    assert "5.2.6 废弃商品回收  ≈4.67 分  [名称已核实，编号为推断]  别名：废弃品回收" in out
    assert "5.2.6.a 回收制度与渠道  ≈2.33 分  [本产品拟定（非标准原文）]  可删减" in out


def test_criteria_validate_reports_each_scheme_defect_and_exits_2(tmp_path):
    path = tmp_path / "body.yaml"
    path.write_text(yaml.safe_dump(tree_with({"thresholds": {"four_star": 97}, "exclusion_cap_percent": 200,
                                              "colour": "red"}), allow_unicode=True), encoding="utf-8")
    out = run("criteria", "validate", str(path))
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 3 and "Traceback" not in out.stderr
    assert {line.split(": ")[1] for line in lines} == {"scheme", "scheme.thresholds", "scheme.exclusion_cap_percent"}
