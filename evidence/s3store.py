"""Evidence bytes in an S3-compatible object store (boto3): one object per file, its key the SHA-256.

A file is first spooled to a local temporary file (evidence.store.spooled: hashed, counted and checked as it
arrives, as the local store does), then sent: the key is looked up with HEAD and nothing is sent when it is already
there; otherwise it goes up in one PUT below the part size and as a multipart upload above it (PARALLEL_PARTS parts
at a time, each read from the spool file as it is sent, never held whole), and the write is conditional
(`If-None-Match: *` on the PUT and on CompleteMultipartUpload), so two processes storing the same content at once
store it once: the loser's 412 means the bytes are there. A server that does not understand the header
(`AUDIT_S3_CONDITIONAL_WRITES=false`) relies on the HEAD check alone, which is safe here because equal keys carry
equal bytes. A multipart upload that fails is aborted; `sweep` aborts the ones a crashed process left behind.
Reads stream: `chunks` yields pieces of the object's body, never the whole file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from evidence.store import CHUNK, HEAD_BYTES, MB, Check, Stored, check_sha256, spooled

PARALLEL_PARTS = 10  # parts in flight at once, as boto3's own transfers (its max_concurrency)
LEFTOVER_AGE = timedelta(hours=1)  # a multipart upload older than this is a crash's leftover, not a live upload


class S3BlobStore:
    def __init__(self, client, bucket: str, *, part_size: int = 16 * MB, conditional: bool = True,
                 spool: Path | None = None):
        self.client, self.bucket, self.part_size, self.conditional = client, bucket, part_size, conditional
        self.spool = Path(spool) if spool else Path(tempfile.gettempdir()) / "audit-evidence-spool"
        self.spool.mkdir(parents=True, exist_ok=True)

    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check, head_bytes: int = HEAD_BYTES) -> Stored:
        with spooled(stream, self.spool, max_bytes=max_bytes, head_bytes=head_bytes) as file:
            kind = check(file.path, file.head, file.size)
            if not self.exists(file.sha256):
                self.upload_file(file.path, file.sha256)
            return Stored(file.sha256, file.size, kind)

    def upload_file(self, path: Path, sha256: str) -> None:
        """Send a local file under its key: one conditional PUT, or parts when larger than the part size."""
        check_sha256(sha256)
        size = path.stat().st_size
        if size > self.part_size:
            self._multipart(path, sha256, size)
            return
        with open(path, "rb") as source:
            self._written(lambda: self.client.put_object(Bucket=self.bucket, Key=sha256, Body=source,
                                                         ContentLength=size, **self._condition()))

    def _multipart(self, path: Path, key: str, size: int) -> None:
        """Parts of `part_size`, PARALLEL_PARTS at a time, each sent from a window on the file (`_Window`) that
        botocore reads as it signs and sends: no part is held whole in memory, whatever the file's size."""
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]

        def send(number: int) -> dict:
            start = (number - 1) * self.part_size
            with _Window(path, start, min(self.part_size, size - start)) as window:
                answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=number,
                                                 Body=window, ContentLength=len(window))
            return {"ETag": answer["ETag"], "PartNumber": number}

        pool = ThreadPoolExecutor(PARALLEL_PARTS)
        try:
            parts = list(pool.map(send, range(1, -(-size // self.part_size) + 1)))
            if not self._written(lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts},
                    **self._condition())):
                self._abort(key, upload)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # waits for the parts in flight, so the abort comes after them
            self._abort(key, upload)
            raise
        finally:
            pool.shutdown(cancel_futures=True)

    def _condition(self) -> dict:
        return {"IfNoneMatch": "*"} if self.conditional else {}

    def _written(self, send) -> bool:
        """Send; False when the condition refused it (412): another writer stored the same key first, which is
        success for content-addressed bytes."""
        from botocore.exceptions import ClientError
        try:
            send()
            return True
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 412:
                raise
            return False

    def _abort(self, key: str, upload: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
        except Exception:  # best effort: `sweep` aborts leftovers later
            pass

    def open(self, sha256: str) -> BinaryIO:
        check_sha256(sha256)
        return _Body(self.client.get_object(Bucket=self.bucket, Key=sha256)["Body"])

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        with self.open(sha256) as body:
            while piece := body.read(size):
                yield piece

    def size(self, sha256: str) -> int | None:
        from botocore.exceptions import ClientError
        check_sha256(sha256)
        try:
            return self.client.head_object(Bucket=self.bucket, Key=sha256)["ContentLength"]
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                return None
            raise

    def exists(self, sha256: str) -> bool:
        return self.size(sha256) is not None

    def files(self) -> Iterator[str]:
        """The SHA-256 of every stored file."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                if len(item["Key"]) == 64:
                    yield item["Key"]

    def reachable(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)

    def sweep(self, older_than: timedelta = LEFTOVER_AGE) -> int:
        """Abort multipart uploads older than `older_than` (a crashed writer's) and remove spool leftovers."""
        cutoff = datetime.now(UTC) - older_than
        aborted = 0
        for page in self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket):
            for upload in page.get("Uploads", []):
                if upload["Initiated"] <= cutoff:
                    self._abort(upload["Key"], upload["UploadId"])
                    aborted += 1
        for part in self.spool.glob("*.part"):
            if datetime.fromtimestamp(part.stat().st_mtime, UTC) <= cutoff:
                part.unlink(missing_ok=True)
        return aborted


class _Closing:
    """`with` closes it."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Window(_Closing):
    """`length` bytes of a file from `start`, as a readable, seekable file of its own: botocore reads it in pieces
    to sign the part, seeks back, and reads it again as it sends (and again on a retry)."""

    def __init__(self, path: Path, start: int, length: int):
        self.file, self.start, self.length, self.position = open(path, "rb"), start, length, 0
        self.file.seek(start)

    def read(self, size: int | None = -1) -> bytes:
        left = self.length - self.position
        piece = self.file.read(left if size is None or size < 0 or size > left else size)
        self.position += len(piece)
        return piece

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = max(0, min(self.length, base + offset))
        self.file.seek(self.start + self.position)
        return self.position

    def tell(self) -> int:
        return self.position

    def __len__(self) -> int:
        return self.length

    def close(self) -> None:
        self.file.close()


class _Body(_Closing):
    """botocore's streaming body as a closable, readable file."""

    def __init__(self, body):
        self.body = body

    def read(self, size: int = -1) -> bytes:
        return self.body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self.body.close()


def s3_client(endpoint: str, region: str, access_key: str = "", secret_key: str = ""):
    """A boto3 client for any S3-compatible endpoint (path-style addressing); credentials from the settings when
    given, else boto3's own chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment)."""
    import boto3
    from botocore.config import Config
    keys = {"aws_access_key_id": access_key, "aws_secret_access_key": secret_key} if access_key else {}
    return boto3.session.Session().client("s3", endpoint_url=endpoint or None, region_name=region,
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5, "mode": "standard"},
                                      request_checksum_calculation="when_required",
                                      response_checksum_validation="when_required"), **keys)
