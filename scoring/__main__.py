"""`python -m scoring ASSESSMENT.json [--json]`: score an assessment or project snapshot file."""
from __future__ import annotations

import argparse
import json
import sys

from clitools import run
from config import settings
from criteria.model import Tree
from criteria.registry import TreeRegistry
from scoring.engine import ScoreResult, score
from scoring.files import load_assessment, read_json_file
from scoring.next_star import path_to_next_star
from scoring.stars import DECISION_LABELS, STAR_LABELS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="按 GB/T 27922 规则计算评价得分和星级")
    parser.add_argument("file", help="评价 JSON 文件（或项目快照）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    registry = TreeRegistry([settings().extra_trees_dir])
    tree, assessment = load_assessment(read_json_file(args.file), registry)
    result = score(tree, assessment)
    if args.json:
        json.dump(result_to_dict(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(summary(tree, result))
    return 0


def result_to_dict(result: ScoreResult) -> dict:
    return {
        "criteria": result.tree_ref,
        "score": float(result.score),
        "star": str(result.star),
        "star_label": STAR_LABELS[result.star],
        "star_by_score": str(result.star_by_score),
        "decision": str(result.decision),
        "complete": result.complete,
        "earned_points": float(result.earned_points),
        "applicable_points": float(result.applicable_points),
        "raw_score": float(result.raw_score),
        "special_deductions": result.special_deductions,
        "special_bonus": result.special_bonus,
        "rated_clauses": result.rated,
        "applicable_clauses": result.applicable_clauses,
        "open_serious_nonconformities": result.open_serious,
        "subtotals": [
            {"code": s.code, "name": s.name, "level": s.level, "points": float(s.points),
             "applicable": float(s.applicable), "earned": float(s.earned)}
            for s in result.subtotals
        ],
        "clauses": [
            {"code": c.code, "status": str(c.status), "points": float(c.points), "earned": float(c.earned),
             "applicable": c.applicable}
            for c in result.clauses.values()
        ],
    }


def summary(tree: Tree, result: ScoreResult) -> str:
    lines = [
        f"指标树：{tree.title} [{tree.ref}]",
        f"得分：{result.score}    星级：{STAR_LABELS[result.star]}    结论：{DECISION_LABELS[result.decision]}",
        f"实际得分 {float(result.earned_points):.2f} / 涉及项分值 {float(result.applicable_points):g}"
        f"，特别扣分 {result.special_deductions} 项，特别加分 {result.special_bonus} 项",
        f"已评 {result.rated} / {result.applicable_clauses} 个适用条款" + ("" if result.complete else "（评价未完成）"),
    ]
    if result.open_serious:
        lines.append(f"未关闭的严重不符合：{result.open_serious} 项")
    lines.append("")
    for sub in result.subtotals:
        indent = "  " * (sub.level - 1)
        lines.append(f"{indent}{sub.code} {sub.name}: {float(sub.earned):.2f} / {float(sub.applicable):g}")
    path = path_to_next_star(result)
    if path.target and path.reachable:
        codes = "、".join(s.code for s in path.steps)
        lines += ["", f"升至{STAR_LABELS[path.target]}（≥{path.threshold}）最少需改为符合的条款：{codes}"]
    return "\n".join(lines)


if __name__ == "__main__":
    run(main)
