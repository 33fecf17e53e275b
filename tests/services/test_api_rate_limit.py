"""The API's rate limit through HTTP: per token, and per address for requests without a valid token; 429 in
Chinese with Retry-After; a flood of guessed tokens stops reaching the database."""
import json

import pytest
from pydantic import ValidationError
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.tokens import create_token
from config import Settings
from web import api


def client_for(engine, per_minute):
    return TestClient(Starlette(routes=api.routes(lambda: engine, per_minute=per_minute)))


def get(client, secret=None):
    return client.get(api.BASE + "/engagements", headers={"Authorization": f"Bearer {secret}"} if secret else {})


def refused_tokens(db):
    return len(db.exec(select(AuditEvent).where(AuditEvent.action == Event.TOKEN_REFUSED)).all())


def assert_too_many(answer):
    assert answer.status_code == 429
    seconds = int(answer.headers["retry-after"])
    assert 1 <= seconds <= 60
    assert json.loads(answer.content.decode("utf-8"))["error"] == f"请求过于频繁，请在 {seconds} 秒后重试"


def test_a_token_over_its_limit_is_told_to_wait_and_other_tokens_go_on(db, engine, people):
    _, users = people
    _, zhang = create_token(db, name="看板", by=users["zhang"])
    _, li = create_token(db, name="报表", by=users["li"])
    with client_for(engine, 3) as client:
        assert [get(client, zhang).status_code for _ in range(3)] == [200, 200, 200]
        assert_too_many(get(client, zhang))
        assert get(client, li).status_code == 200  # its own bucket


def test_requests_without_a_valid_token_are_limited_by_address_before_the_database(db, engine, people):
    _, users = people
    _, known = create_token(db, name="看板", by=users["zhang"])
    with client_for(engine, 3) as client:
        assert get(client, known).status_code == 200
        answers = [get(client).status_code, get(client, "gbt_guessed-1").status_code,
                   get(client, "gbt_guessed-2").status_code]
        assert answers == [401, 401, 401]
        refused = refused_tokens(db)
        for guess in range(5):
            assert_too_many(get(client, f"gbt_guessed-{guess + 3}"))
        assert_too_many(get(client))
        assert refused_tokens(db) == refused  # no more lookups, no more audit rows
        assert get(client, known).status_code == 200  # a token already seen valid is not held up by its address


def test_the_limit_is_a_setting_and_in_the_openapi_description(monkeypatch):
    assert Settings.model_fields["api_requests_per_minute"].default == 120
    monkeypatch.setenv("AUDIT_API_REQUESTS_PER_MINUTE", "0")
    with pytest.raises(ValidationError, match="api_requests_per_minute"):
        Settings()
    responses = api.openapi()["paths"]["/engagements"]["get"]["responses"]
    assert "429" in responses
