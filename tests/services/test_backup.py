"""Back up an engagement, restore it into an empty installation: same score, nonconformities, history, hashes."""
import io
import zipfile

import pytest
from sqlmodel import select

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


def test_a_backup_restored_where_it_came_from_is_marked_restored_and_audited(db, tmp_path):
    from accounts.audit_log import Event, query_events
    from accounts.models import User
    from accounts.users import actor_of
    from audits.engagements import get_engagement, list_engagements
    store = LocalBlobStore(tmp_path / "evidence")
    load_demo_if_empty(db, TREE)
    backup = backup_engagement(db, store, 2, TREE, by=actor())
    admin = actor("系统管理员", username="admin")
    first = restore_engagement(db, store, backup, TreeRegistry(), by=admin, source="engagement-2.zip")
    second = restore_engagement(db, store, backup, TreeRegistry(), by=admin)
    titles = {e: get_engagement(db, e, by=actor()).title for e in (2, first, second)}
    assert titles == {2: "初次认证现场评价", first: "初次认证现场评价（恢复）", second: "初次认证现场评价（恢复 2）"}
    client = actor_of(db.exec(select(User).where(User.username == "client")).one())
    shown = [row.engagement.title for row in list_engagements(db, by=client)]
    assert len(shown) == len(set(shown)) == 4
    events = query_events(db, action=Event.BACKUP_RESTORED)
    assert [(e.username, e.target) for e in events] == [("admin", f"评价项目 {second}"), ("admin", f"评价项目 {first}")]
    assert "从备份“engagement-2.zip”" in events[1].detail and "原评价项目 2“初次认证现场评价”" in events[1].detail
    assert f"恢复为评价项目 {first}“初次认证现场评价（恢复）”" in events[1].detail and "由 系统管理员" in events[1].detail


def to_version_1(snap: dict) -> None:
    """What a backup made before format 2 held: no keys, links, sites of records, withdrawn or removed items."""
    snap["format"] = "gbt27922-snapshot/1"
    for key in ("unrated", "withdrawn_special_items", "removed_evidence"):
        snap.pop(key)
    for item in snap["special_deductions"] + snap["special_bonus"]:
        item.pop("key")
    for record in snap["evidence"]:
        record.pop("links"), record.pop("site")
    for field in ("created_by", "created_at"):
        snap["engagement"].pop(field)
    for nc in snap["nonconformities"]:
        nc.pop("special_item"), nc.pop("site")
        for step in nc["history"]:
            if "evidence" in step["details"]:
                step["details"]["evidence_ids"] = [1]  # an id of the old database: must not point at a file here
                del step["details"]["evidence"]


def test_a_version_1_backup_still_restores_without_pointing_at_other_files(db, tmp_path, other_installation):
    from nonconformities.models import Nonconformity
    from nonconformities.services import submit_rectification
    from tests.services.test_backup_refusals import tampered
    store = LocalBlobStore(tmp_path / "evidence")
    load_demo_if_empty(db, TREE)
    upload_evidence(db, store, engagement_id=2, name="其他.pdf", stream=io.BytesIO(b"%PDF-1.4 other"), tree=TREE,
                    links={"5.1.1.1": set()}, by=actor(), max_bytes=1024 * 1024)
    manual = upload_evidence(db, store, engagement_id=2, name="手册.pdf", stream=io.BytesIO(b"%PDF-1.4 manual"),
                             tree=TREE, links={"5.1.4.1": {1}}, by=actor(), max_bytes=1024 * 1024).evidence
    nc = db.exec(select(Nonconformity).where(Nonconformity.engagement_id == 2, Nonconformity.number == 2)).one()
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措", evidence_ids=[manual.id],
                         expected_version=0, by=actor())
    old = tampered(backup_engagement(db, store, 2, TREE, by=actor()), to_version_1)
    target, target_store = other_installation
    restored = restore_engagement(target, target_store, old, TreeRegistry(), by=actor("管理员"))
    assert comparable(target, restored) == comparable(db, 2)
    snap = build_snapshot(target, restored, TREE, by=actor())
    assert [link["item"] for e in snap["evidence"] for link in e["links"]] == [None, None]
    assert snap["engagement"]["created_by"] == "管理员"
    step = snap["nonconformities"][1]["history"][0]
    assert step["details"] == {"cause": "因", "correction": "纠", "corrective_action": "措"}
