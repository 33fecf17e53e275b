"""Personal API tokens and the read-only JSON API (/api/v1), through HTTP on a real database."""
import hashlib
import json
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.token_models import ApiToken
from accounts.tokens import create_token, list_tokens, revoke_token, token_actor
from accounts.users import actor_of, create_user, set_active
from audits.engagements import list_engagements
from errors import AccessDenied, InvalidInput
from nonconformities.services import raise_nonconformity
from records.models import utcnow
from tests.factories import actor, default_tree
from vocabulary import KIND_LABELS, STATUS_LABELS, TEAM_ROLE_LABELS, EngagementKind, TeamRole
from web import api

SYSTEM = actor("系统")


@pytest.fixture
def client(engine):
    with TestClient(Starlette(routes=api.routes(lambda: engine))) as c:
        yield c


def get(client, path, secret=None):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.get(api.BASE + path, headers=headers)


def events(db, action):
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_token_is_shown_once_stored_as_its_hash_and_audited(db, people):
    _, users = people
    row, secret = create_token(db, name="ERP 对接", by=users["zhang"])
    stored = db.get(ApiToken, row.id)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in stored.prefix + stored.name
    assert secret.startswith("gbt_") and len(secret) > 40 and secret.startswith(row.prefix)
    assert [e.detail for e in events(db, Event.TOKEN_CREATED)] == ["ERP 对接"]
    assert [t.name for t in list_tokens(db, by=users["zhang"])] == ["ERP 对接"]
    assert list_tokens(db, by=users["li"]) == []


def test_a_token_needs_a_name(db, people):
    _, users = people
    with pytest.raises(InvalidInput, match="令牌名称"):
        create_token(db, name="  ", by=users["zhang"])
    assert db.exec(select(ApiToken)).all() == []


def test_the_api_answers_the_tokens_user_in_utf8_with_labels(db, people, client):
    engagement, users = people
    _, secret = create_token(db, name="看板", by=users["zhang"])
    answer = get(client, f"/engagements/{engagement.id}", secret)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    body = json.loads(answer.content.decode("utf-8"))
    assert body["kind"] == "initial" and body["kind_label"] == KIND_LABELS[EngagementKind.INITIAL]
    assert KIND_LABELS[EngagementKind.INITIAL].encode() in answer.content  # raw UTF-8, not \\u escapes
    assert body["status_label"] == STATUS_LABELS[engagement.status]
    assert body["assessment"]["engagement"]["id"] == engagement.id
    assert body["result"]["star_label"] and body["result"]["rated"] == body["result"]["applicable_clauses"]
    assert {m["role_label"] for m in body["team"]} == {TEAM_ROLE_LABELS[TeamRole.LEAD_ASSESSOR],
                                                        TEAM_ROLE_LABELS[TeamRole.ASSESSOR]}
    assert "\\u" not in answer.text


def test_the_list_is_the_products_list_for_the_user(db, people, client):
    engagement, users = people
    for name in ("zhang", "client"):
        _, secret = create_token(db, name="列表", by=users[name])
        listed = get(client, "/engagements", secret).json()["engagements"]
        assert [e["id"] for e in listed] == [r.engagement.id for r in list_engagements(db, by=users[name])]
        assert [e["id"] for e in listed] == [engagement.id]


def test_nonconformities_and_snapshot(db, people, client):
    engagement, users = people
    raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=default_tree(),
                        finding="改进措施未验证效果", by=users["zhang"])
    _, secret = create_token(db, name="不符合项", by=users["client"])
    ncs = get(client, f"/engagements/{engagement.id}/nonconformities", secret).json()["nonconformities"]
    assert [(n["number"], n["severity_label"], n["state_label"]) for n in ncs] == [(1, "一般不符合", "待整改")]
    snapshot = get(client, f"/engagements/{engagement.id}/snapshot", secret).json()
    assert snapshot["engagement"]["id"] == engagement.id and snapshot["nonconformities"]


