"""A whole-installation backup taken while users write, restored elsewhere, is consistent and complete."""
import io
import threading

import pytest
from sqlalchemy import text

from audits.ratings import RatingEntry, get_rating, rate_clause
from db import make_engine, migrate, session
from dossier.assessment import engagement_result
from dossier.demo import load_demo_if_empty
from errors import InvalidInput
from evidence.services import list_evidence, upload_evidence
from evidence.store import LocalBlobStore
from ops.installation import backup_installation, restore_installation
from tests.factories import actor, default_tree

TREE = default_tree()


def test_backup_while_writing_then_restore_into_an_empty_installation(tmp_path):
    url = f"sqlite:///{tmp_path}/live/audit.db"
    engine = make_engine(url)
    migrate(engine)
    store = LocalBlobStore(tmp_path / "live" / "evidence")
    with session(engine) as s:
        load_demo_if_empty(s, TREE)
    stop, busy = threading.Event(), threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            if n == 10:
                busy.set()
            with session(engine) as s:
                code = TREE.leaves()[n % 39].code
                rate_clause(s, engagement_id=2, code=code, entry=RatingEntry("conform", finding=f"w{n}"),
                            expected_version=get_rating(s, 2, code, by=actor()).version, tree=TREE, by=actor())
                upload_evidence(s, store, engagement_id=2, name=f"{n}.txt", stream=io.BytesIO(f"{n}".encode()),
                                tree=TREE, links={code: set()}, by=actor(), max_bytes=1024)
    thread = threading.Thread(target=writer)
    thread.start()
    assert busy.wait(60)  # the backup is taken while the writer is at work
    try:
        folder = backup_installation(url, store.root, tmp_path / "backups")
    finally:
        stop.set()
        thread.join()
    engine.dispose()
    target_url = f"sqlite:///{tmp_path}/restored/audit.db"
    restore_installation(folder, target_url, tmp_path / "restored" / "evidence")
    restored = make_engine(target_url)
    migrate(restored)
    with session(restored) as s:
        assert s.connection().execute(text("PRAGMA integrity_check")).scalar() == "ok"
        restored_store = LocalBlobStore(tmp_path / "restored" / "evidence")
        files = list_evidence(s, 2, by=actor())
        assert files and all(restored_store.exists(e.sha256) for e in files)
        result = engagement_result(s, 2, TREE, by=actor())
        assert result.rated == result.applicable_clauses
    restored.dispose()
    with pytest.raises(InvalidInput, match="只能恢复到空的安装位置"):
        restore_installation(folder, target_url, tmp_path / "restored" / "evidence")
