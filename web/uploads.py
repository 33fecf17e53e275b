"""Uploads streamed to the store through the server's own routes, instead of Streamlit's file uploader (which reads
every file whole into the session's memory):

- POST /uploads/evidence/{engagement_id}?name=&codes=&code=&items=&site=&note= : one evidence file, the body is
  its bytes; stored by the same use case the page calls (evidence.services.upload_evidence), so every rule holds
  (types, names, duplicates, access per engagement, clause and site).
- POST /uploads/package/{engagement_id}?name= : a client's document package (zip), imported as the page's bulk
  import does (evidence.importing.import_package), each file with its outcome in the answer.
- POST /uploads/restore?name= : an engagement backup zip, restored by dossier.backup.restore_engagement.

Each request is checked before its body is read: the session cookie the server set names the user, the user must
be allowed the action, and the request must come from the app's own page (its Origin or Referer names this host,
and it carries the X-Audit-Upload header, which a form on another site cannot send). A stated size over the
limit is refused (413) before a byte is read, and the bytes that arrive are counted as they come: over the limit,
reading stops and the answer is 413. The body goes a chunk at a time into a nameless temporary file under the
data folder (gone when closed, or when the process dies), which the use case then reads a chunk at a time; it is
closed when the request ends, whatever happened. Every answer is JSON: the file's name, whether it was saved, and
a message in Chinese.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from typing import BinaryIO
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from accounts.access import require
from accounts.actor import Actor
from accounts.policy import Action
from audits.engagements import get_engagement
from config import settings
from db import session
from dossier.backup import MAX_BACKUP_ENTRY, restore_engagement
from errors import AccessDenied, AuditError, NotFound
from evidence.importing import import_package
from evidence.package import zip_entries
from evidence.services import upload_evidence
from evidence.store import CHUNK, MB, check_declared_size
from web.files import evidence_store, signed_in, tree_registry

HEADER = "x-audit-upload"


class Refused(Exception):
    """An upload refused before the use case ran: the status and the Chinese message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _answer(name: str, saved: bool, message: str, status: int = 200, **extra) -> JSONResponse:
    return JSONResponse({"name": name, "saved": saved, "message": message, **extra}, status_code=status,
                        headers={"Cache-Control": "no-store"})


def same_origin(request: Request) -> bool:
    """The request comes from a page of this site: the custom header is there (a cross-site form cannot send one
    and a cross-site script would need a preflight nobody answers), and Origin, or Referer when there is no
    Origin, names the host the request was sent to."""
    if request.headers.get(HEADER) != "1":
        return False
    sender = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(sender).netloc.lower() == host.lower()


def _checked_sender(database, request: Request, check: Callable[[object, Actor], None]) -> None:
    """Refuse (before the body is read) what is not from this site, not signed in, or not allowed (`check` raises
    as the services do, and the refusal is in the audit log)."""
    if not same_origin(request):
        raise Refused(403, "上传请求不是来自本系统的页面，已拒绝")
    with session(database()) as s:
        by = signed_in(s, request)
        if by is None:
            raise Refused(401, "请先登录后再上传")
        try:
            check(s, by)
        except (NotFound, AccessDenied) as exc:
            raise Refused(404 if isinstance(exc, NotFound) else 403, exc.message) from None


@contextmanager
def _spool():
    """A nameless temporary file under the data folder, closed (and so gone) when the block ends."""
    folder = settings().data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder) as spool:
        yield spool


async def _receive(request: Request, name: str, limit: int, spool: BinaryIO) -> None:
    """The body into `spool`, a chunk at a time, counted against `limit` as it arrives."""
    declared = request.headers.get("content-length")
    try:
        check_declared_size(name, int(declared) if declared and declared.isdigit() else None, limit)
    except AuditError as exc:
        raise Refused(413, exc.message) from None
    size, pending = 0, bytearray()
    try:
        async for piece in request.stream():
            size += len(piece)
            if size > limit:
                raise Refused(413, f"“{name}” 超过大小上限 {limit // MB} MB，未保存")
            pending += piece
            if len(pending) >= CHUNK:
                await run_in_threadpool(spool.write, bytes(pending))
                pending.clear()
    except ClientDisconnect:
        raise Refused(400, "上传中断，文件未保存") from None
    await run_in_threadpool(spool.write, bytes(pending))
    spool.seek(0)


