"""The indicator tree: the shipped default is complete and a broken tree file is refused, naming what is wrong."""
import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from criteria import TreeRegistry, load_tree_file, parse_tree
from criteria.registry import ARCHIVE_DIR, BUILTIN_DIR
from errors import TreeInvalid, TreeNotFound
from tests.factories import default_tree

DEFAULT_FILE = BUILTIN_DIR / "gbt27922-2011.yaml"
SECOND_LEVEL = {
    "5.1": ["组织架构", "人员配置", "资源配置", "规范要求", "监督", "改进", "服务文化"],
    "5.2": ["商品信息", "技术支持", "配送", "维修", "质量保证", "废弃商品回收"],
    "5.3": ["顾客关系", "投诉处理"],
}
VERIFIED_CLAUSES = ["5.1.1.1", "5.1.1.2", "5.1.2.1", "5.1.2.2", "5.1.3.1", "5.1.3.2", "5.1.3.3",
                    "5.1.4.1", "5.1.4.2", "5.1.5.1", "5.1.5.2"]


def raw_default() -> dict:
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name="sheet.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_default_tree_has_the_standards_first_and_second_level_indicators():
    tree = default_tree()
    assert [n.code for n in tree.indicators] == ["5.1", "5.2", "5.3"]
    assert [n.name for n in tree.indicators] == ["售后服务体系", "商品服务", "顾客服务"]
    for top in tree.indicators:
        assert [c.name for c in top.children] == SECOND_LEVEL[top.code]


def test_default_tree_points_follow_our_rule_and_add_up_to_100():
    """40 / 35 / 25 by first-level indicator, 5.1.2.2 = 5, the rest shared equally within its indicator."""
    tree = default_tree()
    leaves = tree.leaves()
    assert len(leaves) == 39
    assert tree.total_points == 100
    assert tree.node("5.1.2.2").points == 5
    assert [n.points for n in tree.indicators] == [40, 35, 25]
    for top, share in (("5.1", Fraction(35, 15)), ("5.2", Fraction(35, 15)), ("5.3", Fraction(25, 8))):
        assert {leaf.points for leaf in tree.node(top).leaves() if leaf.code != "5.1.2.2"} == {share}, top


def test_points_are_exact_fractions_and_a_parent_adds_its_clauses_exactly(tmp_path):
    tree = default_tree()
    assert tree.node("5.2.4").points == 7 and tree.node("5.1.2").points == Fraction(22, 3)
    assert f"{tree.node('5.1.1.1').points:g}" == "2.33333"  # text that formats points with a spec still works
    data = raw_default()
    first_leaf(data)["points"] = "1/3"
    data["indicators"][0]["children"][0]["points"] = "8/3"  # 1/3 + 7/3, declared on the parent
    del data["total_points"]
    assert load_tree_file(write(tmp_path, data)).total_points == 98


def test_every_leaf_carries_what_an_assessor_needs():
    for leaf in default_tree().leaves():
        assert leaf.name and leaf.name_en and leaf.requirement and leaf.evidence, leaf.code
        assert leaf.level == 3  # 三级指标: the scored clauses


def test_provenance_marks_verified_clauses_and_our_own_check_items():
    tree = default_tree()
    for leaf in tree.leaves():
        expected = "verified" if leaf.code in VERIFIED_CLAUSES else {"paraphrase", "inferred"}
        assert leaf.provenance in (expected if isinstance(expected, set) else {expected}), leaf.code
        if leaf.code not in VERIFIED_CLAUSES:
            assert leaf.code[-1].isalpha(), f"{leaf.code}: our own check items are lettered"
    sampled = {leaf.code for leaf in tree.leaves() if leaf.sampled}
    assert sampled == {"5.1.2.1", "5.1.3.3", "5.1.7.c", "5.2.3.a", "5.2.4.a", "5.3.2.b"}


def test_a_tree_not_adding_up_to_100_loads_when_it_declares_no_total(tmp_path):
    data = raw_default()
    del data["total_points"]
    data["indicators"][0]["children"][0]["children"][0]["points"] = 10
    assert load_tree_file(write(tmp_path, data)).total_points == Fraction(323, 3)  # 100 - 7/3 + 10


def broken(change) -> dict:
    data = copy.deepcopy(raw_default())
    change(data)
    return data


def first_leaf(data):
    return data["indicators"][0]["children"][0]["children"][0]


