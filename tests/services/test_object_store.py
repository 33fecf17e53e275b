"""Evidence in a real S3 server (SeaweedFS on 127.0.0.1): keys are SHA-256, a file is stored once, large files
go up in parts, failed uploads leave nothing behind, reads stream."""
import hashlib
import io
import os
import threading
import tracemalloc

import pytest

from errors import InvalidInput
from evidence.s3store import S3BlobStore, s3_client
from evidence.services import read_evidence, upload_evidence
from evidence.store import store_from_settings
from tests.factories import actor, default_tree, make_engagement
from tests.objectstore import MB

TREE = default_tree()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def accept(path, head, size):
    return "bin"


def objects(store):
    return sorted(o["Key"] for o in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", []))


def unfinished(store):
    return store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])


def test_a_small_file_is_stored_under_its_sha256_and_read_back_in_chunks(s3_store):
    stored = s3_store.put(io.BytesIO(PDF), max_bytes=MB, check=accept)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    assert objects(s3_store) == [stored.sha256]
    assert b"".join(s3_store.chunks(stored.sha256, 7)) == PDF and s3_store.size(stored.sha256) == len(PDF)
    assert s3_store.exists(stored.sha256) and not s3_store.exists("0" * 64) and s3_store.size("0" * 64) is None


def test_a_file_larger_than_the_part_size_goes_up_in_parts_and_streams_back(s3_store):
    data = os.urandom(12 * MB + 123)
    stored = s3_store.put(io.BytesIO(data), max_bytes=20 * MB, check=accept)
    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key=stored.sha256)
    assert head["ContentLength"] == len(data) and head["ETag"].strip('"').endswith("-3")  # three parts
    pieces = list(s3_store.chunks(stored.sha256, MB))
    assert max(len(p) for p in pieces) <= MB and b"".join(pieces) == data
    assert not unfinished(s3_store)


def test_the_same_content_twice_is_stored_once_and_a_conditional_write_keeps_the_first(s3_store, tmp_path):
    first = s3_store.put(io.BytesIO(b"same bytes"), max_bytes=MB, check=accept)
    second = s3_store.put(io.BytesIO(b"same bytes"), max_bytes=MB, check=accept)
    assert first == second and objects(s3_store) == [first.sha256]
    other = tmp_path / "other"
    other.write_bytes(b"different")
    s3_store.upload_file(other, first.sha256)  # the server refuses it (412): the key already holds its bytes
    assert b"".join(s3_store.chunks(first.sha256)) == b"same bytes"


def test_two_writers_of_the_same_large_file_at_once_both_succeed_and_store_it_once(s3_store):
    data = os.urandom(11 * MB)
    results, errors = [], []

    def write():
        try:
            results.append(s3_store.put(io.BytesIO(data), max_bytes=20 * MB, check=accept))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len({r.sha256 for r in results}) == 1
    assert objects(s3_store) == [results[0].sha256] and not unfinished(s3_store)
    assert hashlib.sha256(b"".join(s3_store.chunks(results[0].sha256))).hexdigest() == results[0].sha256


class FailingParts:
    """A client whose second part upload fails, as a dropped connection would."""

    def __init__(self, client):
        self.client, self.parts = client, 0

    def __getattr__(self, name):
        return getattr(self.client, name)

    def upload_part(self, **kwargs):
        self.parts += 1
        if self.parts == 2:
            raise ConnectionError("connection reset")
        return self.client.upload_part(**kwargs)


def test_a_failed_multipart_upload_is_aborted_and_nothing_is_stored(s3_store):
    s3_store.client = FailingParts(s3_store.client)
    with pytest.raises(ConnectionError):
        s3_store.put(io.BytesIO(os.urandom(11 * MB)), max_bytes=20 * MB, check=accept)
    assert objects(s3_store) == [] and not unfinished(s3_store)
    assert not list(s3_store.spool.iterdir())


def test_sweep_aborts_uploads_a_crashed_writer_left(s3_store):
    s3_store.client.create_multipart_upload(Bucket=s3_store.bucket, Key="a" * 64)
    assert s3_store.sweep() == 0  # a live upload is left alone
    assert s3_store.sweep(older_than=__import__("datetime").timedelta(0)) == 1 and not unfinished(s3_store)


def test_a_file_over_the_limit_or_refused_by_its_check_leaves_nothing(s3_store):
    with pytest.raises(InvalidInput, match="大小上限"):
        s3_store.put(io.BytesIO(b"x" * (MB + 1)), max_bytes=MB, check=accept)

    def refuse(path, head, size):
        raise InvalidInput("不接受")

    with pytest.raises(InvalidInput, match="不接受"):
        s3_store.put(io.BytesIO(b"abc"), max_bytes=MB, check=refuse)
    assert objects(s3_store) == [] and not list(s3_store.spool.iterdir())


def test_the_settings_choose_the_bucket_and_uploaded_evidence_reads_back(db, s3_settings, tmp_path, monkeypatch):
    from config import Settings
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    store = store_from_settings(Settings())
    assert isinstance(store, S3BlobStore) and store.bucket == s3_settings["AUDIT_S3_BUCKET"]
    assert store.part_size == 5 * MB
    store.reachable()
    engagement = make_engagement(db)
    upload = upload_evidence(db, store, engagement_id=engagement.id, name="组织架构图.pdf", stream=io.BytesIO(PDF),
                             tree=TREE, links={"5.1.1.1": set()}, by=actor(), max_bytes=MB)
    assert read_evidence(db, store, upload.evidence.id, by=actor())[1] == PDF


def test_wrong_credentials_are_refused_by_the_server(s3_settings):
    client = s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1", "nobody", "wrong-secret")
    store = S3BlobStore(client, s3_settings["AUDIT_S3_BUCKET"])
    with pytest.raises(Exception, match="403|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Forbidden"):
        store.reachable()


class Recording(io.BytesIO):
    """An upload as Streamlit hands it over (bytes in memory), recording how much each read asks for."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size=-1):
        self.asked.append(size)
        return super().read(size)


def test_an_upload_is_read_into_the_bucket_a_chunk_at_a_time(s3_store):
    upload = Recording(b"%PDF-1.4\n" + os.urandom(7 * MB))
    stored = s3_store.put(upload, max_bytes=20 * MB, check=accept)
    assert upload.asked and all(0 < size <= MB for size in upload.asked)  # never read() of everything at once
    assert b"".join(s3_store.chunks(stored.sha256)) == upload.getvalue()


def test_parts_are_read_from_the_spool_as_they_are_sent_never_held_whole(s3_settings, tmp_path):
    """Twelve parts of 8 MB, up to ten in flight: memory stays below two parts (ten parts held whole would be 80)."""
    client = s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1")
    store = S3BlobStore(client, s3_settings["AUDIT_S3_BUCKET"], part_size=8 * MB, spool=tmp_path / "spool")
    source = tmp_path / "large.bin"
    with open(source, "wb") as out:
        for _ in range(90):
            out.write(os.urandom(MB))
    store.put(io.BytesIO(b"warm up"), max_bytes=MB, check=accept)  # the client's own first-use allocations
    tracemalloc.start()
    try:
        with open(source, "rb") as stream:
            stored = store.put(stream, max_bytes=100 * MB, check=accept)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"
    head = store.client.head_object(Bucket=store.bucket, Key=stored.sha256)
    assert head["ContentLength"] == 90 * MB and head["ETag"].strip('"').endswith("-12") and not unfinished(store)
