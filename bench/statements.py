"""Statements the app sends to the database in one AppTest run, counted by a SQLAlchemy `before_cursor_execute`
listener on the app's engine, and grouped by what they do (the SQL's first word and its table)."""
from __future__ import annotations

import contextlib
import functools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from streamlit.testing.v1 import AppTest, local_script_runner

from bench.apptest import app_environment, open_page, signed_in
from vocabulary import ClauseStatus

TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.I)
WRITES = ("INSERT", "UPDATE", "DELETE")


@contextlib.contextmanager
def statements(engine) -> Iterator[list[str]]:
    """The SQL of every statement executed on `engine` inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def kind(sql: str) -> str:
    """'SELECT user', 'UPDATE clauserating', 'INSERT ratingchange': what a statement does, and to which table."""
    verb = sql.split(maxsplit=1)[0].upper()
    table = TABLE.search(sql)
    return f"{verb} {table.group(1)}" if table else verb


def breakdown(seen: list[str]) -> str:
    return ", ".join(f"{what} ×{n}" for what, n in Counter(map(kind, seen)).most_common())


@contextlib.contextmanager
def fragment_scoped(at: AppTest) -> Iterator[None]:
    """Make the next `at.run()` rerun only the page's fragment, as the browser does after a click inside it
    (AppTest itself always reruns the whole page). Streamlit keeps no public list of a session's fragments, so
    this reads AppTest's store; the workspace has exactly one."""
    fragments = list(at._fragment_storage._fragments)
    if len(fragments) != 1:
        raise RuntimeError(f"expected the workspace's one fragment, found {len(fragments)}")
    original = local_script_runner.RerunData
    local_script_runner.RerunData = functools.partial(original, fragment_id=fragments[0])
    try:
        yield
    finally:
        local_script_runner.RerunData = original


def _press_save(at: AppTest) -> None:
    """Rate the open clause the other way round and press its 保存, so the save writes."""
    result = next((r for r in at.radio if (r.key or "").startswith("result-")), None)
    save = next((b for b in at.button if (b.key or "").startswith("save-")), None)
    if result is None or save is None:
        raise RuntimeError("the workspace's clause form (keys result-… and save-…) was not found")
    result.set_value(ClauseStatus.NONCONFORM if result.value == ClauseStatus.CONFORM else ClauseStatus.CONFORM)
    save.click()


def statement_counts(folder: Path, engagement_id: int) -> dict[str, list[str]]:
    """The statements of: opening the workspace in a new session; rerunning it with nothing changed; a save
    through the workspace's fragment; a dashboard rerun where nothing changed (after opening it)."""
    with app_environment(folder):
        from config import settings
        from db import engine_for  # the engine the app caches (ui/state.py) is this one
        engine = engine_for(settings().effective_database_url)
        at = signed_in(engagement_id)
        counted = {}
        with statements(engine) as counted["workspace"]:
            open_page(at, "workspace")
        with statements(engine) as counted["workspace rerun"]:
            at.run()
        _press_save(at)
        with statements(engine) as counted["save"], fragment_scoped(at):
            at.run()
        if at.exception or not any(kind(sql).startswith(WRITES) for sql in counted["save"]):
            raise RuntimeError(f"the save in the workspace did not write: {at.exception}")
        open_page(at, "dashboard")
        with statements(engine) as counted["dashboard"]:
            at.run()
    return counted
