"""A snapshot turned into the plain values a report prints: cover, summary, score table, findings, lists.

Pure: no database, no python-docx. A bare assessment JSON works too; what it lacks prints as blank.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from criteria.model import PROVENANCE_LABELS, Tree
from exports.sample_text import sample_rows, target_rows, unsupported_lines
from exports.sampling_text import planned_rows, sampling_rationale, visited_rows
from exports.wording import Readiness, Wording, overall_readiness, predicted_text, readiness, wording
from scoring.assessment import parse_assessment
from scoring.engine import ClauseScore, ScoreResult, score
from scoring.next_star import path_to_next_star
from scoring.stars import DECISION_LABELS, STAR_LABELS
from vocabulary import (
    CLAUSE_STATUS_LABELS,
    DEDUCTION_LABELS,
    KIND_LABELS,
    NC_STATE_LABELS,
    SEVERITY_LABELS,
    SITE_LABELS,
    TEAM_ROLE_LABELS,
    ClauseStatus,
    EngagementKind,
    Severity,
)

DEFAULT_ZONE = "Asia/Shanghai"  # the product's default setting; callers pass the configured one
# How a closing step was verified (nonconformities.workflow.Verification, which exports may not import).
VERIFICATION_LABELS = {"on_site": "现场验证", "documents": "文件验证"}


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
    wording: Wording = field(default_factory=lambda: wording(None))
    readiness: list[Readiness] = field(default_factory=list)
    next_star: str = ""                                       # the target of the path to the next star
    fix_first: list[tuple[str, str, str, str]] = field(default_factory=list)  # code, name, now, score +
    extras: dict = field(default_factory=dict)  # beyond the snapshot: plan, visits, recommendation, cycle (issuance)
    sampling: str = ""                                        # the sampling plan's rationale (exports/sampling_text.py)
    planned_sites: list[tuple[str, str, str, str]] = field(default_factory=list)  # site, kind, how, reason
    sites_visited: list[tuple[str, str, str]] = field(default_factory=list)       # site, date, team member
    samples: list[list[str]] = field(default_factory=list)      # the registers' samples (exports/sample_text.py)
    targets: list[list[str]] = field(default_factory=list)      # service targets: clause, target, measured, state
    target_gaps: list[str] = field(default_factory=list)        # targets the records do not yet support


def build_report_context(snapshot: dict, tree: Tree, *, zone: str = DEFAULT_ZONE) -> ReportContext:
    """Times in a snapshot are UTC; every date printed from one is the day in `zone` (the configured time zone),
    so a document says what the app showed."""
    local = ZoneInfo(zone)
    result = score(tree, parse_assessment(snapshot, tree),
                   first_certification=snapshot.get("engagement", {}).get("kind") == EngagementKind.INITIAL)
    engagement = snapshot.get("engagement") or {}
    words = wording(engagement.get("kind"))
    ratings = {r["code"]: r for r in snapshot.get("ratings", [])}
    excluded = {e["code"]: e["reason"] for e in snapshot.get("exclusions", [])}
    names = {e["sha256"]: e["name"] for e in snapshot.get("evidence", []) + snapshot.get("removed_evidence", [])}
    return ReportContext(
        report_number=f"GBT27922-{engagement.get('id', 0):05d}" if engagement.get("id") else "",
        company=snapshot.get("company") or {}, engagement=engagement,
        kind=KIND_LABELS.get(engagement.get("kind"), ""),
        period=" 至 ".join(d for d in (engagement.get("start_date"), engagement.get("end_date")) if d),
        team=[(m["name"], TEAM_ROLE_LABELS.get(m["role"], m["role"])) for m in snapshot.get("team", [])],
        sites=[(s["name"], SITE_LABELS.get(s["kind"], s["kind"]) + ("（委托）" if s.get("contracted") else ""),
                s.get("address", "")) for s in snapshot.get("sites", [])],
        tree_title=f"{tree.title}（{tree.ref}）", result=result, score=f"{result.score:.2f}",
        star=predicted_text(result) if words.gap else STAR_LABELS[result.star],
        decision=overall_readiness(result) if words.gap else DECISION_LABELS[result.decision],
        rows=_rows(tree, result),
        exclusions=[(c, tree.node(c).name if tree.node(c) else "", r) for c, r in excluded.items()],
        findings=[(leaf.code, leaf.name, result_label(result.clauses[leaf.code]),
                   ratings[leaf.code].get("finding", "")) for leaf in tree.leaves()
                  if leaf.code in ratings and ratings[leaf.code].get("finding")],
        deductions=[(DEDUCTION_LABELS.get(d.get("category"), ""), d.get("code") or "", d["reason"])
                    for d in snapshot.get("special_deductions", [])],
        bonus=[(b.get("code") or "", b["reason"]) for b in snapshot.get("special_bonus", [])],
        nonconformities=[_nc(nc, local, names) for nc in snapshot.get("nonconformities", [])],
        evidence=[(e["name"], "、".join(e.get("codes", [])), e.get("uploaded_by", ""), e["sha256"])
                  for e in snapshot.get("evidence", [])],
        first_level=[(f"{s.code} {s.name}", float(s.earned), float(s.applicable)) for s in result.subtotals_at(1)],
        second_level=[(f"{s.code} {s.name}", float(s.earned), float(s.applicable)) for s in result.subtotals_at(2)],
        wording=words, readiness=readiness(result), **_path(tree, result),
        sampling=sampling_rationale(snapshot.get("sampling")), planned_sites=planned_rows(snapshot.get("sampling")),
        sites_visited=visited_rows(snapshot.get("site_visits")),
        samples=sample_rows(snapshot), targets=target_rows(snapshot), target_gaps=unsupported_lines(snapshot),
    )


def _path(tree: Tree, result: ScoreResult) -> dict:
    """The path to the next star: the clauses to fix first, largest gain first."""
    path = path_to_next_star(result)
    if path.target is None:
        return {"next_star": "已达最高星级" if result.applicable_points else "", "fix_first": []}
    target = f"{STAR_LABELS[path.target]}（≥ {path.threshold} 分）"
    if not path.reachable:
        return {"next_star": f"{target}：特别扣分项使其无法达到", "fix_first": []}
    return {"next_star": target, "fix_first": [
        (s.code, tree.node(s.code).name, CLAUSE_STATUS_LABELS[s.status], f"+{float(s.adds_score):.2f}")
        for s in path.steps]}


def _rows(tree: Tree, result: ScoreResult) -> list[ScoreRow]:
    subtotals = {s.code: s for s in result.subtotals}
    rows = []
    for node in tree.walk():
        if node.is_leaf:
            clause = result.clauses[node.code]
            rows.append(ScoreRow(node.level, node.code, node.name, float(clause.points),
                                 float(clause.points) if clause.applicable else 0.0, float(clause.earned),
                                 result_label(clause), PROVENANCE_LABELS[node.provenance]))
        else:
            s = subtotals[node.code]
            rows.append(ScoreRow(node.level, node.code, node.name, float(s.points), float(s.applicable),
                                 float(s.earned)))
    return rows


def result_label(clause: ClauseScore) -> str:
    """A sampled clause says how many samples failed out of how many were taken; the others their status."""
    if clause.status == ClauseStatus.SAMPLED:
        return f"不符合 {clause.nonconforming} / 抽样 {clause.sampled}"
    return CLAUSE_STATUS_LABELS[clause.status]


def local_day(moment: str | None, zone: ZoneInfo) -> str:
    """The day of a snapshot time in `zone`; a time without an offset is UTC, as snapshots write them. A bare date
    is a day already, and text that is not a time prints as it is rather than vanish."""
    if not isinstance(moment, str) or len(moment) <= 10:
        return moment if isinstance(moment, str) else ""
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(zone).strftime("%Y-%m-%d")


def _nc(nc: dict, zone: ZoneInfo, names: dict[str, str]) -> dict:
    history = nc.get("history") or []
    answer = next((h.get("details") or {} for h in reversed(history) if h.get("event") == "submit"), {})
    closing = next((h for h in reversed(history) if h.get("event") == "close"), {})
    return {"number": f"NC-{nc.get('number', 0):02d}", "code": nc.get("code") or "特别扣分项",
            "severity": SEVERITY_LABELS.get(nc.get("severity"), ""), "status": NC_STATE_LABELS.get(nc.get("status"), ""),
            "observation": nc.get("severity") == Severity.OBSERVATION,
            "finding": nc.get("finding", ""), "requirement": nc.get("requirement", ""),
            "due_date": nc.get("due_date") or "", "history": history, "answer": answer,
            "raised_by": nc.get("raised_by") or "", "raised_day": local_day(nc.get("raised_at"), zone),
            "site": nc.get("site") or "", "evidence_seen": nc.get("evidence_seen") or "",
            "acknowledgement": {"by": nc.get("acknowledged_by") or "", "day": nc.get("acknowledged_on") or "",
                                "note": nc.get("acknowledgement_note") or "",
                                "entered_by": nc.get("acknowledgement_entered_by") or ""},
            "planned_completion": nc.get("planned_completion") or "",
            "source": "特别扣分项" if nc.get("special_item") or not nc.get("code") else "GB/T 27922-2011 及企业服务规范",
            "rectification_evidence": [(names.get(e.get("sha256"), ""), e.get("sha256", ""))
                                       for e in answer.get("evidence", [])],
            "verification": {"method": VERIFICATION_LABELS.get((closing.get("details") or {}).get("verification"), ""),
                             "comment": closing.get("comment") or "", "by": closing.get("by") or "",
                             "day": local_day(closing.get("at"), zone)}}
