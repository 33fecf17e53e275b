"""The read-only JSON API under /api/v1: personal tokens (Authorization: Bearer), one route table, OpenAPI.

Every answer is read through the services with the token's user as the actor, so the API shows exactly what the
product shows that user. Without a token, or with an unknown, revoked or dead one: 401. What the user may not see
answers 404 with the same body as what does not exist, so a caller learns nothing of other companies' records
(the refusal is still written to the audit log). Only GET is routed (anything else: 405). The OpenAPI 3
description is generated from the same table (`ENDPOINTS`) that builds the routes.

Rate limit (web/ratelimit.py, per replica): each token may send AUDIT_API_REQUESTS_PER_MINUTE requests a minute
(a burst of as many), requests without a valid token count against the caller's address; over it: 429 with
Retry-After. An address whose unauthenticated requests ran out is refused before the database is asked, except
for tokens already seen valid in this process, so a flood of guessed tokens costs no lookups or audit rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from accounts.tokens import digest, token_actor
from config import settings
from db import session
from errors import AccessDenied, InvalidInput, NotFound
from web import api_views
from web.ratelimit import RateLimit

BASE = "/api/v1"
JSON = "application/json; charset=utf-8"
NOT_VISIBLE = "未找到，或您无权查看"
NO_TOKEN = "需要有效的 API 令牌（Authorization: Bearer <令牌>），请在“我的账户”中创建"
TOO_MANY = "请求过于频繁，请在 {seconds} 秒后重试"


@dataclass(frozen=True)
class Endpoint:
    path: str                      # under BASE, with Starlette's typed parameters
    read: Callable                 # (session, actor, **path parameters) -> JSON-ready data
    summary: str
    parameters: tuple[tuple[str, str, str], ...] = ()  # (name, OpenAPI type, description)
    returns: str = "object"        # the answer's top-level key, or "object"


ENGAGEMENT_ID = (("engagement_id", "integer", "评价项目编号"),)
ENDPOINTS = (
    Endpoint("/engagements", api_views.engagements, "当前用户可查看的评价项目", returns="engagements"),
    Endpoint("/engagements/{engagement_id:int}", api_views.engagement, "评价项目及其评分、星级和评价记录",
             ENGAGEMENT_ID),
    Endpoint("/engagements/{engagement_id:int}/snapshot", api_views.snapshot,
             "评价项目快照（docs/snapshot-format.md）", ENGAGEMENT_ID),
    Endpoint("/engagements/{engagement_id:int}/nonconformities", api_views.nonconformities, "评价项目的不符合项",
             ENGAGEMENT_ID, returns="nonconformities"),
    Endpoint("/certificates/{number:path}", api_views.certificate, "证书状态（当前用户可查看的证书）",
             (("number", "string", "证书编号"),)),
)


def _answer(body: dict, status: int = 200, **headers) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=JSON,
                        headers={"Cache-Control": "no-store", **headers})


def bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _too_many(seconds: int) -> JSONResponse:
    return _answer({"error": TOO_MANY.format(seconds=seconds)}, 429, **{"Retry-After": str(seconds)})


def _handler(endpoint: Endpoint, database: Callable[[], Engine], limiter: Callable[[], RateLimit], known: set):
    def answer(request: Request) -> JSONResponse:  # sync: Starlette runs it in its thread pool
        limit = limiter()
        secret = bearer(request)[:200]
        address = ("address", request.client.host if request.client else "")
        token = ("token", digest(secret)) if secret else None
        unauthorised = _answer({"error": NO_TOKEN}, 401, **{"WWW-Authenticate": 'Bearer realm="api"'})
        if token not in known and (wait := limit.wait(address)):
            return _too_many(wait)  # this address keeps failing: refused before the database is asked
        if token is None:
            return _too_many(wait) if (wait := limit.take(address)) else unauthorised
        if wait := limit.take(token):
            return _too_many(wait)
        with session(database()) as s:
            by = token_actor(s, secret)
            if by is None:
                known.discard(token)
                return _too_many(wait) if (wait := limit.take(address)) else unauthorised
            known.add(token)
            try:
                return _answer(endpoint.read(s, by, **request.path_params))
            except (AccessDenied, NotFound):
                return _answer({"error": NOT_VISIBLE}, 404)
            except InvalidInput as exc:
                return _answer({"error": exc.message}, 400)
    return answer


def openapi() -> dict:
    """The OpenAPI 3 description of ENDPOINTS."""
    error = {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

    def operation(endpoint: Endpoint) -> dict:
        return {"summary": endpoint.summary, "security": [{"token": []}],
                "parameters": [{"name": name, "in": "path", "required": True, "description": text,
                                "schema": {"type": kind}} for name, kind, text in endpoint.parameters],
                "responses": {"200": {"description": "成功", "content": {"application/json": {"schema": {
                    "type": "object"} | ({"required": [endpoint.returns]} if endpoint.returns != "object" else {})}}},
                              "401": error | {"description": "缺少令牌，或令牌无效、已撤销、用户已停用"},
                              "404": error | {"description": NOT_VISIBLE},
                              "429": error | {"description": "请求过于频繁，按 Retry-After 的秒数后重试"}}}

    def plain(path: str) -> str:
        return path.replace(":int}", "}").replace(":path}", "}")

    return {
        "openapi": "3.0.3",
        "info": {"title": "GB/T 27922 售后服务认证评价 API", "version": "1",
                 "description": "只读接口：以令牌所属用户的当前权限返回其可查看的数据。"},
        "servers": [{"url": BASE}],
        "paths": {plain(e.path): {"get": operation(e)} for e in ENDPOINTS},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "个人 API 令牌"}},
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "string"}}}},
        },
    }


def routes(database: Callable[[], Engine], per_minute: int | None = None) -> list[Route]:
    """The API's routes, reading from the engine `database()` returns, each token (or address without a valid
    one) limited to `per_minute` requests (default: AUDIT_API_REQUESTS_PER_MINUTE), in this process."""
    known: set = set()  # tokens that were valid here: their address's failures do not hold them up

    @cache
    def limit() -> RateLimit:  # on the first request: importing the routes reads no settings
        return RateLimit(per_minute or settings().api_requests_per_minute)

    def description(request: Request) -> JSONResponse:
        return _answer(openapi())
    return [Route(BASE + "/openapi.json", description, methods=["GET"])] + [
        Route(BASE + e.path, _handler(e, database, limit, known), methods=["GET"]) for e in ENDPOINTS]
