"""Use cases of the body's templates and the issued record: upload a template (checked, versioned per kind),
issue a document (the exact .docx and its PDF kept in the content store, with a manifest of hashes), and the
engagement's archive as one zip on disk.

Uploading is the administrator's (MANAGE_TEMPLATES). Issuing follows who may export an engagement's documents
(whoever may see it: the same snapshot the download builds); the archive, holding the evidence files, follows who
may back the engagement up (MANAGE_ENGAGEMENT).
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from accounts.access import require
from accounts.actor import Actor
from accounts.audit_log import Event, audit
from accounts.policy import Action
from audits.engagements import get_engagement
from criteria.model import Tree
from cycle.carry_over import previous_scores
from cycle.certificate_reads import certificate_context, get_certificate
from cycle.plan_document import plan_document_data
from dossier.snapshot import build_snapshot
from errors import InvalidInput
from evidence.store import BlobStore
from exports.archive import Member, write_archive
from exports.context import build_report_context
from exports.documents import (
    DOCUMENTS,
    document_label,
    render_certificate_document,
    render_document,
    render_plan_version,
    template_kind,
)
from exports.pdf import docx_to_pdf, pdf_available
from exports.templates import check_template
from issuance.extras import document_extras
from issuance.models import DocumentTemplate, IssuedDocument
from textclean import clean_text
from vocabulary import DOCUMENT_KIND_LABELS, DocumentKind, Limit

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
TEMPLATE_KINDS = tuple(DocumentKind)  # the kinds a body's template may replace: every one


@contextmanager
def _transaction(session: Session) -> Iterator[None]:
    """The use case's writes: committed when the block ends, rolled back when it raises (two uploads of a kind at
    once: the second meets the unique version and is told to try again)."""
    try:
        yield
        session.commit()
    except IntegrityError:
        session.rollback()
        raise InvalidInput("另一位用户刚刚保存了同一类记录，请刷新后重试") from None
    except BaseException:
        session.rollback()
        raise


def upload_template(session: Session, store: BlobStore, *, kind: DocumentKind, name: str, data: bytes,
                    by: Actor, timeout: float = 60) -> DocumentTemplate:
    """A new version of the kind's template, active from now on; refused with every problem listed (nothing is
    stored) when the file cannot be used."""
    require(session, by, Action.MANAGE_TEMPLATES)
    if kind not in TEMPLATE_KINDS:
        raise InvalidInput(f"{DOCUMENT_KIND_LABELS[kind]}暂不支持认证机构模板，使用内置版式")
    name = clean_text(name)
    if not name or len(name) > Limit.NAME:
        raise InvalidInput(f"请填写模板名称（不超过 {Limit.NAME} 个字符）")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InvalidInput(f"模板文件超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB")
    check_template(data, timeout=timeout, kind=kind)
    stored = store.put(io.BytesIO(data), max_bytes=MAX_TEMPLATE_BYTES, check=lambda *_: "docx")
    with _transaction(session):
        latest = session.exec(select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind)).one()
        _deactivate(session, kind)
        template = DocumentTemplate(kind=kind, version=(latest or 0) + 1, name=name, sha256=stored.sha256,
                                    uploaded_by=by.name)
        session.add(template)
        audit(session, username=by.username or by.name, action=Event.TEMPLATE_UPLOADED,
              target=f"{DOCUMENT_KIND_LABELS[kind]} 第 {template.version} 版", detail=f"{name} {stored.sha256}")
    session.refresh(template)
    return template


def use_built_in(session: Session, *, kind: DocumentKind, by: Actor) -> None:
    """The kind's documents are made in the built-in layout again (its templates stay, inactive)."""
    require(session, by, Action.MANAGE_TEMPLATES)
    with _transaction(session):
        _deactivate(session, kind)
        audit(session, username=by.username or by.name, action=Event.TEMPLATE_UPLOADED,
              target=DOCUMENT_KIND_LABELS[kind], detail="改用内置版式")


def _deactivate(session: Session, kind: DocumentKind) -> None:
    for template in session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind,
                                                                DocumentTemplate.active)):
        template.active = False
        session.add(template)


def list_templates(session: Session, *, by: Actor) -> list[DocumentTemplate]:
    require(session, by, Action.MANAGE_TEMPLATES)
    return list(session.exec(select(DocumentTemplate).order_by(DocumentTemplate.kind,
                                                               DocumentTemplate.version.desc())))


def _active(session: Session, kind: DocumentKind) -> DocumentTemplate | None:
    return session.exec(select(DocumentTemplate).where(DocumentTemplate.kind == kind,
                                                       DocumentTemplate.active)).first()


