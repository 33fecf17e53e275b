"""Restoring a backup, first half: the snapshot checked piece by piece by the rules the services apply, into
rows not yet written (a Plan).

The company passes `validated(CompanyBase, …)` and the credit-code check; sites `SiteBase`; the engagement
`EngagementBase` with its kind and status from the vocabulary; team members `validated_member`; each clause
`checked_entry`, and the whole `assessment_from_entries`; special items, nonconformities and evidence the
rules of their services (restore_records.py). History is taken as it is, but never without its time. Nothing
here writes: a refusal leaves the database as it was.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from sqlmodel import Session, select

from audits.companies import FIELD_LABELS, validated
from audits.credit_code import credit_code_problem
from audits.engagements import validated_member
from criteria.model import Node, Tree
from dossier.restore_fields import count, damaged, day, items, member, moment, refused, text
from dossier.restore_records import (
    EvidencePlan,
    NcPlan,
    checked_evidence,
    checked_nonconformities,
    checked_specials,
)
from errors import AssessmentInvalid, InvalidInput
from records.models import (
    ClauseRating,
    Company,
    CompanyBase,
    EngagementBase,
    RatingChange,
    Site,
    SiteBase,
    SpecialItem,
    TeamMember,
)
from scoring.assessment import RatingEntry, assessment_from_entries, checked_entry
from scoring.assessment import SpecialItem as ScoredItem
from vocabulary import RATED, ClauseStatus, EngagementKind, EngagementStatus, Limit, SiteKind, SpecialKind, label

UNLIMITED = sys.maxsize  # the check that follows (checked_entry) states the limit in its own words
COMPANY_FIELDS = ("name", "credit_code", "address", "industry", "scope", "contact")


@dataclass
class Plan:
    """Everything a backup restores, checked; rows carry no engagement, company or other ids yet."""

    company: CompanyBase
    existing_company: Company | None
    new_sites: list[SiteBase]
    engagement: EngagementBase
    engagement_fields: dict        # status, created_by, created_at
    original_id: int | None
    team: list[TeamMember]
    clauses: list[ClauseRating]
    history: list[RatingChange]
    specials: list[tuple[str, SpecialItem]]
    evidence: list[EvidencePlan]
    nonconformities: list[NcPlan]


def checked_plan(session: Session, snap: dict, tree: Tree) -> Plan:
    company, existing = _company(session, snap.get("company"))
    known = list(session.exec(select(Site).where(Site.company_id == existing.id))) if existing else []
    new_sites = _sites(snap, {s.name for s in known})
    site_names = {s.name for s in known} | {s.name for s in new_sites}
    engagement, fields = _engagement(snap.get("engagement"), tree)
    history = _history(snap)
    clauses = _clauses(snap, tree, history, engagement.kind)
    specials = checked_specials(snap, tree)
    _check_assessment(clauses, specials, tree, engagement.kind)
    evidence = checked_evidence(snap, tree, site_names)
    refs = {plan.ref for plan in evidence}
    deductions = {key for key, item in specials if item.kind == SpecialKind.DEDUCTION}
    return Plan(company, existing, new_sites, engagement, fields, (snap.get("engagement") or {}).get("id"),
                _team(session, snap), clauses, history, specials, evidence,
                checked_nonconformities(snap, tree, deductions, site_names, refs))


def _company(session: Session, raw: object) -> tuple[CompanyBase, Company | None]:
    if not isinstance(raw, dict):
        raise refused("企业", "备份中没有企业信息")
    fields = {k: text(raw, k, "企业", FIELD_LABELS[k], UNLIMITED) for k in COMPANY_FIELDS}
    fields["credit_code"] = fields["credit_code"].upper()
    where = f"企业“{fields['name'] or '（未命名）'}”"
    if not fields["credit_code"]:
        raise refused(where, "没有统一社会信用代码；请先在原系统中为企业登记有效的代码，再重新备份")
    try:
        base = validated(CompanyBase, fields)
    except InvalidInput as exc:
        raise refused(where, exc.message) from None
    problem = credit_code_problem(base.credit_code)
    if problem:
        raise refused(where, problem)
    return base, session.exec(select(Company).where(Company.credit_code == base.credit_code)).first()


def _sites(snap: dict, known: set[str]) -> list[SiteBase]:
    """The snapshot's sites the company does not have yet (by name)."""
    new = []
    for i, raw in enumerate(items(snap, "sites", "场所"), 1):
        where = f"第 {i} 个场所“{raw.get('name')}”"
        kind = member(SiteKind, raw, "kind", where, "场所类型")
        try:
            base = validated(SiteBase, {"name": text(raw, "name", where, "场所名称", UNLIMITED), "kind": kind,
                                        "address": text(raw, "address", where, "地址", UNLIMITED),
                                        "contracted": raw.get("contracted") or False})
        except InvalidInput as exc:
            raise refused(where, exc.message) from None
        if base.name not in known:
            new.append(base)
    return new


