"""Evidence downloads as a streamed HTTP answer: GET /files/{evidence_id}; a built engagement backup or archive
likewise: GET /backups/{engagement_id}/{token}, GET /archives/{engagement_id}/{token}.

Every request is checked on its own: the session cookie the server set at sign-in names the user (the same
session rule the pages use: ended, idle or deactivated means signed out), and the evidence read rule of the
services (evidence.services.evidence_to_read) decides. The bytes then flow from the store in chunks, in
Starlette's thread pool, so a file of any size passes through the process a megabyte at a time; nothing goes
through Streamlit's session memory.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from accounts.actor import Actor
from accounts.sessions import resume_session
from accounts.users import actor_of
from config import settings
from criteria.model import Tree
from criteria.registry import TreeRegistry
from db import session
from dossier.backup import check_backup_access
from dossier.built import build_file, built_path
from errors import AccessDenied, NotFound
from evidence.filetypes import MIME
from evidence.services import evidence_to_read
from evidence.store import CHUNK, BlobStore, store_from_settings
from issuance.services import engagement_archive

SEND_CHUNK = 4 * CHUNK  # larger pieces, fewer hand-offs between the thread pool and the event loop; still flat


def evidence_store() -> BlobStore:
    config = settings()
    return _store(config.store, config.evidence_folder, config.s3_endpoint, config.s3_bucket)


def tree_registry() -> TreeRegistry:
    return _registry(settings().extra_trees_dir)


@lru_cache
def _registry(folder: Path) -> TreeRegistry:
    return TreeRegistry([folder])


@lru_cache
def _store(kind: str, folder, endpoint: str, bucket: str) -> BlobStore:
    return store_from_settings(settings())


def content_disposition(name: str) -> str:
    """`attachment` with the original name: an ASCII stand-in for old clients, and the exact name in UTF-8
    percent-encoding (RFC 5987 / RFC 6266), which browsers prefer, so a Chinese name arrives intact."""
    path = PurePosixPath(name or "file")
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in path.stem)
    fallback = (plain.strip("_ ") or "file") + "".join(c for c in path.suffix if c.isascii() and c.isalnum() or c == ".")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_evidence(database, request: Request) -> Response:
    with session(database()) as s:
        by = signed_in(s, request)
        if by is None:
            return _refused("请先登录后再下载", 401)
        try:
            evidence = evidence_to_read(s, request.path_params["evidence_id"], by=by)
        except (NotFound, AccessDenied) as exc:
            return _refused(exc.message, 404 if isinstance(exc, NotFound) else 403)
    store = evidence_store()
    size = store.size(evidence.sha256)
    if size is None:
        return _refused("证据文件不在存储中，请联系管理员", 404)
    return _streamed(store.chunks(evidence.sha256, SEND_CHUNK), size, evidence.name,
                     MIME.get(evidence.kind, "application/octet-stream"))


BUILT = {"backups": "项目备份", "archives": "项目归档"}  # the folders under data_dir, and the name each downloads as


def built_folder(kind: str) -> Path:
    """Where the page writes a built file of this kind (dossier.built) for the route below to stream."""
    return settings().data_dir / kind


def build_archive(s, store: BlobStore, engagement_id: int, tree: Tree, *, by: Actor) -> Path:
    """The engagement's archive (issuance.services.engagement_archive, which checks the right) moved into the
    archives folder under its token, for GET /archives/{engagement_id}/{token}."""
    return build_file(built_folder("archives"), engagement_id,
                      lambda target: shutil.move(engagement_archive(s, store, engagement_id, tree, by=by), target))


def download_built(database, request: Request, kind: str) -> Response:
    """A backup or archive the page built (dossier.built), streamed from disk to whoever may back up the
    engagement (the rule both engagement_archive and backups follow), checked again on each request."""
    engagement_id, token = request.path_params["engagement_id"], request.path_params["token"]
    with session(database()) as s:
        by = signed_in(s, request)
        if by is None:
            return _refused("请先登录后再下载", 401)
        try:
            check_backup_access(s, engagement_id, by=by)
        except (NotFound, AccessDenied) as exc:
            return _refused(exc.message, 404 if isinstance(exc, NotFound) else 403)
    path = built_path(built_folder(kind), engagement_id, token)
    if path is None:
        return _refused(f"{BUILT[kind]}文件不存在或已过期，请重新生成", 404)
    return _streamed(_file_chunks(path), path.stat().st_size, f"{BUILT[kind]}-{engagement_id}.zip", "application/zip")


def signed_in(s, request: Request) -> Actor | None:
    """The user the server-set session cookie names, or None (ended, idle, deactivated or none)."""
    from web.routes import COOKIE  # the cookie the sign-in route sets (routes imports this module)
    token = request.cookies.get(COOKIE, "")
    user = resume_session(s, token, idle=timedelta(minutes=settings().idle_minutes)) if token else None
    return actor_of(user) if user is not None else None


def _streamed(chunks: Iterator[bytes], size: int, name: str, media_type: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": content_disposition(name), "Content-Length": str(size),
                                      "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as source:
        while piece := source.read(CHUNK):
            yield piece


def _refused(message: str, status: int) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status, headers={"Cache-Control": "no-store"})


def store_problem() -> str | None:
    """Why the evidence store cannot be reached, in Chinese; None when it can (for /readyz)."""
    try:
        evidence_store().reachable()
    except Exception as exc:  # any failure means not ready; say which part
        return f"证据存储不可用：{type(exc).__name__}"
    return None
