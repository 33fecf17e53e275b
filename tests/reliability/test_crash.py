"""SIGKILL at random moments during saves, uploads, imports and restores; then the database is checked."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import make_engine, migrate, session
from dossier.backup import backup_engagement
from dossier.demo import load_demo_if_empty
from evidence.store import LocalBlobStore
from reliability.crash import check
from tests.factories import actor, default_tree

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("AUDIT_CRASH_KILLS", "3"))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash-template")
    engine = make_engine(f"sqlite:///{folder}/audit.db")
    migrate(engine)
    with session(engine) as s:
        load_demo_if_empty(s, default_tree())
        (folder / "backup.zip").write_bytes(backup_engagement(s, LocalBlobStore(folder / "evidence"), 2,
                                                              default_tree(), by=actor()))
    engine.dispose()
    return folder


@pytest.mark.parametrize("mode", ["rate", "upload", "import", "restore"])
def test_a_kill_at_any_moment_leaves_a_consistent_database(template, tmp_path, mode, capsys):
    rng, inconsistencies, done = random.Random(mode), [], 0
    folder = tmp_path / "work"
    shutil.copytree(template, folder)
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-m", "reliability.crash", mode, str(folder)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(1.5, 4.0))
        alive = proc.poll() is None
        if alive:  # a worker that stopped by itself is reaped already: there is nothing to kill
            os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        assert alive, f"the worker stopped by itself:\n{err[-2000:]}"
        lines = out.splitlines()
        reported = lines if out.endswith("\n") else lines[:-1]  # a line the kill cut short was not seen whole
        inconsistencies += check(mode, folder, reported)
        done += len(reported)
        LocalBlobStore(folder / "evidence").sweep()  # what the app does at its next start
    with capsys.disabled():
        print(f"\n[crash {mode}] kills {KILLS}, operations completed {done}, inconsistencies {len(inconsistencies)}")
    assert inconsistencies == [] and done > 0


def test_the_import_check_tells_a_partial_import_from_one_not_yet_committed(template, tmp_path):
    """A kill before the first import commits leaves the demo's own, differing findings: that is not partial."""
    from sqlmodel import select

    from records.models import ClauseRating
    folder = tmp_path / "work"
    shutil.copytree(template, folder)
    assert check("import", folder, []) == []
    engine = make_engine(f"sqlite:///{folder}/audit.db")
    with session(engine) as s:
        rows = s.exec(select(ClauseRating).where(ClauseRating.engagement_id == 1)).all()
        for row in rows[:5]:
            row.finding = "import-0"
            s.add(row)
        s.commit()
    engine.dispose()
    assert check("import", folder, [])[0].startswith("a partly applied import")
