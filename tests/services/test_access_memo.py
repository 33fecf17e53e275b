"""What the access checks keep between the use cases of one page run (accounts/access.py remember_per_run): a
commit keeps the user and their team role unless it wrote them, and always drops the engagements read."""
import contextlib
import re
from collections import Counter

import pytest
from sqlalchemy import event

from accounts.access import remember_per_run
from accounts.users import set_active
from audits.engagements import get_engagement
from audits.ratings import RatingEntry, get_rating, rate_clause
from db import session
from errors import AccessDenied
from tests.services.conftest import SYSTEM, TREE

FROM = re.compile(r'^SELECT\b.*?\bFROM\s+"?(\w+)', re.S)


@contextlib.contextmanager
def tables_read(engine):
    """The table of every SELECT the engine executes inside the block, counted."""
    seen = Counter()

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if found := FROM.match(statement):
            seen[found.group(1)] += 1
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_saved_rating_keeps_the_user_and_their_team_role_but_not_the_engagement(db, engine, people):
    engagement, by = people
    with remember_per_run():
        before = get_engagement(db, engagement.id, by=by["zhang"]).revision
        version = get_rating(db, engagement.id, "5.1.1.1", by=by["zhang"]).version
        rate_clause(db, engagement_id=engagement.id, code="5.1.1.1", entry=RatingEntry("nonconform", finding="无"),
                    expected_version=version, tree=TREE, by=by["zhang"])
        with tables_read(engine) as seen, session(engine) as panel:  # the next panel of the page, as the UI does
            revision = get_engagement(panel, engagement.id, by=by["zhang"]).revision
    assert revision == before + 1  # the engagement the save moved is read again
    assert seen == {"engagement": 1}


def test_a_user_deactivated_in_the_run_is_refused_at_the_next_check(db, people):
    engagement, by = people
    with remember_per_run():
        get_engagement(db, engagement.id, by=by["li"])
        set_active(db, user_id=by["li"].user_id, active=False, by=SYSTEM)
        with pytest.raises(AccessDenied):
            get_engagement(db, engagement.id, by=by["li"])
