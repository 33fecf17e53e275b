"""What may leave the totals: exclusions (删减) and clauses not covered in a surveillance visit (本次未抽查).

Rules (domain brief A3.3 and A3.4):
- only a clause the tree marks `excludable` may be excluded; excluding an indicator excludes every clause below
  it and needs all of them excludable;
- the points excluded may reach, not pass, the scheme's cap (default 25% of the tree's points);
- a clause may be left "not covered" only in a surveillance engagement; it needs no reason and never counts as
  an exclusion (so not towards the cap).
Each refusal names the clause in Chinese. Pure: the tree, codes and the engagement kind in, a message out.
"""
from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from criteria.model import Node, Tree, points_text
from vocabulary import KIND_LABELS, EngagementKind


def leaves_below(tree: Tree, code: str) -> set[str]:
    """The clauses a code stands for: itself for a clause, every clause below it for an indicator."""
    node = tree.node(code)
    return {leaf.code for leaf in node.leaves()} if node else set()


def exclusion_problem(node: Node, *, named: bool = True) -> str | None:
    """Why `node` may not be excluded, naming the clause that stops it; None when it may. `named=False` leaves
    the clause's code out for a caller that already puts it in front (an entry's messages)."""
    if node.excludable:
        return None
    if node.is_leaf:
        who = f"条款 {node.code} {node.name}" if named else node.name
        return f"{who} 不可删减：只有评分表标为可删减的条款才能删减，其余条款必须评价"
    kept = next(leaf for leaf in node.leaves() if not leaf.excludable)
    return f"指标 {node.code} {node.name} 不能整体删减：其下条款 {kept.code} {kept.name} 不可删减"


def exclusion_cap_problem(tree: Tree, codes: Iterable[str]) -> str | None:
    """Why these exclusions (clause or indicator codes, in the order made) pass the scheme's cap, naming the
    one that passes it; None within the cap."""
    cap = tree.scheme.exclusion_cap(tree.total_points)
    excluded: set[str] = set()
    for code in codes:
        excluded |= leaves_below(tree, code)
        total = sum((Fraction(tree.node(c).points) for c in excluded), Fraction(0))
        if total > cap:
            share = f"{float(tree.scheme.exclusion_cap_percent):g}%"
            return (f"删减 {code} 后删减分值合计 {points_text(total)} 分，超过上限 {points_text(cap)} 分"
                    f"（总分 {points_text(tree.total_points)} 分的 {share}）")
    return None


def not_covered_problem(kind: str | None) -> str | None:
    """Why a clause may not be left 本次未抽查 in an engagement of `kind`; None in a surveillance one."""
    if kind == EngagementKind.SURVEILLANCE:
        return None
    surveillance = KIND_LABELS[EngagementKind.SURVEILLANCE]
    where = f"{KIND_LABELS[EngagementKind(kind)]}中" if kind in KIND_LABELS else "不是监督评价时"
    return f"本次未抽查只用于{surveillance}；{where}每个适用条款都要评价"
