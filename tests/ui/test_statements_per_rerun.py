"""AppTest: how many SQL statements a rerun sends, a regression guard for the pages every click reruns (the
benchmark counts the same on a large engagement: bench/statements.py). A panel that reads for itself what the
page has already read shows here as a count above the limit."""
import contextlib
from collections import Counter

from sqlalchemy import event

from bench.statements import fragment_scoped
from config import settings
from db import engine_for
from tests.ui.conftest import go

DASHBOARD, WORKSPACE = "ui/views/dashboard.py", "ui/views/workspace.py"
INITIAL = 2  # the demo's initial certification, led by 张审查
LIMIT = 8  # statements per dashboard rerun where nothing changed (bench/interface.py STATEMENTS)
WORKSPACE_LIMIT = 16  # a workspace rerun before the per-site work and the registers were added


@contextlib.contextmanager
def statements():
    """Every statement the app's engine executes inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()))
    engine = engine_for(settings().effective_database_url)  # the engine the app caches (ui/state.py)
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_dashboard_rerun_where_nothing_changed_stays_within_the_limit(signed_in):
    at = go(signed_in("zhang"), DASHBOARD, engagement=INITIAL)
    with statements() as seen:
        at.run()
    assert not at.exception, at.exception
    assert len(seen) <= LIMIT, briefly(seen)


def test_a_workspace_rerun_reads_nothing_twice(signed_in):
    at = go(signed_in("zhang"), WORKSPACE, engagement=INITIAL)
    with statements() as seen:
        at.run()
    assert not at.exception, at.exception
    assert len(seen) <= WORKSPACE_LIMIT, briefly(seen)
    assert [sql for sql, n in Counter(seen).items() if n > 1] == [], briefly(seen)


def test_a_rerun_of_the_workspace_fragment_alone_shares_its_reads_across_the_panels(signed_in):
    """The fragment's rerun does not pass the app's top, where the page run's reads are shared."""
    at = go(signed_in("zhang"), WORKSPACE, engagement=INITIAL)
    with statements() as seen, fragment_scoped(at):
        at.run()
    assert not at.exception, at.exception
    assert [sql for sql, n in Counter(seen).items() if n > 1] == [], briefly(seen)
    assert sum(sql.startswith("SELECT engagement.") for sql in seen) == 1, briefly(seen)


def test_a_save_in_the_workspace_fragment_reads_the_user_and_their_team_role_once(signed_in):
    """保存's callback checks access before the fragment reruns; the save writes neither, so the fragment's panels
    reuse what the callback read, and read again only the engagement the save moved."""
    at = go(signed_in("zhang"), WORKSPACE, engagement=INITIAL)
    at.button(key="goto-5.3.1.a").click().run()
    at.radio(key="result-2-5.3.1.a").set_value("nonconform")
    at.text_area(key="finding-2-5.3.1.a").set_value("回访记录缺失")
    at.button(key="save-2-5.3.1.a").click()
    with statements() as seen, fragment_scoped(at):
        at.run()
    assert not at.exception, at.exception
    assert any(sql.startswith("UPDATE clauserating") for sql in seen), briefly(seen)
    read = Counter(sql.split(" FROM ")[1].split()[0].strip('"') for sql in seen if sql.startswith("SELECT"))
    assert (read["user"], read["teammember"], read["engagement"]) == (1, 1, 2), read


def briefly(seen: list[str]) -> Counter:
    return Counter(" ".join(sql.split()[:4]) for sql in seen)