async def _upload(database, request: Request, name: str, limit: int, check, use: Callable) -> JSONResponse:
    """The steps every upload route shares; `use(spool, by)` runs the use case in the thread pool and answers."""
    try:
        await run_in_threadpool(_checked_sender, database, request, check)  # database work off the event loop
        with _spool() as spool:
            await _receive(request, name, limit, spool)
            return await run_in_threadpool(_run, database, request, spool, use)
    except Refused as refusal:
        return _answer(name, False, refusal.message, refusal.status)
    except AuditError as exc:
        return _answer(name, False, exc.message, 400)


def _run(database, request: Request, spool: BinaryIO, use: Callable) -> JSONResponse:
    with session(database()) as s:
        by = signed_in(s, request)
        if by is None:  # the session ended while the file came in
            raise Refused(401, "登录已失效，请重新登录后再上传")
        return use(s, spool, by)


def _ints(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise Refused(400, "上传参数无效，请刷新页面后重试") from None


async def evidence_upload(database, request: Request) -> JSONResponse:
    engagement_id, query = request.path_params["engagement_id"], request.query_params
    name = query.get("name", "")
    try:
        codes, code, items = query.getlist("codes"), query.get("code", ""), _ints(query.getlist("items"))
        site = _ints([query["site"]])[0] if query.get("site") else None
    except Refused as refusal:
        return _answer(name, False, refusal.message, refusal.status)
    links = {c: set(items) if c == code else set() for c in codes}

    def use(s, spool: BinaryIO, by: Actor) -> JSONResponse:
        tree = tree_registry().get(get_engagement(s, engagement_id, by=by).tree_ref)
        result = upload_evidence(s, evidence_store(), engagement_id=engagement_id, name=name, stream=spool,
                                 tree=tree, links=links, by=by, max_bytes=_evidence_limit(),
                                 note=query.get("note", ""), site_id=site)
        return _answer(name, True, "内容相同的文件已存在，已补充关联" if result.duplicate else "已上传",
                       evidence_id=result.evidence.id, sha256=result.evidence.sha256)

    return await _upload(database, request, name, _evidence_limit(), _may_upload(engagement_id), use)


async def package_upload(database, request: Request) -> JSONResponse:
    """A client's document package (zip): each file mapped to clauses and stored as the page's import does
    (evidence.importing.import_package); the answer lists every file with its outcome."""
    engagement_id, name = request.path_params["engagement_id"], request.query_params.get("name", "")

    def use(s, spool: BinaryIO, by: Actor) -> JSONResponse:
        tree = tree_registry().get(get_engagement(s, engagement_id, by=by).tree_ref)
        size = spool.seek(0, 2)
        spool.seek(0)
        lines = import_package(s, evidence_store(), engagement_id=engagement_id, tree=tree, by=by,
                               entries=list(zip_entries(spool, size)), max_bytes=_evidence_limit())
        return _answer(name, True, f"资料包已处理，共 {len(lines)} 个文件",
                       lines=[{"path": x.path, "outcome": x.outcome, "detail": x.detail} for x in lines])

    return await _upload(database, request, name, _evidence_limit(), _may_upload(engagement_id), use)


def _may_upload(engagement_id: int) -> Callable[[object, Actor], None]:
    def check(s, by: Actor) -> None:
        require(s, by, Action.UPLOAD_EVIDENCE, engagement=get_engagement(s, engagement_id, by=by))
    return check


async def restore_upload(database, request: Request) -> JSONResponse:
    name = request.query_params.get("name", "")

    def check(s, by: Actor) -> None:
        require(s, by, Action.MANAGE_COMPANIES)

    def use(s, spool: BinaryIO, by: Actor) -> JSONResponse:
        restored = restore_engagement(s, evidence_store(), spool, tree_registry(), by=by, source=name)
        return _answer(name, True, f"已恢复为评价项目 {restored}", engagement_id=restored)

    return await _upload(database, request, name, MAX_BACKUP_ENTRY, check, use)


def _evidence_limit() -> int:
    return settings().max_upload_mb * MB


def routes(database) -> list[Route]:
    async def evidence(request: Request) -> JSONResponse:
        return await evidence_upload(database, request)

    async def package(request: Request) -> JSONResponse:
        return await package_upload(database, request)

    async def restore(request: Request) -> JSONResponse:
        return await restore_upload(database, request)

    return [Route("/uploads/evidence/{engagement_id:int}", evidence, methods=["POST"]),
            Route("/uploads/package/{engagement_id:int}", package, methods=["POST"]),
            Route("/uploads/restore", restore, methods=["POST"])]
