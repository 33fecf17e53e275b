"""Use cases: back up one engagement as a zip (snapshot + evidence files), restore it into any installation.

The restore checks everything first (the snapshot against the standard's rules and its tree, each evidence
file against its SHA-256), stores the files (content-addressed, so harmless if the rest fails), then writes
every row in one transaction: the engagement comes back whole or not at all, with the same ratings, history,
special items, nonconformities and evidence hashes. Team members come back by name (accounts differ between
installations).
"""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlmodel import Session, select

from accounts.access import require
from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from criteria.registry import TreeRegistry
from dossier.snapshot import FORMAT, build_snapshot
from errors import InvalidInput
from evidence.models import GENERAL, Evidence, EvidenceLink
from evidence.store import BlobStore, LocalBlobStore
from nonconformities.models import NcEvent, Nonconformity
from records.models import ClauseRating, Company, Engagement, RatingChange, Site, SpecialItem, TeamMember
from scoring.assessment import parse_assessment
from vocabulary import ClauseStatus

MAX_BACKUP_ENTRY = 10 * 1024 ** 3


def backup_engagement(session: Session, store: LocalBlobStore, engagement_id: int, tree: Tree, *,
                      by: Actor) -> bytes:
    require(session, by, Action.MANAGE_ENGAGEMENT, engagement=get_engagement(session, engagement_id, by=by))
    snapshot = build_snapshot(session, engagement_id, tree, by=by)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("snapshot.json", json.dumps(snapshot, ensure_ascii=False, indent=1))
        for sha in sorted({e["sha256"] for e in snapshot["evidence"]}):
            archive.write(store.path(sha), f"evidence/{sha}")
    return out.getvalue()


def restore_engagement(session: Session, store: BlobStore, data: bytes, registry: TreeRegistry, *,
                       by: Actor) -> int:
    require(session, by, Action.MANAGE_COMPANIES)
    snapshot, blobs = _read_backup(data)
    tree = registry.get(snapshot["criteria"])
    parse_assessment(snapshot, tree)  # the rules of the standard hold for what is restored
    for sha, stream_of in blobs.items():
        with stream_of() as stream:
            stored = store.put(stream, max_bytes=MAX_BACKUP_ENTRY, check=lambda path, head, size: "restored")
        if stored.sha256 != sha:
            raise InvalidInput(f"备份中的证据文件 {sha[:12]}… 已损坏（内容与哈希不符），未恢复")
    try:
        engagement_id = _write(session, snapshot, tree)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return engagement_id


