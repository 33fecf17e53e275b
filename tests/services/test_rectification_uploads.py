"""The client's answer and its new files are one transaction: a refused answer records and links no file; the
latest answer is read back whole, with its files (issue 14 items 4 and 5)."""
import io

import pytest

from errors import InvalidInput, StaleEdit
from evidence.services import evidence_links, list_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import (
    get_nonconformity,
    last_answer,
    nc_history,
    raise_nonconformity,
    return_rectification,
    submit_rectification,
)
from tests.factories import default_tree
from vocabulary import Limit

TREE = default_tree()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWER = {"cause": "未建立验证机制", "correction": "补做验证", "corrective_action": "制定改进验证程序"}


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


@pytest.fixture
def nc(db, people):
    engagement, who = people
    return raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                               finding="改进措施未验证效果", by=who["zhang"])


def submit(db, nc, by, store, uploads=(), version=None, evidence_ids=(), **answer):
    version = get_nonconformity(db, nc.id, by=by).version if version is None else version
    return submit_rectification(db, nc_id=nc.id, evidence_ids=list(evidence_ids), expected_version=version, by=by,
                                uploads=uploads, store=store, max_bytes=1 << 20, **(ANSWER | answer))


def test_new_files_come_with_the_answer_recorded_linked_and_named(db, people, store, nc):
    engagement, who = people
    submit(db, nc, who["client"], store, uploads=[("验证记录.pdf", io.BytesIO(PDF))])
    [file] = list_evidence(db, engagement.id, by=who["zhang"])
    assert (file.name, file.uploaded_by, file.from_client, file.note) == ("验证记录.pdf", "王经理", True,
                                                                        "NC-01 整改证据")
    assert file.submitted_at is not None
    assert [link.code for link in evidence_links(db, file.id, by=who["zhang"])] == ["5.1.6.b"]
    assert nc_history(db, nc.id, by=who["zhang"])[-1].details["evidence_ids"] == [file.id]


@pytest.mark.parametrize("refusal, error", [
    ({"version": 7}, StaleEdit),
    ({"correction": " "}, InvalidInput),
    ({"uploads": [("好.pdf", io.BytesIO(PDF)), ("坏.pdf", io.BytesIO(b"not a pdf at all"))]}, InvalidInput),
    ({"evidence_ids": [999]}, InvalidInput),
])
def test_a_refused_answer_records_and_links_no_file(db, people, store, nc, refusal, error):
    engagement, who = people
    refusal = {"uploads": [("验证记录.pdf", io.BytesIO(PDF))]} | refusal
    with pytest.raises(error):
        submit(db, nc, who["client"], store, **refusal)
    db.expire_all()
    assert list_evidence(db, engagement.id, by=who["zhang"], include_removed=True) == []
    assert get_nonconformity(db, nc.id, by=who["zhang"]).state == "raised"
    assert nc_history(db, nc.id, by=who["zhang"]) == []


def test_an_answer_refused_for_its_text_stores_no_bytes_either(db, people, store, nc):
    _, who = people
    with pytest.raises(InvalidInput, match="原因分析"):
        submit(db, nc, who["client"], store, uploads=[("验证记录.pdf", io.BytesIO(PDF))], cause="")
    assert not [p for p in store.root.rglob("*") if p.is_file()]


def test_a_file_declared_over_the_limit_is_refused_before_a_byte_is_stored(db, people, store, nc):
    _, who = people

    class Declared(io.BytesIO):
        size = 2 << 20  # what the browser states for an upload (Streamlit's UploadedFile.size)

    with pytest.raises(InvalidInput, match="超过大小上限"):
        submit(db, nc, who["client"], store, uploads=[("大文件.pdf", Declared(PDF))])
    assert not [p for p in store.root.rglob("*") if p.is_file()]


def test_the_last_answer_is_read_back_whole_with_its_files(db, people, store, nc):
    engagement, who = people
    assert last_answer(db, nc.id, by=who["zhang"]) is None
    submit(db, nc, who["client"], store, uploads=[("第一次.pdf", io.BytesIO(PDF))])
    return_rectification(db, nc_id=nc.id, reason="缺少签字", expected_version=1, by=who["li"])
    [first] = list_evidence(db, engagement.id, by=who["zhang"])
    long_cause = "原因" * (Limit.TEXT // 2)
    submit(db, nc, who["client"], store, evidence_ids=[first.id], cause=long_cause,
           uploads=[("第二次.txt", io.BytesIO("签字后的记录".encode()))])
    answer = last_answer(db, nc.id, by=who["zhang"])
    assert (answer.cause, answer.correction, answer.corrective_action, answer.by) == (
        long_cause, ANSWER["correction"], ANSWER["corrective_action"], "王经理")
    assert [f.name for f in answer.files] == ["第一次.pdf", "第二次.txt"]