def _engagement(raw: object, tree: Tree) -> tuple[EngagementBase, dict]:
    if not isinstance(raw, dict):
        raise refused("评价项目", "备份中没有评价项目信息")
    where = f"评价项目“{raw.get('title')}”"
    kind = member(EngagementKind, raw, "kind", where, "评价类型")
    fields = {"status": member(EngagementStatus, raw, "status", where, "项目状态"),
              "created_by": text(raw, "created_by", where, "创建人", 100, clean=False),
              "created_at": moment(raw, "created_at", f"{where}的创建")}
    try:
        base = validated(EngagementBase, {"company_id": 0, "kind": kind, "tree_ref": tree.ref,
                                          "title": text(raw, "title", where, "标题", Limit.NAME),
                                          "start_date": day(raw, "start_date", where, "开始日期"),
                                          "end_date": day(raw, "end_date", where, "结束日期")})
    except InvalidInput as exc:
        raise refused(where, exc.message) from None
    if base.start_date and base.end_date and base.end_date < base.start_date:
        raise refused(where, "结束日期不能早于开始日期")
    return base, fields


def _team(session: Session, snap: dict) -> list[TeamMember]:
    """Members come back by name: accounts differ between installations."""
    team = []
    for i, raw in enumerate(items(snap, "team", "评价组"), 1):
        name = text(raw, "name", f"评价组第 {i} 位成员", "姓名", UNLIMITED)
        try:
            member_ = validated_member(session, {"name": name, "role": raw.get("role")})
        except InvalidInput as exc:
            raise InvalidInput(f"备份未恢复：{exc.message}") from None
        team.append(TeamMember(name=member_["name"], role=member_["role"]))
    return team


def _entries(snap: dict, tree: Tree) -> dict[str, tuple[RatingEntry, dict, Node]]:
    """What the snapshot says of each clause: rated, excluded or not covered (an indicator stands for its
    clauses), or unrated."""
    found: dict[str, tuple[RatingEntry, dict, Node]] = {}
    sections = (("ratings", "条评分", None), ("exclusions", "项删减", ClauseStatus.EXCLUDED),
                ("not_covered", "项本次未抽查", ClauseStatus.NOT_COVERED), ("unrated", "个未评分条款", ClauseStatus.UNRATED))
    for key, what, status in sections:
        for i, raw in enumerate(items(snap, key, what), 1):
            where = f"第 {i} {what}"
            node = _node(raw, where, tree)
            finding = text(raw, "finding", where, "审核发现", UNLIMITED)
            if status is None:
                result = raw.get("result")
                if result not in set(RATED):
                    raise refused(f"条款 {node.code}", f"评价结果只能是 {'、'.join(map(label, RATED))} 之一")
                entry = RatingEntry(result, raw.get("sampled", 0), raw.get("nonconforming"), "", finding)
            elif status == ClauseStatus.EXCLUDED:
                entry = RatingEntry(status, reason=text(raw, "reason", where, "删减理由", UNLIMITED), finding=finding)
            else:
                entry = RatingEntry(status, finding=finding)
            for leaf in (node.leaves() if status in (ClauseStatus.EXCLUDED, ClauseStatus.NOT_COVERED) else [node]):
                if leaf.code in found:
                    raise refused(f"条款 {leaf.code}", "在备份中出现了不止一次（评分、删减、本次未抽查、未评分只能其一）")
                found[leaf.code] = (entry, raw, leaf)
    return found


