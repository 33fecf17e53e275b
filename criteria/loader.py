"""Read an indicator-tree file (YAML or JSON), check it, and build a Tree; a broken file is refused whole.

Rules a tree file must keep (each broken rule is reported with the file, the node and what is wrong):
- top level: `id` (letters, digits, . _ -), `version`, `title`, a non-empty `indicators` list;
- every node: a quoted string `code`, a `name`, a `provenance` of verified / paraphrase / inferred;
  codes are unique, and a child's code is its parent's code plus one more segment (5.1 > 5.1.1 > 5.1.1.a);
- a leaf (no children) is a scored clause: positive `points`, a `requirement`, optional `evidence` list,
  `sampled` true/false; first-level indicators must have children;
- points given on a parent, and `total_points` on the tree, must equal the sum of the leaves below; points are
  exact: a number or a fraction written as text (`points: 7/3`);
- `excludable` (true/false) on any node: a clause inherits it from the nearest node above that sets it, else it
  may not be excluded; given on a parent it holds for every clause below (a clause that disagrees is refused by
  name); a parent is excludable exactly when every clause below it is;
- `aliases`: other names of a node (组织结构 for 组织架构), each non-empty and used by no other node;
- `scheme`: the certification scheme's settings (criteria/scheme_file.py states their rules).
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import yaml

from criteria.model import Node, Points, Provenance, Tree, points_text
from criteria.scheme_file import parse_scheme
from errors import TreeInvalid

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 6
CODE_RE = re.compile(r"^[0-9A-Za-z]{1,10}(\.[0-9A-Za-z]{1,10}){0,7}$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
TREE_KEYS = {"id", "version", "title", "title_en", "standard", "total_points", "description", "indicators", "scheme"}
NODE_KEYS = {"code", "name", "name_en", "provenance", "points", "children",
             "requirement", "requirement_en", "evidence", "sampled", "excludable", "aliases"}
TEXT_LIMITS = {"name": 200, "name_en": 300, "requirement": 4000, "requirement_en": 4000, "title": 300}


def load_tree_file(path: str | Path) -> Tree:
    """Load and check one tree file; raises TreeInvalid naming the file and every defect."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TreeInvalid([f"{name}: 无法读取文件（{exc.strerror or exc}）"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise TreeInvalid([f"{name}: 文件过大（{len(raw)} 字节，上限 {MAX_FILE_BYTES}）"])
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except UnicodeDecodeError:
        raise TreeInvalid([f"{name}: 文件不是 UTF-8 编码的文本"]) from None
    except (yaml.YAMLError, json.JSONDecodeError, RecursionError) as exc:
        where = _parse_position(exc)
        raise TreeInvalid([f"{name}: 无法解析{where}，请检查 YAML/JSON 语法"]) from None
    return parse_tree(data, source=name)