def issue_document(session: Session, store: BlobStore, *, engagement_id: int, name: str, tree: Tree,
                   by: Actor, zone: str, body_name: str = "", soffice: str = "", timeout: float = 60,
                   with_pdf: bool = True) -> IssuedDocument:
    """Make the document (the body's active template for its kind, else the built-in layout), keep the exact
    .docx and a PDF made from it, and record both hashes with the evidence files' in the manifest. Issuing is
    the team's act: whoever may manage the engagement (as for its archive), not everyone who may read it."""
    require(session, by, Action.MANAGE_ENGAGEMENT, engagement=get_engagement(session, engagement_id, by=by))
    engagement, snapshot, template, docx = _made(session, store, engagement_id, name, tree, by=by, zone=zone,
                                                 body_name=body_name, timeout=timeout)
    kind = template_kind(name, engagement.kind)
    pdf = docx_to_pdf(docx, soffice) if with_pdf and pdf_available(soffice) else b""
    docx_sha = _put(store, docx)
    pdf_sha = _put(store, pdf) if pdf else ""
    title = document_label(name, engagement.kind)
    manifest = {"engagement": engagement_id, "document": name, "kind": kind, "title": title,
                "template": {"id": template.id, "version": template.version, "sha256": template.sha256}
                if template else None,
                "files": [{"path": f"{title}.docx", "sha256": docx_sha}]
                + ([{"path": f"{title}.pdf", "sha256": pdf_sha}] if pdf_sha else []),
                "evidence": [{"name": e["name"], "sha256": e["sha256"]} for e in snapshot.get("evidence", [])]}
    issued = IssuedDocument(engagement_id=engagement_id, kind=kind, template_id=template.id if template else None,
                            template_version=template.version if template else None, docx_sha256=docx_sha,
                            pdf_sha256=pdf_sha, manifest=manifest, issued_by=by.name)
    with _transaction(session):
        session.add(issued)
        audit(session, username=by.username or by.name, action=Event.DOCUMENT_ISSUED,
              target=f"评价项目 {engagement_id}",
              detail=f"{title} {docx_sha}" + (f"（模板第 {template.version} 版）" if template else "（内置版式）"))
    session.refresh(issued)
    return issued


def certificate_document(session: Session, store: BlobStore, *, certificate_id: int, by: Actor,
                         timeout: float = 60) -> tuple[DocumentTemplate | None, bytes]:
    """The certificate as a .docx (the template that made it, or None): from the body's active certificate
    template, else the built-in layout. Whoever may see the certificate may download it."""
    ctx = certificate_context(session, certificate_id, by=by)
    template = _active(session, DocumentKind.CERTIFICATE)
    blob = _read(store, template.sha256) if template else None
    return template, render_certificate_document(ctx, blob, timeout=timeout)


def plan_version_document(session: Session, store: BlobStore, *, engagement_id: int, version: int, tree: Tree,
                          by: Actor, body_name: str = "", timeout: float = 60) -> tuple[DocumentTemplate | None, bytes]:
    """A plan version as the .docx sent to the company (the template that made it, or None): from the body's
    active plan template, else the built-in layout. A download, so nothing is recorded; whoever may see the
    version may download it (a client its sent versions)."""
    plan = plan_document_data(session, engagement_id, version, tree=tree, by=by)
    template = _active(session, DocumentKind.PLAN)
    blob = _read(store, template.sha256) if template else None
    return template, render_plan_version(plan, blob, body_name=body_name, timeout=timeout)


