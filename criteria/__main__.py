"""`python -m criteria`: list, show and validate indicator trees from the command line."""
from __future__ import annotations

import argparse
import json
import sys

from clitools import run
from config import settings
from criteria.loader import load_tree_file
from criteria.model import PROVENANCE_LABELS, Node, Provenance, Tree, number, points_text
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from criteria.scheme import STAR_LABELS
from errors import TreeInvalid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m criteria", description="GB/T 27922 指标树：列出、显示、校验")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="列出可用的指标树")
    show = sub.add_parser("show", help="显示一棵指标树")
    show.add_argument("--tree", default=DEFAULT_TREE_ID, help="指标树 id 或 id@version")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    check = sub.add_parser("validate", help="校验一个指标树文件")
    check.add_argument("file")
    args = parser.parse_args(argv)
    registry = TreeRegistry([settings().extra_trees_dir])
    if args.command == "list":
        return _list(registry)
    if args.command == "show":
        return _show(registry, args.tree, args.json)
    return _validate(args.file)


def _list(registry: TreeRegistry) -> int:
    for entry in registry.entries():
        if entry.tree:
            t = entry.tree
            print(f"{t.ref}\t{t.title}\t{len(t.leaves())} 条款\t{number(t.total_points)} 分\t{entry.path}")
        else:
            print(f"[无法加载] {entry.path}\n  {entry.error}")
    return 0


def _show(registry: TreeRegistry, ref: str, as_json: bool) -> int:
    tree = registry.get(ref)
    if as_json:
        json.dump(tree.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{tree.title}  [{tree.ref}]  合计 {number(tree.total_points)} 分，{len(tree.leaves())} 个评分条款")
    print(_scheme_line(tree))
    for top in tree.indicators:
        for node in top.walk():
            print(_line(node))
    return 0


def _scheme_line(tree: Tree) -> str:
    s = tree.scheme
    floors = "，".join(f"{STAR_LABELS[star]} {floor:g}" for star, floor in s.thresholds)
    first = "首次认证一年内最高达标级" if s.cap_first_certification else "首次认证不限星级"
    return (f"认证方案：{floors}；特别扣分项 {s.failing_deductions} 项及以上评价不合格；"
            f"删减分值不超过总分的 {float(s.exclusion_cap_percent):g}%；"
            f"整改期限 严重 {s.nc_days_serious} 天、一般 {s.nc_days_general} 天；"
            f"公正性回避 {s.impartiality_years} 年；{first}；显示为 {s.display_scale} 分制")


def _line(node: Node) -> str:
    indent = "  " * (node.level - 1)
    extra = ""
    if node.is_leaf or node.provenance == Provenance.NUMBER_INFERRED:
        extra = f"  [{PROVENANCE_LABELS[node.provenance]}]"
    if node.is_leaf:
        extra += ("  抽样评分" if node.sampled else "") + ("  可删减" if node.excludable else "")
    if node.aliases:
        extra += f"  别名：{'、'.join(node.aliases)}"
    return f"{indent}{node.code} {node.name}  {points_text(node.points)} 分{extra}"


def _validate(path: str) -> int:
    try:
        tree = load_tree_file(path)
    except TreeInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    print(f"有效：{tree.ref}，{len(tree.leaves())} 个评分条款，合计 {number(tree.total_points)} 分")
    print(_scheme_line(tree))
    return 0


if __name__ == "__main__":
    run(main)
