"""The one-time code a browser exchanges for its session cookie: once, and only shortly after signing in."""
from datetime import timedelta

import pytest

from accounts.sessions import HANDOFF_TIME, claim_handoff, resume_session, start_handoff
from accounts.users import create_user
from records.models import utcnow
from tests.factories import actor
from web.routes import safe_next

IDLE = timedelta(minutes=30)


@pytest.fixture
def user(db):
    return create_user(db, username="zhang", display_name="张审查", role="assessor", password="a-long-password-1",
                       by=actor())


def test_the_code_gives_a_new_token_once_and_the_pages_token_stops_working(db, user):
    token, code = start_handoff(db, user)
    assert resume_session(db, token, idle=IDLE).id == user.id
    cookie = claim_handoff(db, code)
    assert cookie and cookie not in (token, code)
    assert resume_session(db, cookie, idle=IDLE).id == user.id
    assert resume_session(db, token, idle=IDLE) is None  # replaced: a token seen before is worth nothing
    assert claim_handoff(db, code) is None


def test_a_late_code_is_refused(db, user):
    _, code = start_handoff(db, user)
    assert claim_handoff(db, code, now=utcnow() + HANDOFF_TIME + timedelta(seconds=1)) is None


@pytest.mark.parametrize("given, kept", [("/dashboard?engagement=2", "/dashboard?engagement=2"), (None, "/"),
                                         ("https://evil.example/x", "/"), ("//evil.example", "/"),
                                         ("javascript:alert(1)", "/"), ("/a?x=1&y=2", "/a?x=1&y=2")])
def test_the_way_back_stays_on_this_site(given, kept):
    assert safe_next(given) == kept
