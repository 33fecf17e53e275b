"""`python -m criteria`: list, show and validate indicator trees from the command line."""
from __future__ import annotations

import argparse
import json
import sys

from clitools import run
from config import settings
from criteria.loader import load_tree_file
from criteria.model import PROVENANCE_LABELS, Node, number
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
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
    for top in tree.indicators:
        for node in top.walk():
            print(_line(node))
    return 0


def _line(node: Node) -> str:
    indent = "  " * (node.level - 1)
    extra = ""
    if node.is_leaf:
        extra = f"  [{PROVENANCE_LABELS[node.provenance]}]" + ("  抽样评分" if node.sampled else "")
    return f"{indent}{node.code} {node.name}  {number(node.points)} 分{extra}"


def _validate(path: str) -> int:
    try:
        tree = load_tree_file(path)
    except TreeInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    print(f"有效：{tree.ref}，{len(tree.leaves())} 个评分条款，合计 {number(tree.total_points)} 分")
    return 0


if __name__ == "__main__":
    run(main)