def _read_backup(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        snapshot = json.loads(archive.read("snapshot.json").decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise InvalidInput("不是有效的项目备份（应为包含 snapshot.json 的 ZIP 文件）") from None
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise InvalidInput(f"备份格式不受支持（需要 {FORMAT}）")
    wanted = {e["sha256"] for e in snapshot.get("evidence", [])}
    names = {n.removeprefix("evidence/") for n in archive.namelist() if n.startswith("evidence/")}
    if wanted - names:
        raise InvalidInput(f"备份缺少 {len(wanted - names)} 个证据文件，未恢复")
    return snapshot, {sha: (lambda sha=sha: archive.open(f"evidence/{sha}")) for sha in wanted}


def _write(session: Session, snap: dict, tree: Tree) -> int:
    company = _company(session, snap.get("company") or {}, snap.get("sites", []))
    e = snap.get("engagement") or {}
    engagement = Engagement(company_id=company.id, kind=e.get("kind", "initial"), tree_ref=tree.ref,
                            title=e.get("title", ""), start_date=_day(e.get("start_date")),
                            end_date=_day(e.get("end_date")), status=e.get("status", "planned"), created_by="恢复备份")
    session.add(engagement)
    session.flush()
    eid = engagement.id
    session.add_all(TeamMember(engagement_id=eid, name=m["name"], role=m["role"]) for m in snap.get("team", []))
    _ratings(session, eid, snap, tree)
    for kind, key in (("deduction", "special_deductions"), ("bonus", "special_bonus")):
        for raw in snap.get(key, []):
            item = SpecialItem(engagement_id=eid, kind=kind, reason=raw["reason"], code=raw.get("code"),
                               category=raw.get("category") or "", created_by=raw.get("by") or "恢复备份",
                               created_at=_time(raw.get("at")))
            session.add(item)
    for raw in snap.get("nonconformities", []):
        _nonconformity(session, eid, raw)
    for raw in snap.get("evidence", []):
        evidence = Evidence(engagement_id=eid, sha256=raw["sha256"], size=raw.get("size", 0), kind=raw.get("kind", ""),
                            name=raw["name"], note=raw.get("note", ""), uploaded_by=raw.get("uploaded_by", ""),
                            uploaded_at=_time(raw.get("uploaded_at")))
        session.add(evidence)
        session.flush()
        session.add_all(EvidenceLink(evidence_id=evidence.id, code=c, item=GENERAL, linked_by="恢复备份")
                        for c in raw.get("codes", []))
    return eid


def _company(session: Session, raw: dict, sites: list[dict]) -> Company:
    """The company with the same credit code, or a new one with the snapshot's sites."""
    code = raw.get("credit_code") or ""
    company = session.exec(select(Company).where(Company.credit_code == code)).first() if code else None
    if company is None:
        company = Company(name=raw.get("name") or "（恢复的企业）", credit_code=code or "RESTORED" + datetime.now()
                          .strftime("%m%d%H%M%S"), address=raw.get("address", ""), industry=raw.get("industry", ""),
                          scope=raw.get("scope", ""), contact=raw.get("contact", ""))
        session.add(company)
        session.flush()
        session.add_all(Site(company_id=company.id, name=s["name"], kind=s["kind"], address=s.get("address", ""),
                             contracted=bool(s.get("contracted"))) for s in sites)
    return company


def _ratings(session: Session, eid: int, snap: dict, tree: Tree) -> None:
    ratings = {r["code"]: r for r in snap.get("ratings", [])}
    excluded = {x["code"]: x["reason"] for x in snap.get("exclusions", [])}
    history = snap.get("rating_history", [])
    versions = {}
    for change in history:
        versions[change["code"]] = max(versions.get(change["code"], 0), change["version"])
        session.add(RatingChange(engagement_id=eid, code=change["code"], version=change["version"],
                                 before=change["before"], after=change["after"], changed_by=change["by"],
                                 changed_at=_time(change["at"])))
    for leaf in tree.leaves():
        rated, reason = ratings.get(leaf.code, {}), excluded.get(leaf.code)
        status = ClauseStatus.EXCLUDED if reason else rated.get("result", ClauseStatus.UNRATED)
        session.add(ClauseRating(engagement_id=eid, code=leaf.code, status=status,
                                 sampled=rated.get("sampled", 0) if status == ClauseStatus.SAMPLED else 0,
                                 nonconforming=rated.get("nonconforming", 0) if status == ClauseStatus.SAMPLED else 0,
                                 exclusion_reason=reason or "", finding=rated.get("finding", ""),
                                 version=versions.get(leaf.code, 0), updated_by=rated.get("rated_by", ""),
                                 updated_at=_time(rated.get("rated_at")) if rated.get("rated_at") else None))


def _nonconformity(session: Session, eid: int, raw: dict) -> None:
    nc = Nonconformity(engagement_id=eid, number=raw["number"], code=raw.get("code"), severity=raw["severity"],
                       state=raw["status"], finding=raw.get("finding") or "-", requirement=raw.get("requirement", ""),
                       evidence_seen=raw.get("evidence_seen", ""), due_date=_day(raw.get("due_date")),
                       raised_by=raw.get("raised_by", ""), raised_at=_time(raw.get("raised_at")),
                       version=len(raw.get("history", [])))
    session.add(nc)
    session.flush()
    session.add_all(NcEvent(nonconformity_id=nc.id, event=h["event"], from_state=h["from"], to_state=h["to"],
                            comment=h.get("comment", ""), details=h.get("details", {}), by=h["by"], at=_time(h["at"]))
                    for h in raw.get("history", []))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _time(text: str | None) -> datetime:
    moment = datetime.fromisoformat(text) if text else datetime.now().astimezone()
    return moment if moment.tzinfo else moment.astimezone()
