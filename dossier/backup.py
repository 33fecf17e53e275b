"""Use cases: back up one engagement as a zip (snapshot + evidence files), restore it into any installation.

The restore goes through the product's own rules: every piece of the snapshot is checked first, as the
services check what users enter (restore_check.py, restore_records.py), and a refusal names the item and
writes nothing. Then each evidence file is checked against its SHA-256 and stored (content-addressed, so
harmless if the rest fails), and every row is written in one transaction (restore_write.py): the engagement
comes back whole or not at all, with the same ratings, history, special items, nonconformities and evidence
records, and the links between them. Team members come back by name (accounts differ between installations).
Each restore is written to the audit log: who, which engagement came back as which, from which backup.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from accounts.access import require
from accounts.actor import Actor
from accounts.audit_log import Event, record
from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from criteria.registry import TreeRegistry
from dossier.built import build_file
from dossier.restore_check import Plan, checked_plan
from dossier.restore_fields import damaged
from dossier.restore_write import write_plan
from dossier.snapshot import FORMAT, FORMAT_1, build_snapshot
from errors import InvalidInput
from evidence.store import CHUNK, BlobStore
from records.models import utcnow

MAX_BACKUP_ENTRY = 10 * 1024 ** 3


def backup_engagement(session: Session, store: BlobStore, engagement_id: int, tree: Tree, *,
                      by: Actor) -> bytes:
    """The backup zip as bytes (small engagements, tests); write_backup writes it to a file instead."""
    out = io.BytesIO()
    write_backup(session, store, engagement_id, tree, out, by=by)
    return out.getvalue()


def write_backup(session: Session, store: BlobStore, engagement_id: int, tree: Tree, target: BinaryIO, *,
                 by: Actor) -> None:
    """Write the backup zip to `target` (a file): each evidence file is copied from the store a chunk at a time,
    so an engagement with gigabytes of evidence never sits in memory."""
    require(session, by, Action.MANAGE_ENGAGEMENT, engagement=get_engagement(session, engagement_id, by=by))
    snapshot = build_snapshot(session, engagement_id, tree, by=by)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("snapshot.json", json.dumps(snapshot, ensure_ascii=False, indent=1))
        for sha in sorted({e["sha256"] for e in snapshot["evidence"] + snapshot["removed_evidence"]}):
            with archive.open(f"evidence/{sha}", "w", force_zip64=True) as member:
                for piece in store.chunks(sha):
                    member.write(piece)


def backup_file(session: Session, store: BlobStore, engagement_id: int, tree: Tree, folder: Path, *,
                by: Actor) -> Path:
    """Write the backup to a new file in `folder` (dossier.built: named by the engagement and an unguessable
    token, streamed by the download route, which checks access again)."""
    def write(partial: Path) -> None:
        with open(partial, "wb") as out:
            write_backup(session, store, engagement_id, tree, out, by=by)
    return build_file(folder, engagement_id, write)


def check_backup_access(session: Session, engagement_id: int, *, by: Actor) -> None:
    """The rule for a built backup file: whoever may back up the engagement (checked again on each download)."""
    require(session, by, Action.MANAGE_ENGAGEMENT, engagement=get_engagement(session, engagement_id, by=by))


def restore_engagement(session: Session, store: BlobStore, backup: bytes | BinaryIO | Path, registry: TreeRegistry,
                       *, by: Actor, source: str = "") -> int:
    """The new engagement's id. `backup` is the zip: a path or an open binary file (read with zipfile a member at a
    time, never whole in memory), or bytes (small backups, tests); `source` names it (its file name) in the audit
    log."""
    require(session, by, Action.MANAGE_COMPANIES)
    with _zip_source(backup) as zipped:
        digest = _sha256(zipped)
        snapshot, blobs = _read_backup(zipped, by)
        tree = _tree(registry, snapshot)
        with _transaction(session):
            plan = checked_plan(session, snapshot, tree)
            _store_files(store, blobs, plan)
            engagement = write_plan(session, plan)
    name = f"“{source}”" if source else ""
    record(session, username=by.username or by.name, action=Event.BACKUP_RESTORED, target=f"评价项目 {engagement.id}",
           detail=f"由 {by.name} 从备份{name}（SHA-256 {digest[:16]}…）恢复："
                  f"原评价项目 {plan.original_id}“{plan.engagement.title}”（{plan.company.name}）"
                  f"恢复为评价项目 {engagement.id}“{engagement.title}”")
    return engagement.id


@contextmanager
def _zip_source(backup: bytes | BinaryIO | Path) -> Iterator[BinaryIO]:
    """The backup as a seekable binary file: a path is opened (and closed after), bytes wrapped, a file used as is."""
    if isinstance(backup, bytes | bytearray):
        yield io.BytesIO(backup)
    elif isinstance(backup, str | Path):
        with open(backup, "rb") as handle:
            yield handle
    else:
        yield backup


def _sha256(source: BinaryIO) -> str:
    """The file's SHA-256, read a chunk at a time; the file is left at its start."""
    digest = hashlib.sha256()
    source.seek(0)
    while piece := source.read(CHUNK):
        digest.update(piece)
    source.seek(0)
    return digest.hexdigest()


