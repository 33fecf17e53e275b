"""The access matrix's rows for the JSON API (tests/services/test_access_matrix.py): each engagement endpoint and
the certificate endpoint, through HTTP with a token of the user. A 404 (what the user may not see answers as if it
did not exist) is raised as the refusal the service logged. The list of engagements refuses nothing: it is
filtered, and tests/services/test_api.py compares it with the product's list for each role."""
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from accounts.tokens import create_token
from cycle.models import Certificate
from errors import AccessDenied
from tests import cycle_rows as rows
from tests.services.access_certificates import DECIDED
from web import api


def call(db, by, path: str) -> dict:
    """GET `path` under /api/v1 as the actor, with a new token of theirs; AccessDenied on 404."""
    _, secret = create_token(db, name="访问矩阵", by=by)
    engine = db.get_bind()
    with TestClient(Starlette(routes=api.routes(lambda: engine))) as client:
        answer = client.get(api.BASE + path, headers={"Authorization": f"Bearer {secret}"})
    if answer.status_code == 404:
        raise AccessDenied("您没有权限查看：" + answer.json()["error"])
    assert answer.status_code == 200, answer.text
    return answer.json()


def _certified(db, e):
    from records.models import Engagement
    rows.certificate(db, db.get(Engagement, e), DECIDED)


def _number(db, e) -> str:
    return db.exec(select(Certificate.number).where(Certificate.engagement_id == e)).first()


API_ACTIONS = {
    "API: an engagement": lambda db, w, by, who, e, c: call(db, by, f"/engagements/{e}"),
    "API: an engagement's snapshot": lambda db, w, by, who, e, c: call(db, by, f"/engagements/{e}/snapshot"),
    "API: an engagement's nonconformities": lambda db, w, by, who, e, c: call(
        db, by, f"/engagements/{e}/nonconformities"),
    "API: a certificate's state": lambda db, w, by, who, e, c: call(db, by, f"/certificates/{_number(db, e)}"),
}
API_PREPARE = {"API: a certificate's state": _certified}
API_EXPECTED = {
    "API: an engagement":                    {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "API: an engagement's snapshot":         {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "API: an engagement's nonconformities":  {"admin": "YY", "zhang": "YN", "chen": "YN", "client": "YN"},
    "API: a certificate's state":            {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "YN"},
}
