"""Evidence downloads as a streamed HTTP answer: GET /files/{evidence_id}.

Every request is checked on its own: the session cookie the server set at sign-in names the user (the same
session rule the pages use: ended, idle or deactivated means signed out), and the evidence read rule of the
services (evidence.services.evidence_to_read) decides. The bytes then flow from the store in chunks, in
Starlette's thread pool, so a file of any size passes through the process a megabyte at a time; nothing goes
through Streamlit's session memory.
"""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from accounts.sessions import resume_session
from accounts.users import actor_of
from config import settings
from db import session
from errors import AccessDenied, NotFound
from evidence.filetypes import MIME
from evidence.services import evidence_to_read
from evidence.store import BlobStore, store_from_settings


def evidence_store() -> BlobStore:
    config = settings()
    return _store(config.store, config.evidence_folder, config.s3_endpoint, config.s3_bucket)


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
    from web.routes import COOKIE  # the cookie the sign-in route sets (routes imports this module)
    token = request.cookies.get(COOKIE, "")
    with session(database()) as s:
        user = resume_session(s, token, idle=timedelta(minutes=settings().idle_minutes)) if token else None
        if user is None:
            return _refused("请先登录后再下载", 401)
        try:
            evidence = evidence_to_read(s, request.path_params["evidence_id"], by=actor_of(user))
        except NotFound as exc:
            return _refused(exc.message, 404)
        except AccessDenied as exc:
            return _refused(exc.message, 403)
    store = evidence_store()
    size = store.size(evidence.sha256)
    if size is None:
        return _refused("证据文件不在存储中，请联系管理员", 404)
    return StreamingResponse(store.chunks(evidence.sha256), media_type=MIME.get(evidence.kind, "application/octet-stream"),
                             headers={"Content-Disposition": content_disposition(evidence.name),
                                      "Content-Length": str(size), "Cache-Control": "private, no-store",
                                      "X-Content-Type-Options": "nosniff"})


def _refused(message: str, status: int) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status, headers={"Cache-Control": "no-store"})


def store_problem() -> str | None:
    """Why the evidence store cannot be reached, in Chinese; None when it can (for /readyz)."""
    try:
        evidence_store().reachable()
    except Exception as exc:  # any failure means not ready; say which part
        return f"证据存储不可用：{type(exc).__name__}"
    return None