@contextmanager
def _transaction(session: Session) -> Iterator[None]:
    """The restore's one transaction: committed when the block ends, rolled back when anything raises."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _read_backup(source: BinaryIO, by: Actor):
    try:
        archive = zipfile.ZipFile(source)
        snapshot = json.loads(archive.read("snapshot.json").decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise InvalidInput("不是有效的项目备份（应为包含 snapshot.json 的 ZIP 文件）") from None
    if not isinstance(snapshot, dict) or snapshot.get("format") not in (FORMAT, FORMAT_1):
        raise InvalidInput(f"备份格式不受支持（需要 {FORMAT} 或 {FORMAT_1}）")
    if snapshot["format"] == FORMAT_1:
        snapshot = from_version_1(snapshot, by)
    records = [*(snapshot.get("evidence") or []), *(snapshot.get("removed_evidence") or [])]
    wanted = {e.get("sha256") for e in records if isinstance(e, dict)}
    names = {n.removeprefix("evidence/") for n in archive.namelist() if n.startswith("evidence/")}
    if wanted - names:
        raise InvalidInput(f"备份缺少 {len(wanted - names)} 个证据文件，未恢复")
    return snapshot, {sha: (lambda sha=sha: archive.open(f"evidence/{sha}")) for sha in wanted}


def from_version_1(snap: dict, by: Actor) -> dict:
    """A version-1 snapshot in version 2's shape. Version 1 did not say which checklist item a file was linked
    to (so each link is to the whole clause, by the uploader, at the upload), did not name the rectification's
    files (the old database's ids are dropped rather than pointed at other files), kept no special-item keys
    (given in list order) and no creation of the engagement (the restore creates it, now)."""
    snap = copy.deepcopy(snap)
    specials = [*(snap.get("special_deductions") or []), *(snap.get("special_bonus") or [])]
    for n, item in enumerate(specials, 1):
        if isinstance(item, dict):
            item.setdefault("key", f"S{n}")
    for ev in snap.get("evidence") or []:
        if isinstance(ev, dict) and isinstance(ev.get("codes"), list):
            ev.setdefault("links", [{"code": c, "item": None, "by": ev.get("uploaded_by"), "at": ev.get("uploaded_at")}
                                    for c in ev["codes"]])
    for nc in snap.get("nonconformities") or []:
        for step in (nc.get("history") or []) if isinstance(nc, dict) else []:
            if isinstance(step, dict) and isinstance(step.get("details"), dict):
                step["details"].pop("evidence_ids", None)
    if isinstance(snap.get("engagement"), dict):
        snap["engagement"] |= {"created_by": by.name, "created_at": utcnow().isoformat()}
    return snap | {"format": FORMAT}


def _tree(registry: TreeRegistry, snapshot: dict) -> Tree:
    criteria = snapshot.get("criteria")
    if not isinstance(criteria, str) or not criteria.strip():
        raise damaged("快照", "没有注明所用的指标树")
    return registry.get(criteria)


def _store_files(store: BlobStore, blobs: dict, plan: Plan) -> None:
    """Each file stored under its hash, once its content matches the hash and the size its records state."""
    sizes = {p.record.sha256: p.record.size for p in plan.evidence}
    for sha, stream_of in blobs.items():
        with stream_of() as stream:
            stored = store.put(stream, max_bytes=MAX_BACKUP_ENTRY, check=lambda path, head, size: "restored")
        if stored.sha256 != sha or stored.size != sizes[sha]:
            raise InvalidInput(f"备份中的证据文件 {sha[:12]}… 已损坏（内容与哈希不符），未恢复")
