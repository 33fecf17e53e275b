"""Use case: import a checked document package into an engagement, one file at a time, with a summary."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from accounts.access import require
from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from errors import InvalidInput
from evidence.package import Entry, map_to_clauses
from evidence.services import upload_evidence
from evidence.store import BlobStore, check_declared_size

OUTCOME_LABELS = {"imported": "已导入", "linked": "已存在，已补充关联", "duplicate": "重复，已跳过", "refused": "已拒绝"}


@dataclass(frozen=True)
class ImportLine:
    path: str
    outcome: str
    detail: str = ""


def import_package(session: Session, store: BlobStore, *, engagement_id: int, entries: list[Entry], tree: Tree,
                   by: Actor, max_bytes: int,
                   progress: Callable[[int, int, str], None] = lambda done, total, name: None) -> list[ImportLine]:
    require(session, by, Action.UPLOAD_EVIDENCE, engagement=get_engagement(session, engagement_id, by=by))
    files = map_to_clauses(entries, tree)
    lines = []
    for done, entry in enumerate(files, start=1):
        progress(done, len(files), entry.path)
        lines.append(_one(session, store, engagement_id, entry, tree, by, max_bytes))
    return lines


def _one(session, store, engagement_id, entry: Entry, tree, by, max_bytes) -> ImportLine:
    """One file: refused with its message (including a member that turns out to be unreadable), or stored."""
    if entry.problem:
        return ImportLine(entry.path, "refused", entry.problem)
    codes = "、".join(sorted(entry.links))
    try:
        check_declared_size(entry.name, entry.size, max_bytes)
        with entry.opener() as stream:
            upload = upload_evidence(session, store, engagement_id=engagement_id, name=entry.name, stream=stream,
                                     tree=tree, links=entry.links, by=by, max_bytes=max_bytes,
                                     note=f"批量导入：{entry.path}"[:1000])
    except InvalidInput as exc:
        session.rollback()
        return ImportLine(entry.path, "refused", exc.message)
    if not upload.duplicate:
        return ImportLine(entry.path, "imported", codes)
    return ImportLine(entry.path, "linked" if upload.new_links else "duplicate", codes)