def _parse_position(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）"
    if isinstance(exc, json.JSONDecodeError):
        return f"（第 {exc.lineno} 行第 {exc.colno} 列）"
    return ""


def parse_tree(data: object, source: str = "<tree>") -> Tree:
    """Check an already-parsed tree document and build the Tree."""
    checker = _Checker(source)
    tree = checker.tree(data)
    if checker.problems:
        raise TreeInvalid(checker.problems)
    return tree


class _Checker:
    """Walks a raw document once, collecting problems instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.source}: {where}: {what}")

    def tree(self, data: object) -> Tree | None:
        if not isinstance(data, dict):
            self.problem("文件", "顶层必须是一个对象（包含 id、version、title、indicators）")
            return None
        for key in sorted(set(data) - TREE_KEYS, key=str):
            self.problem("文件", f"未知的字段 “{key}”")
        tree_id = self.text(data, "id", "文件", required=True)
        if tree_id and not ID_RE.match(tree_id):
            self.problem("文件", f"id “{tree_id}” 只能包含字母、数字和 . _ -")
        version = self.text(data, "version", "文件", required=True, coerce=True)
        title = self.text(data, "title", "文件", required=True)
        indicators = data.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            self.problem("文件", "indicators 必须是非空列表")
            return None
        tops = tuple(n for n in (self.node(raw, None, 1, i) for i, raw in enumerate(indicators)) if n)
        for top in tops:
            if top.is_leaf:
                self.problem(f"节点 {top.code}", "一级指标必须包含下级指标或条款（children）")
        declared = None
        if "total_points" in data:
            declared = self.points(data["total_points"], "文件", "total_points")
        scheme = parse_scheme(data.get("scheme"), self.problem)
        self.check_aliases(tops)
        if self.problems:
            return None
        tree = Tree(id=tree_id, version=version, title=title, indicators=tops,
                    title_en=self.text(data, "title_en", "文件") or "",
                    standard=self.text(data, "standard", "文件") or "",
                    declared_total=declared, source=self.source, scheme=scheme)
        if declared is not None and declared != tree.total_points:
            self.problem("文件", f"分值合计不符：各条款分值之和为 {points_text(tree.total_points)}，"
                               f"total_points 声明为 {points_text(declared)}")
        return tree

    def node(self, raw: object, parent: str | None, level: int, index: int,
             inherited: bool | None = None) -> Node | None:
        where = f"{'indicators' if parent is None else parent + ' 的 children'}[{index}]"
        if not isinstance(raw, dict):
            self.problem(where, "节点必须是一个对象")
            return None
        code = raw.get("code")
        if not isinstance(code, str):
            hint = "（YAML 中请加引号，如 \"5.1\"）" if isinstance(code, int | float) else ""
            self.problem(where, f"缺少代码 code 或代码不是字符串{hint}")
            return None
        code = code.strip()
        where = f"节点 {code}"
        if not CODE_RE.match(code):
            self.problem(where, "代码格式不正确（应为以点分隔的段，如 5.1.2.1 或 5.2.1.a）")
            return None
        if code in self.seen:
            self.problem(where, "代码重复")
        self.seen.add(code)
        self.check_parent(code, parent, where)
        for key in sorted(set(raw) - NODE_KEYS, key=str):
            self.problem(where, f"未知的字段 “{key}”")
        name = self.text(raw, "name", where, required=True)
        provenance = self.provenance(raw.get("provenance"), where)
        excludable = self.flag(raw, "excludable", where)
        children = self.children(raw, code, level, where, inherited if excludable is None else excludable)
        if children:
            node = self.parent_node(raw, code, name, provenance, level, children, where)
            self.check_excludable(node, excludable, where)
        else:
            node = self.leaf_node(raw, code, name, provenance, level, where)
            node = replace(node, excludable=bool(inherited if excludable is None else excludable))
        return replace(node, aliases=self.aliases(raw, where))

    def check_parent(self, code: str, parent: str | None, where: str) -> None:
        if parent is None:
            return
        if not code.startswith(parent + ".") or code.count(".") != parent.count(".") + 1:
            self.problem(where, f"上级不正确：它位于 {parent} 之下，代码应为 {parent}.<下一段>")

    def children(self, raw: dict, code: str, level: int, where: str, inherited: bool | None) -> tuple[Node, ...]:
        kids = raw.get("children") or []
        if not isinstance(kids, list):
            self.problem(where, "children 必须是列表")
            return ()
        if kids and level >= MAX_DEPTH:
            self.problem(where, f"层级过深（最多 {MAX_DEPTH} 层）")
            return ()
        return tuple(n for n in (self.node(k, code, level + 1, i, inherited) for i, k in enumerate(kids)) if n)

    def check_excludable(self, node: Node, declared: bool | None, where: str) -> None:
        """`excludable` given on a parent holds for every clause below it (5.1 never); a clause that says
        otherwise is a mistake in the file."""
        odd = next((leaf for leaf in node.leaves() if leaf.excludable != declared), None)
        if declared is not None and odd is not None:
            said = "可删减（excludable: true）" if declared else "不可删减（excludable: false）"
            self.problem(where, f"标为{said}，但其下条款 {odd.code} 与此不同")

    def aliases(self, raw: dict, where: str) -> tuple[str, ...]:
        value = raw.get("aliases") or []
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            self.problem(where, "aliases 必须是非空文字组成的列表")
            return ()
        return tuple(dict.fromkeys(" ".join(a.split()) for a in value))

    def check_aliases(self, tops: tuple[Node, ...]) -> None:
        """An alias names one node: it may not be another node's name or alias."""
        nodes = [n for top in tops for n in top.walk()]
        owners: dict[str, set[str]] = {}
        for node in nodes:
            for word in {node.name, *node.aliases}:
                owners.setdefault(word, set()).add(node.code)
        for node in nodes:
            for alias in node.aliases:
                others = sorted(owners[alias] - {node.code})
                if others:
                    self.problem(f"节点 {node.code}", f"别名 “{alias}” 已是节点 {others[0]} 的名称或别名")

    def flag(self, raw: dict, key: str, where: str) -> bool | None:
        value = raw.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(where, f"{key} 必须是 true 或 false")
            return None
        return value

    def parent_node(self, raw, code, name, provenance, level, children, where) -> Node:
        total = Points(sum((c.points for c in children), Fraction(0)))
        for key in ("requirement", "evidence", "sampled"):
            if key in raw:
                self.problem(where, f"“{key}” 只能用于评分条款（没有下级的节点）")
        if "points" in raw:
            given = self.points(raw["points"], where, "points")
            if given is not None and given != total:
                self.problem(where, f"分值合计不符：下级分值之和为 {points_text(total)}，"
                                    f"本节点声明为 {points_text(given)}")
        return Node(code=code, name=name or "", provenance=provenance, points=total, level=level,
                    name_en=self.text(raw, "name_en", where) or "", children=children,
                    excludable=all(leaf.excludable for c in children for leaf in c.leaves()))

    def leaf_node(self, raw, code, name, provenance, level, where) -> Node:
        points = self.points(raw.get("points"), where, "points") if "points" in raw else None
        if points is None and "points" not in raw:
            self.problem(where, "评分条款缺少分值 points")
        sampled = bool(self.flag(raw, "sampled", where))
        evidence = raw.get("evidence") or []
        if not isinstance(evidence, list) or not all(isinstance(e, str) and e.strip() for e in evidence):
            self.problem(where, "evidence 必须是非空文字组成的列表")
            evidence = []
        return Node(code=code, name=name or "", provenance=provenance, points=points or Points(0),
                    level=level, name_en=self.text(raw, "name_en", where) or "",
                    requirement=self.text(raw, "requirement", where, required=True) or "",
                    requirement_en=self.text(raw, "requirement_en", where) or "",
                    evidence=tuple(e.strip() for e in evidence), sampled=sampled)

    def text(self, raw: dict, key: str, where: str, *, required=False, coerce=False) -> str | None:
        value = raw.get(key)
        if coerce and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, f"缺少 {key}")
            return None
        if not isinstance(value, str):
            self.problem(where, f"{key} 必须是文字")
            return None
        limit = TEXT_LIMITS.get(key, 200)
        if len(value) > limit:
            self.problem(where, f"{key} 过长（{len(value)} 字，上限 {limit}）")
            return None
        return value.strip()

    def points(self, value: object, where: str, key: str) -> Points | None:
        """A positive number up to 10000, exactly: 2.5 from its text, not its binary float; 7/3 as a fraction."""
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(where, f"{key} 必须是正数")
            return None
        try:
            number = Points(str(value).strip())
        except (ValueError, ZeroDivisionError):
            self.problem(where, f"{key} 必须是正数（可写作分数，如 7/3），而不是 “{value}”")
            return None
        if number <= 0 or number > 10_000:
            self.problem(where, f"{key} 必须是大于 0 且不超过 10000 的数，而不是 {value}")
            return None
        return number

    def provenance(self, value: object, where: str) -> Provenance:
        try:
            return Provenance(value)
        except ValueError:
            allowed = " / ".join(p.value for p in Provenance)
            self.problem(where, f"provenance 必须是 {allowed}，而不是 “{value}”")
            return Provenance.INFERRED
