"""The two command-line entries, run as a user runs them: output, exit status, one-line errors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from criteria.registry import BUILTIN_DIR
from tests.factories import default_tree

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
    assert sum(leaf["points"] for leaf in found) == 100
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
