"""Move an installation's evidence from the local folder into a bucket, verifying every file's SHA-256.

Each file is sent under its hash unless the bucket already holds it, then read back from the bucket, streamed, and
its hash recomputed: a file counts as moved only when the bytes in the bucket hash to their key. The folder is not
touched, so the command can be interrupted and run again (it skips nothing it has not verified, and sends only
what is missing); switch the installation to AUDIT_STORE=s3 once it reports no failure.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from evidence.s3store import S3BlobStore
from evidence.store import LocalBlobStore


@dataclass
class MoveReport:
    sent: int = 0
    already_there: int = 0
    verified: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"已上传 {self.sent} 个文件，存储桶中已有 {self.already_there} 个，校验通过 {self.verified} 个"
        return text + (f"；校验失败 {len(self.failed)} 个：{'、'.join(self.failed)}" if self.failed else "")


def move_evidence(folder: LocalBlobStore, bucket: S3BlobStore, *, progress=None) -> MoveReport:
    """Every file of the folder into the bucket, verified; a local file whose bytes no longer match its name is
    reported and not sent, and an object in the bucket that does not match its key is replaced once."""
    report = MoveReport()
    for sha in sorted(folder.files()):
        if _hash_of(folder, sha) != sha:
            report.failed.append(f"{sha}（本地文件已损坏）")
            continue
        if bucket.size(sha) == folder.size(sha):
            report.already_there += 1
        else:
            _send(folder, bucket, sha)
            report.sent += 1
        if _hash_of(bucket, sha) != sha:
            bucket.client.delete_object(Bucket=bucket.bucket, Key=sha)
            _send(folder, bucket, sha)
        if _hash_of(bucket, sha) == sha:
            report.verified += 1
        else:
            report.failed.append(sha)
        if progress:
            progress(report)
    return report


def _send(folder: LocalBlobStore, bucket: S3BlobStore, sha: str) -> None:
    bucket.upload_file(folder.path(sha), sha)


def _hash_of(store, sha: str) -> str:
    digest = hashlib.sha256()
    for piece in store.chunks(sha):
        digest.update(piece)
    return digest.hexdigest()
