"""A snapshot turned into the plain values a report prints: cover, summary, score table, findings, lists.

Pure: no database, no python-docx. A bare assessment JSON works too; what it lacks prints as blank.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from criteria.model import PROVENANCE_LABELS, Tree
from scoring.assessment import parse_assessment
from scoring.engine import ScoreResult, score
from scoring.stars import DECISION_LABELS, STAR_LABELS
from vocabulary import (
    CLAUSE_STATUS_LABELS,
    DEDUCTION_LABELS,
    KIND_LABELS,
    NC_STATE_LABELS,
    SEVERITY_LABELS,
    SITE_LABELS,
    TEAM_ROLE_LABELS,
    EngagementKind,
    Severity,
)


@dataclass(frozen=True)
class ScoreRow:
    level: int
    code: str
    name: str
    points: float
    applicable: float
    earned: float
    result: str = ""
    provenance: str = ""


@dataclass
class ReportContext:
    report_number: str
    company: dict
    engagement: dict
    kind: str
    period: str
    team: list[tuple[str, str]]
    sites: list[tuple[str, str, str]]
    tree_title: str
    result: ScoreResult
    score: str
    star: str
    decision: str
    rows: list[ScoreRow]
    exclusions: list[tuple[str, str, str]]
    findings: list[tuple[str, str, str, str]]
    deductions: list[tuple[str, str, str]]
    bonus: list[tuple[str, str]]
    nonconformities: list[dict]
    evidence: list[tuple[str, str, str, str]]
    first_level: list[tuple[str, float, float]] = field(default_factory=list)
    second_level: list[tuple[str, float, float]] = field(default_factory=list)


def build_report_context(snapshot: dict, tree: Tree) -> ReportContext:
    result = score(tree, parse_assessment(snapshot, tree),
                   first_certification=snapshot.get("engagement", {}).get("kind") == EngagementKind.INITIAL)
    engagement = snapshot.get("engagement") or {}
    ratings = {r["code"]: r for r in snapshot.get("ratings", [])}
    excluded = {e["code"]: e["reason"] for e in snapshot.get("exclusions", [])}
    return ReportContext(
        report_number=f"GBT27922-{engagement.get('id', 0):05d}" if engagement.get("id") else "",
        company=snapshot.get("company") or {}, engagement=engagement,
        kind=KIND_LABELS.get(engagement.get("kind"), ""),
        period=" 至 ".join(d for d in (engagement.get("start_date"), engagement.get("end_date")) if d),
        team=[(m["name"], TEAM_ROLE_LABELS.get(m["role"], m["role"])) for m in snapshot.get("team", [])],
        sites=[(s["name"], SITE_LABELS.get(s["kind"], s["kind"]) + ("（委托）" if s.get("contracted") else ""),
                s.get("address", "")) for s in snapshot.get("sites", [])],
        tree_title=f"{tree.title}（{tree.ref}）", result=result, score=f"{result.score:.2f}",
        star=STAR_LABELS[result.star], decision=DECISION_LABELS[result.decision],
        rows=_rows(tree, result),
        exclusions=[(c, tree.node(c).name if tree.node(c) else "", r) for c, r in excluded.items()],
        findings=[(leaf.code, leaf.name, CLAUSE_STATUS_LABELS[result.clauses[leaf.code].status],
                   ratings[leaf.code].get("finding", "")) for leaf in tree.leaves()
                  if leaf.code in ratings and ratings[leaf.code].get("finding")],
        deductions=[(DEDUCTION_LABELS.get(d.get("category"), ""), d.get("code") or "", d["reason"])
                    for d in snapshot.get("special_deductions", [])],
        bonus=[(b.get("code") or "", b["reason"]) for b in snapshot.get("special_bonus", [])],
        nonconformities=[_nc(nc) for nc in snapshot.get("nonconformities", [])],
        evidence=[(e["name"], "、".join(e.get("codes", [])), e.get("uploaded_by", ""), e["sha256"])
                  for e in snapshot.get("evidence", [])],
        first_level=[(f"{s.code} {s.name}", float(s.earned), float(s.applicable)) for s in result.subtotals_at(1)],
        second_level=[(f"{s.code} {s.name}", float(s.earned), float(s.applicable)) for s in result.subtotals_at(2)],
    )


def _rows(tree: Tree, result: ScoreResult) -> list[ScoreRow]:
    subtotals = {s.code: s for s in result.subtotals}
    rows = []
    for node in tree.walk():
        if node.is_leaf:
            clause = result.clauses[node.code]
            rows.append(ScoreRow(node.level, node.code, node.name, float(clause.points),
                                 float(clause.points) if clause.applicable else 0.0, float(clause.earned),
                                 CLAUSE_STATUS_LABELS[clause.status], PROVENANCE_LABELS[node.provenance]))
        else:
            s = subtotals[node.code]
            rows.append(ScoreRow(node.level, node.code, node.name, float(s.points), float(s.applicable),
                                 float(s.earned)))
    return rows


def _nc(nc: dict) -> dict:
    return {"number": f"NC-{nc.get('number', 0):02d}", "code": nc.get("code") or "特别扣分项",
            "severity": SEVERITY_LABELS.get(nc.get("severity"), ""), "status": NC_STATE_LABELS.get(nc.get("status"), ""),
            "observation": nc.get("severity") == Severity.OBSERVATION,
            "finding": nc.get("finding", ""), "requirement": nc.get("requirement", ""),
            "due_date": nc.get("due_date") or "", "history": nc.get("history", [])}
