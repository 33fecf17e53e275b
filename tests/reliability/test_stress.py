"""Twenty simulated users on one engagement, on SQLite (WAL) and PostgreSQL: nothing accepted is lost."""
import json
import os

from reliability.stress import run
from tests.factories import default_tree

SECONDS = float(os.environ.get("AUDIT_STRESS_SECONDS", "4"))


def test_twenty_concurrent_users_lose_nothing(engine, tmp_path, capsys):
    from evidence.store import LocalBlobStore
    figures = run(engine, default_tree(), LocalBlobStore(tmp_path / "evidence"), workers=20, seconds=SECONDS)
    summary = figures.summary()
    with capsys.disabled():
        print(f"\n[{engine.dialect.name}] {json.dumps(summary, ensure_ascii=False)}")
    assert figures.failed == [], figures.failed[:5]
    assert figures.lost == [], figures.lost[:5]
    assert summary["accepted"] > 20 and summary["refused_stale"] > 0  # real contention happened


def test_the_reconciliation_reports_an_accepted_operation_the_database_lacks(engine, tmp_path):
    from evidence.store import LocalBlobStore
    from reliability.stress import reconcile
    store = LocalBlobStore(tmp_path / "evidence")
    figures = run(engine, default_tree(), store, workers=2, seconds=0.5)
    assert figures.lost == []
    figures.saves["5.3.2.d"].append((99, "a save the database never saw"))
    figures.uploads.append(("0" * 64, "5.1.1.1"))
    nc_id = next(iter(figures.moves), 1)
    figures.moves[nc_id].append((len(figures.moves[nc_id]) + 1, "submitted"))  # a step the history lacks
    reconcile(engine, store, 1, figures)
    assert len(figures.lost) == 3 and figures.lost[-1].startswith(f"nonconformity {nc_id}:")
