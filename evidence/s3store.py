"""Evidence bytes in an S3-compatible object store (boto3): one object per file, its key the SHA-256.

A file is first spooled to a local temporary file (hashed, counted and checked as it arrives, as the local store
does), then sent: the key is looked up with HEAD and nothing is sent when it is already there; otherwise it goes
up in one PUT below the part size and as a multipart upload above it (PARALLEL_PARTS parts at a time), and the write is conditional
(`If-None-Match: *` on the PUT and on CompleteMultipartUpload), so two processes storing the same content at once
store it once: the loser's 412 means the bytes are there. A server that does not understand the header
(`AUDIT_S3_CONDITIONAL_WRITES=false`) relies on the HEAD check alone, which is safe here because equal keys carry
equal bytes. A multipart upload that fails is aborted; `sweep` aborts the ones a crashed process left behind.
Reads stream: `chunks` yields pieces of the object's body, never the whole file.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from errors import InvalidInput
from evidence.store import CHUNK, MB, Check, Stored, check_sha256

PARALLEL_PARTS = 4  # parts in flight at once (and at most this many parts in memory)
LEFTOVER_AGE = timedelta(hours=1)  # a multipart upload older than this is a crash's leftover, not a live upload


class S3BlobStore:
    def __init__(self, client, bucket: str, *, part_size: int = 16 * MB, conditional: bool = True,
                 spool: Path | None = None):
        self.client, self.bucket, self.part_size, self.conditional = client, bucket, part_size, conditional
        self.spool = Path(spool) if spool else Path(tempfile.gettempdir()) / "audit-evidence-spool"
        self.spool.mkdir(parents=True, exist_ok=True)

    def put(self, stream: BinaryIO, *, max_bytes: int, check: Check, head_bytes: int = 64 * 1024) -> Stored:
        digest, size, head = hashlib.sha256(), 0, b""
        fd, temp = tempfile.mkstemp(dir=self.spool, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise InvalidInput(f"文件超过大小上限 {max_bytes // MB} MB，未保存")
                    if len(head) < head_bytes:
                        head += chunk[: head_bytes - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
            kind = check(Path(temp), head, size)
            sha = digest.hexdigest()
            if not self.exists(sha):
                self.upload_file(Path(temp), sha)
            return Stored(sha, size, kind)
        finally:
            Path(temp).unlink(missing_ok=True)

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
        """Parts of `part_size`, PARALLEL_PARTS at a time, each read from the file by the thread that sends it: at
        most PARALLEL_PARTS parts are in memory, whatever the file's size."""
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]

        def send(number: int) -> dict:
            with open(path, "rb") as source:
                source.seek((number - 1) * self.part_size)
                piece = source.read(self.part_size)
            answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=number,
                                             Body=piece)
            return {"ETag": answer["ETag"], "PartNumber": number}

        pool = ThreadPoolExecutor(PARALLEL_PARTS)
        try:
            parts = list(pool.map(send, range(1, -(-size // self.part_size) + 1)))
            if not self._written(lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts},
                    **self._condition())):
                self._abort(key, upload)
        except BaseException:
            pool.shutdown(cancel_futures=True)
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


class _Body:
    """botocore's streaming body as a closable, readable file."""

    def __init__(self, body):
        self.body = body

    def read(self, size: int = -1) -> bytes:
        return self.body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self.body.close()

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