BROKEN = {
    "duplicate code": (lambda d: first_leaf(d).update(code="5.1.1.2"), "节点 5.1.1.2", "代码重复"),
    "points not adding up": (lambda d: first_leaf(d).update(points=3), "文件", "分值合计不符"),
    "parent points disagree": (lambda d: d["indicators"][2].update(points=20), "节点 5.3", "分值合计不符"),
    "missing name": (lambda d: first_leaf(d).pop("name"), "节点 5.1.1.1", "缺少 name"),
    "bad parent": (lambda d: first_leaf(d).update(code="5.2.9.1"), "节点 5.2.9.1", "上级不正确"),
    "unquoted code": (lambda d: d["indicators"][0].update(code=5.1), "indicators[0]", "加引号"),
    "leaf without points": (lambda d: first_leaf(d).pop("points"), "节点 5.1.1.1", "缺少分值"),
    "negative points": (lambda d: first_leaf(d).update(points=-1), "节点 5.1.1.1", "大于 0"),
    "unknown provenance": (lambda d: first_leaf(d).update(provenance="guess"), "节点 5.1.1.1", "provenance"),
    "typo in a key": (lambda d: first_leaf(d).update(requirment="x"), "节点 5.1.1.1", "requirment"),
    "missing indicators": (lambda d: d.pop("indicators"), "文件", "indicators"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_tree_is_refused_naming_file_node_and_problem(tmp_path, case):
    change, node, what = BROKEN[case]
    path = write(tmp_path, broken(change), name="body-sheet.yaml")
    with pytest.raises(TreeInvalid) as caught:
        load_tree_file(path)
    assert any(p.startswith(f"body-sheet.yaml: {node}") and what in p for p in caught.value.problems), caught.value.problems


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    def two_defects(d):
        first_leaf(d).pop("name")
        d["indicators"][1]["children"][0]["children"][0]["code"] = "5.1.1.1"
    with pytest.raises(TreeInvalid) as caught:
        parse_tree(broken(two_defects), source="x.yaml")
    assert len(caught.value.problems) >= 2


@pytest.mark.parametrize("content, what", [
    (b"id: [unclosed", "无法解析"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"- just\n- a list\n", "顶层必须是一个对象"),
    (b"", "顶层必须是一个对象"),
])
def test_a_file_that_is_not_a_tree_is_refused_with_its_name(tmp_path, content, what):
    path = tmp_path / "weird.yaml"
    path.write_bytes(content)
    with pytest.raises(TreeInvalid) as caught:
        load_tree_file(path)
    assert caught.value.message.startswith("weird.yaml:") and what in caught.value.message


def test_json_tree_files_load_like_yaml(tmp_path):
    import json
    path = tmp_path / "same.json"
    data = raw_default()
    data["id"] = "same-as-json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_tree_file(path).leaves() == default_tree().leaves()


def test_registry_lists_extra_trees_and_reports_broken_files(tmp_path):
    data = raw_default()
    data.update(id="body-a", version="2024.1")
    write(tmp_path, data, "body-a.yaml")
    (tmp_path / "broken.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    registry = TreeRegistry([tmp_path])
    assert {t.ref for t in registry.trees()} == {"gbt27922-2011@2011-default.2", "body-a@2024.1"}
    errors = [e.error for e in registry.entries() if e.error]
    assert len(errors) == 1 and errors[0].startswith("broken.yaml:")
    assert registry.get("body-a").version == "2024.1"
    assert registry.get("body-a@2024.1").id == "body-a"


def test_registry_refuses_an_unknown_tree_and_says_which_exist():
    with pytest.raises(TreeNotFound, match="gbt27922-2011"):
        TreeRegistry().get("no-such-tree")


def test_a_second_file_with_the_same_id_and_version_does_not_shadow_the_first(tmp_path):
    write(tmp_path, raw_default(), "copy.yaml")
    registry = TreeRegistry([tmp_path])
    assert registry.get("gbt27922-2011").source == "gbt27922-2011.yaml"
    assert any(e.error and "已由" in e.error for e in registry.entries())


def test_the_superseded_default_is_found_by_its_version_but_not_offered():
    """Engagements scored on 2011-default.1 keep its 2.5-point clauses; new work gets the current version."""
    registry = TreeRegistry()
    old = registry.get("gbt27922-2011@2011-default.1")
    assert old.node("5.1.1.1").points == Decimal("2.5") and old.total_points == 100
    assert [leaf.code for leaf in old.leaves() if leaf.excludable] == \
        [leaf.code for leaf in default_tree().leaves() if leaf.excludable]
    assert "gbt27922-2011@2011-default.1" not in {t.ref for t in registry.trees()}
    assert registry.get("gbt27922-2011").version == "2011-default.2"
    assert all(load_tree_file(path) for path in ARCHIVE_DIR.iterdir())
