"""`python -m scoring ASSESSMENT.json [--json]`: score an assessment or project snapshot file against the tree
it names, with that tree's scheme (star floors, failing deductions, exclusion cap, display scale)."""
from __future__ import annotations

import argparse
import json
import sys

from clitools import run
from config import settings
from criteria.model import Tree, points_text
from criteria.registry import TreeRegistry
from scoring.engine import ScoreResult, score
from scoring.files import load_assessment, read_json_file
from scoring.next_star import path_to_next_star
from scoring.stars import DECISION_LABELS, STAR_LABELS
from vocabulary import ClauseStatus


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
    scheme = result.scheme
    return {
        "criteria": result.tree_ref,
        "score": float(result.score),
        "display_scale": scheme.display_scale,
        "display_score": float(scheme.displayed(result.score)),
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
        "failing_deductions": scheme.failing_deductions,
        "failed_by_deductions": result.failed_by_deductions,
        "open_serious_nonconformities": result.open_serious,
        "open_general_nonconformities": result.open_general,
        "excluded": result.with_status(ClauseStatus.EXCLUDED),
        "not_covered": result.with_status(ClauseStatus.NOT_COVERED),
        "scheme": scheme.to_dict(),
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
    scheme = result.scheme
    shown = "" if scheme.display_scale == 100 else \
        f"（{scheme.display_scale} 分制：{scheme.displayed(result.score):.1f}）"
    lines = [
        f"指标树：{tree.title} [{tree.ref}]",
        f"得分：{result.score}{shown}    星级：{STAR_LABELS[result.star]}    结论：{DECISION_LABELS[result.decision]}",
        f"实际得分 {float(result.earned_points):.2f} / 涉及项分值 {points_text(result.applicable_points)}"
        f"，特别扣分 {result.special_deductions} 项，特别加分 {result.special_bonus} 项",
        f"已评 {result.rated} / {result.applicable_clauses} 个适用条款" + ("" if result.complete else "（评价未完成）"),
    ]
    lines += _notes(result)
    lines.append("")
    for sub in result.subtotals:
        indent = "  " * (sub.level - 1)
        lines.append(f"{indent}{sub.code} {sub.name}: {float(sub.earned):.2f} / {points_text(sub.applicable)}")
    path = path_to_next_star(result)
    if path.target and path.reachable:
        codes = "、".join(s.code for s in path.steps)
        lines += ["", f"升至{STAR_LABELS[path.target]}（≥{path.threshold}）最少需改为符合的条款：{codes}"]
    return "\n".join(lines)


def _notes(result: ScoreResult) -> list[str]:
    """What else decided the result: failing deductions, open nonconformities, clauses left out."""
    notes = []
    if result.failed_by_deductions:
        notes.append(f"特别扣分项 {result.special_deductions} 项，达到 {result.scheme.failing_deductions} 项"
                     "（含）以上，评价不合格")
    if result.open_serious:
        notes.append(f"未关闭的严重不符合：{result.open_serious} 项")
    if result.open_general:
        notes.append(f"整改尚未被接受的一般不符合：{result.open_general} 项")
    for status, word in ((ClauseStatus.EXCLUDED, "删减"), (ClauseStatus.NOT_COVERED, "本次未抽查")):
        if result.with_status(status):
            notes.append(f"{word}的条款：{'、'.join(result.with_status(status))}")
    return notes


if __name__ == "__main__":
    run(main)
