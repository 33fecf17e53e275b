"""Routes served beside the Streamlit app: the sign-in cookie set by the server's own answer, health checks, the
public certificate verification page (/verify, no login; web/verify_page.py), evidence downloads streamed
from the store (/files/<id>, checked per request; web/files.py) with the backups and archives the pages build,
and uploads streamed to the store through the same use cases the pages call (/uploads/..., web/uploads.py).

Signing in happens in the page (a Streamlit form); the page then sends the browser to /auth/session with a
one-time code, and this answer sets the session cookie (HttpOnly, SameSite=Strict, Secure when configured)
before redirecting back. The browser therefore holds the cookie before any later request leaves: nothing
depends on a page script having run.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from accounts.sessions import claim_handoff
from config import settings
from db import engine_for, schema_behind, session
from web import api, files, uploads
from web.verify_page import answer as verification_page

COOKIE = "audit_session"
ACTIVE = False  # set by serve.py: the page may rely on these routes


def safe_next(value: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    parts = urlsplit(value or "/")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _database():
    return engine_for(settings().effective_database_url)


async def adopt_session(request: Request) -> RedirectResponse:
    with session(_database()) as s:
        token = claim_handoff(s, request.query_params.get("code", ""))
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=settings().cookie_secure,
                            path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def leave(request: Request) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=settings().cookie_secure)
    return response


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    problems = []
    try:
        with _database().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; say which part
        problems.append(f"数据库不可用：{type(exc).__name__}")
    else:
        behind = schema_behind(_database())
        problems += [behind] if behind else []
    unreachable = files.store_problem()
    problems += [unreachable] if unreachable else []
    return JSONResponse({"status": "ok" if not problems else "unavailable", "problems": problems},
                        status_code=200 if not problems else 503)


def evidence_download(request: Request):
    """An evidence file, streamed, for the signed-in user who may read it (web/files.py); a plain function, so
    Starlette runs it and the store's reads in its thread pool."""
    return files.download_evidence(_database, request)


def backup_download(request: Request):
    """A backup file the page built, streamed from disk to whoever may back up the engagement (web/files.py)."""
    return files.download_built(_database, request, "backups")


def archive_download(request: Request):
    """An engagement's archive the page built (issued documents, evidence, manifest), streamed likewise."""
    return files.download_built(_database, request, "archives")


async def verify_certificate(request: Request) -> HTMLResponse:
    """The public verification page: the same answer (status 200) for an unknown number and a wrong code."""
    with session(_database()) as s:
        body = verification_page(s, request.query_params.get("no", "")[:200], request.query_params.get("code", "")[:200])
    return HTMLResponse(body, headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                                       "Referrer-Policy": "no-referrer"})


ROUTES = [Route("/auth/session", adopt_session), Route("/auth/logout", leave), Route("/healthz", healthz),
          Route("/readyz", readyz), Route("/verify", verify_certificate),
          Route("/files/{evidence_id:int}", evidence_download),
          Route("/backups/{engagement_id:int}/{token}", backup_download),
          Route("/archives/{engagement_id:int}/{token}", archive_download), *uploads.routes(_database),
          *api.routes(_database)]
