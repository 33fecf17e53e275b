"""Back up an engagement, restore it into an empty installation: same score, nonconformities, history, hashes."""
import io
import zipfile

import pytest

from criteria.registry import TreeRegistry
from db import make_engine, migrate, session
from dossier.assessment import engagement_result
from dossier.backup import backup_engagement, restore_engagement
from dossier.demo import load_demo_if_empty
from dossier.snapshot import build_snapshot
from errors import InvalidInput
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from exports.context import build_report_context
from tests.factories import actor, default_tree

TREE = default_tree()


@pytest.fixture
def other_installation(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/other/audit.db")
    migrate(engine)
    with session(engine) as s:
        yield s, LocalBlobStore(tmp_path / "other" / "evidence")
    engine.dispose()


def comparable(s, engagement_id) -> dict:
    snap = build_snapshot(s, engagement_id, TREE, by=actor())
    return {"score": str(engagement_result(s, engagement_id, TREE, by=actor()).score),
            "report_score": build_report_context(snap, TREE).score,
            "ratings": snap["ratings"], "exclusions": snap["exclusions"],
            "ncs": [(n["number"], n["severity"], n["status"], [(h["event"], h["by"]) for h in n["history"]])
                    for n in snap["nonconformities"]],
            "evidence": sorted((e["name"], e["sha256"], tuple(e["codes"])) for e in snap["evidence"]),
            "history": [(h["code"], h["version"], h["by"], h["after"]) for h in snap["rating_history"]],
            "specials": [(d["reason"], d["category"]) for d in snap["special_deductions"] + snap["special_bonus"]],
            "company": snap["company"]["name"], "sites": [s["name"] for s in snap["sites"]]}


def test_backup_and_restore_into_an_empty_installation_keeps_everything(db, tmp_path, other_installation):
    store = LocalBlobStore(tmp_path / "evidence")
    load_demo_if_empty(db, TREE)
    upload_evidence(db, store, engagement_id=2, name="手册.pdf", stream=io.BytesIO(b"%PDF-1.4 manual"), tree=TREE,
                    links={"5.1.4.1": set()}, by=actor(), max_bytes=1024 * 1024)
    backup = backup_engagement(db, store, 2, TREE, by=actor())
    target, target_store = other_installation
    restored = restore_engagement(target, target_store, backup, TreeRegistry(), by=actor())
    assert comparable(target, restored) == comparable(db, 2)
    sha = build_snapshot(target, restored, TREE, by=actor())["evidence"][0]["sha256"]
    assert target_store.path(sha).read_bytes() == b"%PDF-1.4 manual"


def test_a_damaged_backup_restores_nothing(db, tmp_path, other_installation):
    store = LocalBlobStore(tmp_path / "evidence")
    load_demo_if_empty(db, TREE)
    upload_evidence(db, store, engagement_id=2, name="手册.pdf", stream=io.BytesIO(b"%PDF-1.4 manual"), tree=TREE,
                    links={"5.1.4.1": set()}, by=actor(), max_bytes=1024 * 1024)
    good = zipfile.ZipFile(io.BytesIO(backup_engagement(db, store, 2, TREE, by=actor())))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as z:
        for name in good.namelist():
            z.writestr(name, good.read(name) if name == "snapshot.json" else b"tampered")
    target, target_store = other_installation
    with pytest.raises(InvalidInput, match="已损坏"):
        restore_engagement(target, target_store, damaged.getvalue(), TreeRegistry(), by=actor())
    from audits.engagements import list_engagements
    assert list_engagements(target, by=actor()) == []
    with pytest.raises(InvalidInput, match="不是有效的项目备份"):
        restore_engagement(target, target_store, b"nonsense", TreeRegistry(), by=actor())
