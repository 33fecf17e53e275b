"""Who may remove or relink evidence follows who owns the record, and every such change is in the audit log."""
import io

import pytest

from accounts.audit_log import Event
from accounts.users import audit_events
from errors import AccessDenied
from evidence.services import (
    evidence_links,
    link_evidence,
    list_evidence,
    remove_evidence,
    unlink_evidence,
    upload_evidence,
)
from evidence.store import LocalBlobStore
from nonconformities.services import raise_nonconformity, submit_rectification
from tests.factories import actor, default_tree

TREE = default_tree()


def upload(db, store, engagement, by, content=b"%PDF-1.4 a %%EOF", name="制度.pdf", note=""):
    return upload_evidence(db, store, engagement_id=engagement.id, name=name, stream=io.BytesIO(content), tree=TREE,
                           links={"5.1.1.1": set()}, by=by, max_bytes=1 << 20, note=note).evidence


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


def test_a_client_cannot_remove_or_relink_the_teams_evidence(db, people, store):
    engagement, who = people
    file = upload(db, store, engagement, who["zhang"])
    for change in (lambda: remove_evidence(db, evidence_id=file.id, reason="不要", by=who["client"]),
                   lambda: link_evidence(db, evidence_id=file.id, links={"5.1.1.2": set()}, tree=TREE,
                                         by=who["client"]),
                   lambda: unlink_evidence(db, link_id=evidence_links(db, file.id, by=who["zhang"])[0].id,
                                           by=who["client"])):
        with pytest.raises(AccessDenied, match="只能修改本人上传"):
            change()
    assert [e.id for e in list_evidence(db, engagement.id, by=who["zhang"])] == [file.id]
    assert len(evidence_links(db, file.id, by=who["zhang"])) == 1


def test_a_client_changes_their_own_files_until_a_submitted_rectification_names_them(db, people, store):
    engagement, who = people
    mine = upload(db, store, engagement, who["client"], b"%PDF-1.4 mine %%EOF", "整改记录.pdf")
    link_evidence(db, evidence_id=mine.id, links={"5.1.1.2": set()}, tree=TREE, by=who["client"])
    nc = raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                             finding="未验证改进效果", by=who["zhang"])
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措",
                         evidence_ids=[mine.id], expected_version=0, by=who["client"])
    with pytest.raises(AccessDenied, match="尚未随整改提交"):
        remove_evidence(db, evidence_id=mine.id, reason="换一份", by=who["client"])


def test_the_team_cannot_remove_a_file_the_client_uploaded(db, people, store):
    engagement, who = people
    theirs = upload(db, store, engagement, who["client"], b"%PDF-1.4 theirs %%EOF")
    with pytest.raises(AccessDenied, match="企业上传的文件属于企业的记录"):
        remove_evidence(db, evidence_id=theirs.id, reason="不相关", by=who["zhang"])


def test_removal_and_link_changes_are_in_the_audit_log(db, people, store):
    engagement, who = people
    file = upload(db, store, engagement, who["zhang"])
    link_evidence(db, evidence_id=file.id, links={"5.1.1.2": {0}}, tree=TREE, by=who["zhang"])
    unlink_evidence(db, link_id=evidence_links(db, file.id, by=who["zhang"])[0].id, by=who["zhang"])
    remove_evidence(db, evidence_id=file.id, reason="上传错了", by=who["zhang"])
    logged = {e.action: e for e in audit_events(db, by=actor())}
    assert {Event.EVIDENCE_LINKED, Event.EVIDENCE_UNLINKED, Event.EVIDENCE_REMOVED} <= set(logged)
    assert logged[Event.EVIDENCE_REMOVED].detail == "上传错了" and "制度.pdf" in logged[Event.EVIDENCE_REMOVED].target


def test_the_same_file_uploaded_by_the_client_is_credited_to_the_client(db, people, store):
    engagement, who = people
    first = upload(db, store, engagement, who["zhang"], note="现场拍摄")
    second = upload(db, store, engagement, who["client"], note="企业补交")
    again = upload(db, store, engagement, who["client"], note="企业补交")
    assert first.id != second.id == again.id and first.sha256 == second.sha256
    by_id = {e.id: e for e in list_evidence(db, engagement.id, by=who["zhang"])}
    assert (by_id[first.id].uploaded_by, by_id[first.id].note) == (who["zhang"].name, "现场拍摄")
    assert (by_id[second.id].uploaded_by, by_id[second.id].note) == (who["client"].name, "企业补交")