def _node(raw: dict, where: str, tree: Tree) -> Node:
    code = raw.get("code")
    node = tree.node(code) if isinstance(code, str) else None
    if node is None:
        raise refused(where, f"未知的条款代码“{code}”（指标树 {tree.ref} 中没有）")
    return node


def _clauses(snap: dict, tree: Tree, history: list[RatingChange], kind: str) -> list[ClauseRating]:
    """One row per clause of the tree, each entry checked as the form checks it; versions count the history."""
    found = _entries(snap, tree)
    versions: dict[str, int] = {}
    for change in history:
        versions[change.code] = max(versions.get(change.code, 0), change.version)
    rows = []
    for leaf in tree.leaves():
        entry, raw, _ = found.get(leaf.code, (RatingEntry(ClauseStatus.UNRATED), {}, leaf))
        try:
            entry = checked_entry(entry, leaf, kind=kind)
        except AssessmentInvalid as exc:
            raise InvalidInput(f"备份未恢复：{exc.message}") from None
        where = f"条款 {leaf.code} 的评分"
        rows.append(ClauseRating(code=leaf.code, status=entry.status, sampled=entry.sampled,
                                 nonconforming=entry.nonconforming, exclusion_reason=entry.reason,
                                 finding=entry.finding, version=versions.get(leaf.code, 0),
                                 updated_by=text(raw, "rated_by", where, "评分人", 100, clean=False),
                                 updated_at=moment(raw, "rated_at", where, required=False)))
    stray = sorted(set(found) - {leaf.code for leaf in tree.leaves()})
    if stray:
        raise refused(f"条款 {stray[0]}", "是指标而不是评分条款，请对其下的条款逐条评分")
    return rows


def _check_assessment(clauses: list[ClauseRating], specials: list[tuple[str, SpecialItem]], tree: Tree,
                      kind: str) -> None:
    """The rules that span items (one bonus at most, exclusions within the cap), as for any assessment."""
    active = [item for _, item in specials if item.withdrawn_at is None]
    entries = {c.code: RatingEntry(c.status, c.sampled, c.nonconforming, c.exclusion_reason) for c in clauses}
    try:
        assessment_from_entries(tree, entries, kind=kind, special_bonus=tuple(
            ScoredItem(i.reason, i.code) for i in active if i.kind == SpecialKind.BONUS))
    except AssessmentInvalid as exc:
        raise InvalidInput(f"备份未恢复：{exc.message}") from None


def _history(snap: dict) -> list[RatingChange]:
    """The rating history as it is (append-only); a step without its time means the backup is damaged."""
    rows = []
    for i, raw in enumerate(items(snap, "rating_history", "评分历史"), 1):
        where = f"评分历史第 {i} 条（条款 {raw.get('code')}）"
        if not isinstance(raw.get("code"), str) or not all(isinstance(raw.get(k), dict) for k in ("before", "after")):
            raise damaged(where, "不完整")
        rows.append(RatingChange(code=text(raw, "code", where, "条款代码", 40, clean=False),
                                 version=count(raw, "version", where, "版本号", least=1),
                                 before=raw["before"], after=raw["after"],
                                 changed_by=text(raw, "by", where, "修改人", 100, clean=False),
                                 changed_at=moment(raw, "at", where),
                                 reason=text(raw, "reason", where, "修改原因", Limit.SHORT, clean=False)))
    return rows

