"""Use cases for evidence: upload (checked, stored once per content), link to clauses, remove, read, coverage."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.access import acting_role, permits, refuse, require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from evidence.filetypes import check_file
from evidence.models import GENERAL, Evidence, EvidenceLink
from evidence.names import display_name
from evidence.store import BlobStore, Stored, check_declared_size
from records.models import Site, utcnow
from textclean import clean_text
from vocabulary import Role

MAX_NOTE = 1000
RETRIES = 8


@dataclass(frozen=True)
class Upload:
    evidence: Evidence
    duplicate: bool          # the same content was already in the engagement; only links were added
    new_links: int


@dataclass
class Coverage:
    """What is linked to one clause: how many files, and which checklist items they cover."""

    files: int = 0
    items: set[int] = field(default_factory=set)


def check_links(tree: Tree, links: dict[str, set[int]]) -> dict[str, set[int]]:
    """Links to leaves of the tree, each to the clause as a whole (GENERAL) or to items of its checklist."""
    checked = {}
    for code, items in links.items():
        node = tree.node(code)
        if node is None or not node.is_leaf:
            raise InvalidInput(f"未知的条款代码 {code}（指标树 {tree.ref} 中没有此评分条款）")
        bad = [i for i in items if i != GENERAL and not 0 <= i < len(node.evidence)]
        if bad:
            raise InvalidInput(f"条款 {code} 没有第 {bad[0] + 1} 项证据要求")
        checked[code] = set(items) or {GENERAL}
    return checked


def upload_evidence(session: Session, store: BlobStore, *, engagement_id: int, name: str, stream: BinaryIO,
                    tree: Tree, links: dict[str, set[int]], by: Actor, max_bytes: int, note: str = "",
                    site_id: int | None = None) -> Upload:
    engagement = get_engagement(session, engagement_id, by=by)
    require(session, by, Action.UPLOAD_EVIDENCE, engagement=engagement)
    shown = display_name(name)
    links = check_links(tree, links)
    note = clean_text(note)
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"说明过长（上限 {MAX_NOTE} 字）")
    if site_id is not None:
        site = session.get(Site, site_id)
        if site is None or site.company_id != engagement.company_id:
            raise InvalidInput("所选场所不属于该企业")
    stored = store.put(stream, max_bytes=max_bytes, check=lambda path, head, size: check_file(shown, head, size, path))
    for attempt in range(RETRIES):  # the same content arriving at once from others: each collision means one
        try:                        # of them committed, and the next try sees its record and links
            return _record(session, engagement_id, stored, shown, note, site_id, links, by)
        except IntegrityError:
            session.rollback()
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _record(session: Session, engagement_id: int, stored, shown: str, note: str, site_id: int | None,
            links: dict[str, set[int]], by: Actor) -> Upload:
    """Each person's upload is its own record (who, note, time); the same person sending the same file again
    adds links to their record. The content is stored once either way."""
    existing = session.exec(select(Evidence).where(Evidence.engagement_id == engagement_id,
                                                   Evidence.sha256 == stored.sha256, Evidence.uploaded_by == by.name,
                                                   Evidence.removed_at.is_(None))).first()
    evidence = existing or Evidence(engagement_id=engagement_id, sha256=stored.sha256, size=stored.size,
                                    kind=stored.kind, name=shown, note=note.strip(), site_id=site_id,
                                    uploaded_by=by.name, uploader_id=by.user_id,
                                    from_client=acting_role(session, by)[0] == Role.CLIENT)
    session.add(evidence)
    session.flush()
    added = _add_links(session, evidence.id, links, by)
    audit(session, username=by.username or by.name, action=Event.EVIDENCE_UPLOADED, **_uploaded(evidence, existing))
    session.commit()
    return Upload(evidence, existing is not None, added)


def _uploaded(evidence: Evidence, existing: Evidence | None) -> dict[str, str]:
    """The audit row's target and detail for an upload: the file, its hash and size, and whether it was already
    on record (the same person sending the same content again adds links to their record)."""
    return {"target": f"评价项目 {evidence.engagement_id} / {evidence.name}",
            "detail": f"{evidence.sha256}，{evidence.size} 字节" + ("（已有记录，补充关联）" if existing else "")}


def _add_links(session: Session, evidence_id: int, links: dict[str, set[int]], by: Actor) -> int:
    active = {(link.code, link.item) for link in session.exec(select(EvidenceLink).where(
        EvidenceLink.evidence_id == evidence_id, EvidenceLink.unlinked_at.is_(None)))}
    wanted = [(code, item) for code, items in sorted(links.items()) for item in sorted(items)]
    new = [(code, item) for code, item in wanted if (code, item) not in active]
    session.add_all(EvidenceLink(evidence_id=evidence_id, code=code, item=item, linked_by=by.name)
                    for code, item in new)
    return len(new)


def _evidence(session: Session, evidence_id: int, by: Actor, action: Action) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("未找到该证据")
    require(session, by, action, engagement=get_engagement(session, evidence.engagement_id, by=by))
    return evidence


def _why_not(session: Session, by: Actor, evidence: Evidence) -> str | None:
    """Who may remove or relink a record follows who owns it: the team its own evidence; a client only files
    they uploaded themselves, until a submitted rectification names them. None when `by` may."""
    role = acting_role(session, by)[0]
    if role == Role.SYSTEM:
        return None
    if role == Role.CLIENT:
        owns = evidence.from_client and evidence.uploader_id == by.user_id
        return None if owns and evidence.submitted_at is None else "只能修改本人上传、尚未随整改提交的文件"
    return "企业上传的文件属于企业的记录，评价组不能移除或改动其关联" if evidence.from_client else None


def may_change_evidence(session: Session, evidence: Evidence, *, by: Actor) -> bool:
    """Whether `by` may remove or relink this record: what pages ask before offering it."""
    return permits(session, by, Action.UPLOAD_EVIDENCE, engagement=get_engagement(session, evidence.engagement_id,
                                                                                     by=by)) \
        and _why_not(session, by, evidence) is None


def _changeable(scope: Scope, evidence: Evidence) -> None:
    why = _why_not(scope.session, scope.by, evidence)
    if why:
        refuse(scope.session, scope.by, f"您没有权限修改证据“{evidence.name}”：{why}。",
               target=f"评价项目 {evidence.engagement_id} / {evidence.name}", detail=why)


def _stored(session: Session, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("未找到该证据")
    return evidence


def link_evidence(session: Session, *, evidence_id: int, links: dict[str, set[int]], tree: Tree,
                  by: Actor) -> int:
    evidence = _stored(session, evidence_id)
    with engagement_scope(session, evidence.engagement_id, Action.UPLOAD_EVIDENCE, by=by) as scope:
        _changeable(scope, evidence)
        if evidence.removed_at is not None:
            raise InvalidInput("该证据已被移除，不能再关联")
        checked = check_links(tree, links)
        added = _add_links(session, evidence_id, checked, by)
        scope.audit(Event.EVIDENCE_LINKED, target=f"评价项目 {evidence.engagement_id} / {evidence.name}",
                    detail="、".join(sorted(checked)))
    return added


def unlink_evidence(session: Session, *, link_id: int, by: Actor) -> None:
    link = session.get(EvidenceLink, link_id)
    if link is None or link.unlinked_at is not None:
        raise NotFound("未找到该关联")
    evidence = _stored(session, link.evidence_id)
    with engagement_scope(session, evidence.engagement_id, Action.UPLOAD_EVIDENCE, by=by) as scope:
        _changeable(scope, evidence)
        link.unlinked_by, link.unlinked_at = by.name, utcnow()
        session.add(link)
        scope.audit(Event.EVIDENCE_UNLINKED, target=f"评价项目 {evidence.engagement_id} / {evidence.name}",
                    detail=link.code + ("" if link.item == GENERAL else f"（第 {link.item + 1} 项）"))


def remove_evidence(session: Session, *, evidence_id: int, reason: str, by: Actor) -> Evidence:
    evidence = _stored(session, evidence_id)
    reason = clean_text(reason)
    with engagement_scope(session, evidence.engagement_id, Action.UPLOAD_EVIDENCE, by=by) as scope:
        _changeable(scope, evidence)
        if evidence.removed_at is not None:
            raise InvalidInput("该证据已被移除")
        if not reason or len(reason) > MAX_NOTE:
            raise InvalidInput(f"移除证据必须写明理由（不超过 {MAX_NOTE} 字）")
        evidence.removed_by, evidence.removed_at, evidence.removed_reason = by.name, utcnow(), reason
        session.add(evidence)
        scope.audit(Event.EVIDENCE_REMOVED, target=f"评价项目 {evidence.engagement_id} / {evidence.name}",
                    detail=reason)
    return evidence


def list_evidence(session: Session, engagement_id: int, *, by: Actor, code: str | None = None,
                  include_removed: bool = False) -> list[Evidence]:
    get_engagement(session, engagement_id, by=by)
    query = select(Evidence).where(Evidence.engagement_id == engagement_id)
    if not include_removed:
        query = query.where(Evidence.removed_at.is_(None))
    if code:
        query = query.where(Evidence.id.in_(select(EvidenceLink.evidence_id).where(
            EvidenceLink.code == code, EvidenceLink.unlinked_at.is_(None))))
    return list(session.exec(query.order_by(Evidence.uploaded_at.desc(), Evidence.id.desc())))


def evidence_links(session: Session, evidence_id: int, *, by: Actor) -> list[EvidenceLink]:
    _evidence(session, evidence_id, by, Action.VIEW_ENGAGEMENT)
    return list(session.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == evidence_id,
                                                        EvidenceLink.unlinked_at.is_(None))
                             .order_by(EvidenceLink.code, EvidenceLink.item)))


def evidence_to_read(session: Session, evidence_id: int, *, by: Actor) -> Evidence:
    """The record whose bytes `by` may read: whoever may see its engagement (the download route asks this on
    every request, then streams the bytes from the store)."""
    return _evidence(session, evidence_id, by, Action.VIEW_ENGAGEMENT)


def read_evidence(session: Session, store: BlobStore, evidence_id: int, *, by: Actor) -> tuple[Evidence, bytes]:
    evidence = evidence_to_read(session, evidence_id, by=by)
    with store.open(evidence.sha256) as f:
        return evidence, f.read()


def coverage(session: Session, engagement_id: int, *, by: Actor) -> dict[str, Coverage]:
    """Per clause code, the active evidence linked to it and the checklist items covered."""
    get_engagement(session, engagement_id, by=by)
    rows = session.exec(select(EvidenceLink.code, EvidenceLink.item, EvidenceLink.evidence_id)
                        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
                        .where(Evidence.engagement_id == engagement_id, Evidence.removed_at.is_(None),
                               EvidenceLink.unlinked_at.is_(None)))
    files: dict[str, set[int]] = defaultdict(set)
    out: dict[str, Coverage] = defaultdict(Coverage)
    for code, item, evidence_id in rows:
        files[code].add(evidence_id)
        if item != GENERAL:
            out[code].items.add(item)
    for code, ids in files.items():
        out[code].files = len(ids)
    return dict(out)


@dataclass(frozen=True)
class StoredFile:
    """A checked file whose bytes are in the store but not yet on record: harmless while no record names them."""
    name: str
    stored: Stored


def store_file(store: BlobStore, name: str, stream: BinaryIO, *, max_bytes: int) -> StoredFile:
    """Check a file (its name, the size its sender declared when the stream carries one, its content) and store its
    bytes ahead of the transaction that records it: a use case that then refuses leaves no evidence behind."""
    shown = display_name(name)
    check_declared_size(shown, getattr(stream, "size", None), max_bytes)
    return StoredFile(shown, store.put(stream, max_bytes=max_bytes,
                                       check=lambda path, head, size: check_file(shown, head, size, path)))


def record_file(scope: Scope, file: StoredFile, *, links: dict[str, set[int]], note: str) -> Evidence:
    """The record of a stored file and its links (checked by the caller), inside the caller's scope: they commit or
    roll back with the use case that names the file. As with upload_evidence, each person's upload is their own
    record, and the same person sending the same content again adds links to it."""
    session, by = scope.session, scope.by
    require(session, by, Action.UPLOAD_EVIDENCE, engagement=scope.engagement)
    stored = file.stored
    existing = session.exec(select(Evidence).where(
        Evidence.engagement_id == scope.engagement.id, Evidence.sha256 == stored.sha256,
        Evidence.uploaded_by == by.name, Evidence.removed_at.is_(None))).first()
    evidence = existing or Evidence(
        engagement_id=scope.engagement.id, sha256=stored.sha256, size=stored.size, kind=stored.kind, name=file.name,
        note=clean_text(note)[:MAX_NOTE], uploaded_by=by.name, uploader_id=by.user_id,
        from_client=acting_role(session, by)[0] == Role.CLIENT)
    session.add(evidence)
    session.flush()
    _add_links(session, evidence.id, links, by)
    scope.audit(Event.EVIDENCE_UPLOADED, **_uploaded(evidence, existing))
    return evidence


def attach_files(scope: Scope, evidence_ids: list[int], *, links: dict[str, set[int]], refused: str) -> list[Evidence]:
    """Files already on record that a use case names (a hand-in), inside its scope: each must be a live file of
    the scope's engagement (else InvalidInput `refused`), and gets the use case's links (checked by the caller) it
    lacks; adding a link follows who may relink the file, as link_evidence does."""
    files = [scope.session.get(Evidence, evidence_id) for evidence_id in dict.fromkeys(evidence_ids)]
    if any(f is None or f.engagement_id != scope.engagement.id or f.removed_at for f in files):
        raise InvalidInput(refused)
    for evidence in files:
        active = {(link.code, link.item) for link in scope.session.exec(select(EvidenceLink).where(
            EvidenceLink.evidence_id == evidence.id, EvidenceLink.unlinked_at.is_(None)))}
        if all((code, item) in active for code, items in links.items() for item in items):
            continue
        _changeable(scope, evidence)
        _add_links(scope.session, evidence.id, links, scope.by)
        scope.audit(Event.EVIDENCE_LINKED, target=f"评价项目 {evidence.engagement_id} / {evidence.name}",
                    detail="、".join(sorted(links)))
    return files