def issue_certificate_document(session: Session, store: BlobStore, *, certificate_id: int, by: Actor,
                               soffice: str = "", with_pdf: bool = True, timeout: float = 60) -> IssuedDocument:
    """The certificate as issued: its exact .docx and PDF kept with their hashes, under its engagement, with the
    template version that made it."""
    require(session, by, Action.MANAGE_CERTIFICATES)
    certificate = get_certificate(session, certificate_id, by=by)
    template, docx = certificate_document(session, store, certificate_id=certificate_id, by=by, timeout=timeout)
    pdf = docx_to_pdf(docx, soffice) if with_pdf and pdf_available(soffice) else b""
    docx_sha, pdf_sha = _put(store, docx), (_put(store, pdf) if pdf else "")
    title = f"证书-{certificate.number}"
    manifest = {"engagement": certificate.engagement_id, "document": "certificate", "kind": DocumentKind.CERTIFICATE,
                "title": title, "certificate": certificate.number,
                "template": {"id": template.id, "version": template.version, "sha256": template.sha256}
                if template else None,
                "files": [{"path": f"{title}.docx", "sha256": docx_sha}]
                + ([{"path": f"{title}.pdf", "sha256": pdf_sha}] if pdf_sha else []), "evidence": []}
    issued = IssuedDocument(engagement_id=certificate.engagement_id, kind=DocumentKind.CERTIFICATE,
                            template_id=template.id if template else None,
                            template_version=template.version if template else None, docx_sha256=docx_sha, pdf_sha256=pdf_sha, manifest=manifest, issued_by=by.name)
    with _transaction(session):
        session.add(issued)
        audit(session, username=by.username or by.name, action=Event.DOCUMENT_ISSUED,
              target=f"证书 {certificate.number}",
              detail=f"{title} {docx_sha}" + (f"（模板第 {template.version} 版）" if template else "（内置版式）"))
    session.refresh(issued)
    return issued


def build_document(session: Session, store: BlobStore, *, engagement_id: int, name: str, tree: Tree, by: Actor,
                   zone: str, body_name: str = "", timeout: float = 60) -> bytes:
    """The document as a download (not issued): from the body's active template for its kind, else built in."""
    return _made(session, store, engagement_id, name, tree, by=by, zone=zone, body_name=body_name,
                 timeout=timeout)[3]


def _made(session: Session, store: BlobStore, engagement_id: int, name: str, tree: Tree, *, by: Actor, zone: str,
          body_name: str, timeout: float):
    if name not in DOCUMENTS:
        raise InvalidInput(f"未知的文档：{name}")
    engagement = get_engagement(session, engagement_id, by=by)
    require(session, by, Action.VIEW_ENGAGEMENT, engagement=engagement)
    snapshot = build_snapshot(session, engagement_id, tree, by=by)
    template = _active(session, template_kind(name, engagement.kind))
    context = build_report_context(snapshot, tree, zone=zone)
    earlier = {code: (float(p.earned), float(p.applicable)) for code, p in previous_scores(session, engagement_id,
                                                                                          by=by).items()}
    context.extras = document_extras(session, engagement, tree, previous_scores=earlier)
    blob = _read(store, template.sha256) if template else None
    return engagement, snapshot, template, render_document(name, context, blob, body_name=body_name,
                                                           timeout=timeout)


def issued_documents(session: Session, engagement_id: int, *, by: Actor) -> list[IssuedDocument]:
    require(session, by, Action.VIEW_ENGAGEMENT, engagement=get_engagement(session, engagement_id, by=by))
    return list(session.exec(select(IssuedDocument).where(IssuedDocument.engagement_id == engagement_id)
                             .order_by(IssuedDocument.id)))


def engagement_archive(session: Session, store: BlobStore, engagement_id: int, tree: Tree, *,
                       by: Actor) -> Path:
    """A zip on disk (the caller removes it) of every issued document and the evidence files, with a manifest
    of their hashes; `python -m exports verify` checks it."""
    engagement = get_engagement(session, engagement_id, by=by)
    require(session, by, Action.MANAGE_ENGAGEMENT, engagement=engagement)
    issued = issued_documents(session, engagement_id, by=by)
    members = []
    for number, record in enumerate(issued, 1):
        for entry in record.manifest["files"]:
            members.append(Member(f"documents/{number:03d}-{entry['path']}", _opener(store, entry["sha256"]),
                                  entry["sha256"]))
    evidence = build_snapshot(session, engagement_id, tree, by=by).get("evidence", [])
    for sha in sorted({e["sha256"] for e in evidence}):
        members.append(Member(f"evidence/{sha}", _opener(store, sha), sha))
    header = {"engagement": engagement_id, "title": engagement.title,
              "issued": [{"id": r.id, "kind": r.kind, "issued_by": r.issued_by, "issued_at": r.issued_at.isoformat(),
                          "template_version": r.template_version} for r in issued],
              "evidence": [{"name": e["name"], "sha256": e["sha256"]} for e in evidence]}
    return write_archive(members, header)


def _opener(store: BlobStore, sha256: str):
    return lambda: store.open(sha256)


def _put(store: BlobStore, data: bytes) -> str:
    return store.put(io.BytesIO(data), max_bytes=max(len(data), 1), check=lambda *_: "doc").sha256


def _read(store: BlobStore, sha256: str) -> bytes:
    with store.open(sha256) as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise InvalidInput("存储的模板文件与记录不符，请重新上传模板")
    return data
