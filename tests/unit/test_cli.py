"""The two command-line entries, run as a user runs them: output, exit status, one-line errors."""
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from criteria.registry import BUILTIN_DIR
from tests.factories import all_conform, default_tree

ROOT = Path(__file__).resolve().parents[2]
TREE = default_tree()


def run(*args, env_dir: Path | None = None):
    env = {"AUDIT_DATA_DIR": str(env_dir)} if env_dir else {}
    import os
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_criteria_show_json_gives_the_whole_tree():
    out = run("criteria", "show", "--json")
    assert out.returncode == 0, out.stderr
    tree = json.loads(out.stdout)
    assert tree["id"] == "gbt27922-2011" and tree["total_points"] == 100
    assert [n["code"] for n in tree["indicators"]] == ["5.1", "5.2", "5.3"]

    def leaves(node):
        return [node] if not node["children"] else [x for c in node["children"] for x in leaves(c)]
    found = [leaf for top in tree["indicators"] for leaf in leaves(top)]
    assert [leaf["code"] for leaf in found] == [leaf.code for leaf in TREE.leaves()]
    assert sum(Fraction(leaf["points_exact"]) for leaf in found) == 100
    assert [top["points"] for top in tree["indicators"]] == [40, 35, 25]
    assert all(isinstance(leaf["excludable"], bool) for leaf in found)
    assert all({"code", "name", "points", "children"} <= set(leaf) for leaf in found)


def test_criteria_show_prints_a_readable_tree():
    out = run("criteria", "show")
    assert out.returncode == 0 and "5.1.2.2 售后服务管理师配置  5 分" in out.stdout


def test_criteria_list_includes_trees_from_the_data_folder(tmp_path):
    data = yaml.safe_load((BUILTIN_DIR / "gbt27922-2011.yaml").read_text(encoding="utf-8"))
    data["id"] = "body-sheet"
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "body.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = run("criteria", "list", env_dir=tmp_path)
    assert "gbt27922-2011@" in out.stdout and "body-sheet@" in out.stdout


def test_criteria_validate_accepts_the_default_and_refuses_a_broken_file(tmp_path):
    ok = run("criteria", "validate", str(BUILTIN_DIR / "gbt27922-2011.yaml"))
    assert ok.returncode == 0 and "39" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((BUILTIN_DIR / "gbt27922-2011.yaml").read_text(encoding="utf-8")
                   .replace('code: "5.1.1.2"', 'code: "5.1.1.1"'), encoding="utf-8")
    out = run("criteria", "validate", str(bad))
    assert out.returncode == 2 and "bad.yaml: 节点 5.1.1.1: 代码重复" in out.stderr
    assert "Traceback" not in out.stderr


