"""The indicator tree as immutable values: nodes, leaves (scored clauses) and the tree itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Provenance(StrEnum):
    """How sure we are that a node is the standard's own content."""

    VERIFIED = "verified"
    PARAPHRASE = "paraphrase"
    INFERRED = "inferred"


PROVENANCE_LABELS = {
    Provenance.VERIFIED: "已核实（标准原文）",
    Provenance.PARAPHRASE: "转述（二手资料）",
    Provenance.INFERRED: "本产品拟定（非标准原文）",
}


@dataclass(frozen=True)
class Node:
    """An indicator; a node without children is a scored clause (leaf) and carries its own points.

    A parent's `points` is the sum of its leaves' points.
    """

    code: str
    name: str
    provenance: Provenance
    points: Decimal
    level: int
    name_en: str = ""
    requirement: str = ""
    requirement_en: str = ""
    evidence: tuple[str, ...] = ()
    sampled: bool = False
    children: tuple[Node, ...] = ()

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
    declared_total: Decimal | None = None
    source: str = ""
    _index: dict[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._index.update({n.code: n for n in self.walk()})

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def total_points(self) -> Decimal:
        return sum((n.points for n in self.indicators), Decimal(0))

    def walk(self):
        for top in self.indicators:
            yield from top.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def node(self, code: str) -> Node | None:
        return self._index.get(code)

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
            "indicators": [node_to_dict(n) for n in self.indicators],
        }


def number(value: Decimal) -> int | float:
    """A Decimal as the plainest JSON number (2.5 stays 2.5, 100.0 becomes 100)."""
    return int(value) if value == value.to_integral_value() else float(value)


def node_to_dict(node: Node) -> dict:
    out = {
        "code": node.code,
        "name": node.name,
        "name_en": node.name_en,
        "level": node.level,
        "provenance": str(node.provenance),
        "points": number(node.points),
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