def test_without_or_with_a_bad_token_401(db, people, client):
    engagement, _ = people
    for secret in (None, "gbt_not-a-token", "something-else"):
        answer = get(client, f"/engagements/{engagement.id}", secret)
        assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Bearer")
        assert "令牌" in answer.json()["error"]
    assert len(events(db, Event.TOKEN_REFUSED)) == 2  # the two tokens that were presented


def test_what_the_user_may_not_see_looks_like_what_does_not_exist(db, people, client):
    engagement, users = people
    other = create_user(db, username="wu", display_name="吴审查", role="assessor", password="a-long-password-1",
                        by=SYSTEM)
    _, secret = create_token(db, name="x", by=actor_of(other))
    hidden, missing = get(client, f"/engagements/{engagement.id}", secret), get(client, "/engagements/99999", secret)
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert get(client, "/certificates/NO-SUCH-1", secret).json() == missing.json()
    assert events(db, Event.REFUSED)  # the refusal is still logged
    assert get(client, "/engagements", secret).json() == {"engagements": []}


def test_revoked_and_disabled_users_tokens_are_dead(db, people, client):
    engagement, users = people
    path = f"/engagements/{engagement.id}"
    row, secret = create_token(db, name="一", by=users["zhang"])
    assert get(client, path, secret).status_code == 200
    revoke_token(db, token_id=row.id, by=users["zhang"])
    assert get(client, path, secret).status_code == 401
    _, second = create_token(db, name="二", by=users["zhang"])
    set_active(db, user_id=users["zhang"].user_id, active=False, by=SYSTEM)
    assert get(client, path, second).status_code == 401
    assert [e.detail for e in events(db, Event.TOKEN_REFUSED)] == ["令牌已撤销", "用户已停用"]


def test_only_the_owner_or_an_administrator_revokes(db, people):
    _, users = people
    admin = actor_of(create_user(db, username="root", display_name="管理员", role="admin",
                                 password="a-long-password-1", by=SYSTEM))
    row, _ = create_token(db, name="一", by=users["zhang"])
    with pytest.raises(AccessDenied):
        revoke_token(db, token_id=row.id, by=users["li"])
    with pytest.raises(AccessDenied):
        list_tokens(db, by=users["li"], everyone=True)
    assert [t.username for t in list_tokens(db, by=admin, everyone=True)] == ["zhang"]
    revoked = revoke_token(db, token_id=row.id, by=admin)
    assert revoked.revoked_by == "root" and revoked.revoked_at is not None
    revoke_token(db, token_id=row.id, by=admin)  # twice: nothing more happens
    assert [e.detail for e in events(db, Event.TOKEN_REVOKED)] == ["zhang：一"]


def test_last_use_is_recorded(db, people):
    _, users = people
    row, secret = create_token(db, name="一", by=users["zhang"])
    assert token_actor(db, secret).user_id == users["zhang"].user_id
    first = db.get(ApiToken, row.id).last_used_at
    assert first is not None
    token_actor(db, secret, now=first + timedelta(minutes=5))
    db.expire_all()
    assert db.get(ApiToken, row.id).last_used_at > first
    assert list_tokens(db, by=users["zhang"])[0].last_used_at is not None
    assert utcnow() - first < timedelta(minutes=1)


def test_the_api_is_read_only(db, people, client):
    engagement, users = people
    _, secret = create_token(db, name="一", by=users["zhang"])
    answer = client.post(api.BASE + f"/engagements/{engagement.id}", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 405


def test_the_openapi_description_names_every_route(client):
    description = client.get(api.BASE + "/openapi.json").json()
    assert description["openapi"].startswith("3.")
    routed = {r.path.removeprefix(api.BASE) for r in api.routes(lambda: None)} - {"/openapi.json"}
    assert set(description["paths"]) == {p.replace(":int}", "}").replace(":path}", "}") for p in routed}
    assert all(op["get"]["security"] == [{"token": []}] for op in description["paths"].values())