def write_json(tmp_path, data, name="assessment.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_scoring_json_output_has_score_star_decision_and_subtotals(tmp_path):
    ratings = [{"code": leaf.code, "result": "conform"} for leaf in TREE.leaves() if leaf.code != "5.1.2.2"]
    ratings.append({"code": "5.1.2.2", "result": "nonconform"})
    out = run("scoring", str(write_json(tmp_path, {"criteria": "gbt27922-2011", "ratings": ratings})), "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert (r["score"], r["star"], r["decision"], r["complete"]) == (95.0, "five_star", "granted", True)
    assert (r["earned_points"], r["applicable_points"]) == (95.0, 100.0)
    assert {s["code"] for s in r["subtotals"] if s["level"] == 1} == {"5.1", "5.2", "5.3"}
    assert len([s for s in r["subtotals"] if s["level"] == 2]) == 15


def test_scoring_prints_a_readable_summary(tmp_path):
    out = run("scoring", str(write_json(tmp_path, {"criteria": "gbt27922-2011", "ratings": []})))
    assert out.returncode == 0 and "得分：0.00" in out.stdout and "评价未完成" in out.stdout


BAD_INPUTS = {
    "not json": ("{ratings: oops", "不是有效的 JSON"),
    "not an object": ([1, 2], "顶层必须是一个 JSON 对象"),
    "no criteria": ({"ratings": []}, "criteria"),
    "unknown tree": ({"criteria": "nope", "ratings": []}, "未找到指标树 “nope”"),
    "unknown code": ({"criteria": "gbt27922-2011", "ratings": [{"code": "5.4.1.1", "result": "conform"}]},
                     "未知的条款代码 “5.4.1.1”"),
    "more nonconforming than sampled": (
        {"criteria": "gbt27922-2011", "ratings": [
            {"code": "5.1.2.1", "result": "sampled", "sampled": 3, "nonconforming": 4}]},
        "不符合数 4 大于抽样数 3"),
    "exclusion without reason": ({"criteria": "gbt27922-2011", "ratings": [], "exclusions": [{"code": "5.2.6.a"}]},
                                 "删减必须写明理由"),
    "excluded and rated": ({"criteria": "gbt27922-2011", "ratings": [{"code": "5.2.3.a", "result": "conform"}],
                            "exclusions": [{"code": "5.2.3.a", "reason": "不配送"}]}, "既已删减又已评分"),
    "two bonuses": ({"criteria": "gbt27922-2011", "ratings": [],
                     "special_bonus": [{"reason": "a"}, {"reason": "b"}]}, "特别加分项最多 1 项"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_exits_2_with_one_clear_line(tmp_path, case):
    data, message = BAD_INPUTS[case]
    out = run("scoring", str(write_json(tmp_path, data)), "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr


def test_a_missing_file_exits_2(tmp_path):
    out = run("scoring", str(tmp_path / "absent.json"))
    assert out.returncode == 2 and "文件不存在" in out.stderr and "Traceback" not in out.stderr


def cli_case(ratings, **extra):
    return {"criteria": "gbt27922-2011", "ratings": ratings, **extra}


def _a3_a4_cases():
    """Domain brief A3 and A4 through `python -m scoring`, each figure worked out by hand from README's points
    (5.1.2.2 = 5, the other clauses of 5.1 and 5.2 = 7/3, those of 5.3 = 25/8)."""
    from tests.unit.test_scoring_rules import CUSTOMER, PLAIN, nonconform, sampled

    def but_5122(skip):
        return all_conform(TREE, but={"5.1.2.2": {"result": "nonconform"}}, skip=skip)
    conform = nonconform()
    deductions = [{"reason": f"违规{i}"} for i in range(5)]
    return {
        "95 exactly": (cli_case(nonconform("5.1.2.2")), (95.0, "five_star", "granted")),
        "94.995 rounds up": (cli_case(nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1400, 3)})),
                             (95.0, "five_star", "granted")),
        "94.985 rounds to 94.99": (cli_case(nonconform("5.1.2.2", extra={"5.1.2.1": sampled(1400, 9)})),
                                   (94.99, "four_star", "granted")),
        "90 exactly": (cli_case(nonconform("5.1.2.2", *PLAIN[:2], extra={"5.1.2.1": sampled(7, 1)})),
                       (90.0, "four_star", "granted")),
        "89.994": (cli_case(nonconform("5.1.2.2", *PLAIN[:2], extra={"5.1.2.1": sampled(3500, 509)})),
                   (89.99, "three_star", "granted")),
        "80 exactly": (cli_case(nonconform("5.1.2.2", *PLAIN[:6], extra={"5.1.2.1": sampled(7, 3)})),
                       (80.0, "three_star", "granted")),
        "79.994": (cli_case(nonconform("5.1.2.2", *PLAIN[:6], extra={"5.1.2.1": sampled(3500, 1509)})),
                   (79.99, "compliant", "granted")),
        "70 exactly": (cli_case(nonconform("5.1.2.2", *CUSTOMER)), (70.0, "compliant", "granted")),
        "69.994": (cli_case(nonconform("5.1.2.2", *CUSTOMER, extra={"5.1.2.1": sampled(3500, 9)})),
                   (69.99, "not_passed", "not_passed")),
        "4 deductions": (cli_case(conform, special_deductions=deductions[:4]), (96.0, "five_star", "granted")),
        "5 deductions fail": (cli_case(conform, special_deductions=deductions), (95.0, "not_passed", "not_passed")),
        "general raised": (cli_case(conform, nonconformities=[{"severity": "general", "status": "raised"}]),
                           (100.0, "five_star", "withheld")),
        "general accepted": (cli_case(conform, nonconformities=[{"severity": "general", "status": "accepted"}]),
                             (100.0, "five_star", "granted")),
        "serious accepted, not closed": (
            cli_case(conform, nonconformities=[{"severity": "serious", "status": "accepted"}]),
            (100.0, "five_star", "withheld")),
        "observation": (cli_case(conform, nonconformities=[{"severity": "observation", "status": "raised"}]),
                        (100.0, "five_star", "granted")),
        "excludable indicator excluded": (
            cli_case(but_5122({"5.2.6.a", "5.2.6.b"}),
                     exclusions=[{"code": "5.2.6", "reason": "不负有回收义务"}]),
            (94.76, "four_star", "granted")),  # 1 - 5 / (100 - 14/3)
        "not covered in surveillance": (
            cli_case(but_5122({"5.3.1.a"}), not_covered=["5.3.1.a"],
                     engagement={"kind": "surveillance"}),
            (94.84, "four_star", "granted")),  # 1 - 5 / (100 - 3.125)
        "not excludable": (cli_case([], exclusions=[{"code": "5.1.1.1", "reason": "r"}]),
                           "条款 5.1.1.1 售后服务部门与岗位 不可删减"),
        "indicator with a clause not excludable": (
            cli_case([], exclusions=[{"code": "5.2.2", "reason": "不安装"}]),
            "指标 5.2.2 技术支持 不能整体删减：其下条款 5.2.2.b 使用指导与技术咨询 不可删减"),
        "not covered in an initial certification": (
            cli_case([], not_covered=["5.3.1.a"], kind="initial"), "本次未抽查只用于监督评价；初次认证中"),
    }


A3_A4 = _a3_a4_cases()


@pytest.mark.parametrize("case", A3_A4)
def test_the_cli_applies_the_scoring_and_decision_rules(tmp_path, case):
    data, expected = A3_A4[case]
    out = run("scoring", str(write_json(tmp_path, data)), "--json")
    if isinstance(expected, str):
        assert out.returncode == 2 and out.stdout == "" and expected in out.stderr.strip(), out.stderr
        return
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert (r["score"], r["star"], r["decision"]) == expected


def test_the_cli_refuses_exclusions_past_the_trees_cap(tmp_path):
    data = yaml.safe_load((BUILTIN_DIR / "gbt27922-2011.yaml").read_text(encoding="utf-8"))
    data.update(id="body-capped", scheme={"exclusion_cap_percent": 10})
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "capped.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    exclusions = [{"code": "5.2.4", "reason": "不维修"}, {"code": "5.2.6", "reason": "不回收"}]  # 7, then 14/3 more
    ok = run("scoring", str(write_json(tmp_path, {"criteria": "body-capped", "ratings": [],
                                                  "exclusions": exclusions[:1]})), "--json", env_dir=tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout)["applicable_points"] == 93
    out = run("scoring", str(write_json(tmp_path, {"criteria": "body-capped", "ratings": [],
                                                   "exclusions": exclusions})), env_dir=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == "错误：删减 5.2.6 后删减分值合计 ≈11.67 分，超过上限 10 分（总分 100 分的 10%）"


def test_the_cli_lists_what_decided_the_result(tmp_path):
    data = cli_case([], special_deductions=[{"reason": "违规"}] * 5, not_covered=["5.3.1"], kind="surveillance",
                    nonconformities=[{"severity": "general", "status": "submitted"}],
                    exclusions=[{"code": "5.2.3", "reason": "不配送"}])
    out = run("scoring", str(write_json(tmp_path, data))).stdout
    for line in ("特别扣分项 5 项，达到 5 项（含）以上，评价不合格", "整改尚未被接受的一般不符合：1 项",
                 "删减的条款：5.2.3.a、5.2.3.b", "本次未抽查的条款：5.3.1.a、5.3.1.b、5.3.1.c、5.3.1.d"):
        assert line in out
    r = json.loads(run("scoring", str(write_json(tmp_path, data)), "--json").stdout)
    assert (r["failed_by_deductions"], r["open_general_nonconformities"]) == (True, 1)
    assert r["not_covered"] == ["5.3.1.a", "5.3.1.b", "5.3.1.c", "5.3.1.d"] and r["scheme"]["failing_deductions"] == 5
