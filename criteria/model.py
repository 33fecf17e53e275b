"""The indicator tree as immutable values: nodes, leaves (scored clauses) and the tree with its scheme."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from criteria.scheme import DEFAULT_SCHEME, Scheme


class Provenance(StrEnum):
    """How sure we are that a node is the standard's own content."""

    VERIFIED = "verified"
    PARAPHRASE = "paraphrase"
    INFERRED = "inferred"
    NUMBER_INFERRED = "number_inferred"  # the name and its place are the standard's, the number is ours


PROVENANCE_LABELS = {
    Provenance.VERIFIED: "已核实（标准原文）",
    Provenance.PARAPHRASE: "转述（二手资料）",
    Provenance.INFERRED: "本产品拟定（非标准原文）",
    Provenance.NUMBER_INFERRED: "名称已核实，编号为推断",
}


class Points(Fraction):
    """Points are exact fractions (35/15 stays 7/3, so shares add up to their total to the last digit); a format
    spec such as `:g` formats the float, so text that formats points keeps working."""

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(float(self), spec)


def points_text(value: Fraction | Decimal) -> str:
    """Points as people read them: 5, 2.1875, or ≈2.33 when the exact value has no short decimal form."""
    exact = Fraction(value)
    shown = f"{float(exact):.4f}".rstrip("0").rstrip(".")
    return shown if Fraction(shown) == exact else f"≈{float(exact):.2f}"


@dataclass(frozen=True)
class Node:
    """An indicator; a node without children is a scored clause (leaf) and carries its own points.

    A parent's `points` is the sum of its leaves' points.
    """

    code: str
    name: str
    provenance: Provenance
    points: Points
    level: int
    name_en: str = ""
    requirement: str = ""
    requirement_en: str = ""
    evidence: tuple[str, ...] = ()
    sampled: bool = False
    children: tuple[Node, ...] = ()
    excludable: bool = False  # a parent is excludable when every clause below it is
    aliases: tuple[str, ...] = ()  # other names the node goes by in published material

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self):
        """This node and every node below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]


@dataclass(frozen=True)
class Tree:
    """A whole indicator tree, identified by a stable id and a version (ratings keep `ref`)."""

    id: str
    version: str
    title: str
    indicators: tuple[Node, ...]
    title_en: str = ""
    standard: str = ""
    declared_total: Fraction | None = None
    source: str = ""
    scheme: Scheme = DEFAULT_SCHEME
    _index: dict[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._index.update({n.code: n for n in self.walk()})

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def total_points(self) -> Points:
        return Points(sum((n.points for n in self.indicators), Fraction(0)))

    def walk(self):
        for top in self.indicators:
            yield from top.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def node(self, code: str) -> Node | None:
        return self._index.get(code)

    def find(self, text: str) -> Node | None:
        """The node a user's words name: its code, its name, its English name or one of its aliases
        (组织结构 finds 5.1.1 组织架构); also "code name" as lists print it. The first in tree order wins."""
        words = " ".join(text.split())
        if not words:
            return None
        code, _, rest = words.partition(" ")
        if self.node(code) is not None and (not rest or rest in _names(self.node(code))):
            return self.node(code)
        return next((n for n in self.walk() if words in _names(n) or words.casefold() == n.name_en.casefold()), None)

    def ancestors(self, code: str) -> list[Node]:
        """The nodes above `code`, first-level first (codes nest: 5.1 > 5.1.1 > 5.1.1.1)."""
        parts = code.split(".")
        found = (self._index.get(".".join(parts[:i])) for i in range(1, len(parts)))
        return [n for n in found if n is not None]

    def first_level_of(self, code: str) -> Node | None:
        chain = self.ancestors(code)
        return chain[0] if chain else self.node(code)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "standard": self.standard,
            "total_points": number(self.total_points),
            "scheme": self.scheme.to_dict(),
            "indicators": [node_to_dict(n) for n in self.indicators],
        }


def _names(node: Node) -> tuple[str, ...]:
    return (node.name, *node.aliases)


def number(value: Decimal | Fraction) -> int | float:
    """Points as the plainest JSON number (2.5 stays 2.5, 100.0 becomes 100, 7/3 becomes 2.333...)."""
    return int(value) if value == int(value) else float(value)


def node_to_dict(node: Node) -> dict:
    out = {
        "code": node.code,
        "name": node.name,
        "name_en": node.name_en,
        "level": node.level,
        "provenance": str(node.provenance),
        "points": number(node.points),
        "points_exact": str(Fraction(node.points)),
        "excludable": node.excludable,
        "aliases": list(node.aliases),
    }
    if node.is_leaf:
        out |= {
            "requirement": node.requirement,
            "requirement_en": node.requirement_en,
            "evidence": list(node.evidence),
            "sampled": node.sampled,
        }
    out["children"] = [node_to_dict(c) for c in node.children]
    return out
