"""`python -m ops move-evidence`: an installation's evidence folder copied into a real bucket, every file's hash
verified from what the bucket returns; run again, it sends only what is missing (resumable, idempotent)."""
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

from evidence.s3store import S3BlobStore, s3_client
from evidence.store import LocalBlobStore

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def accept(path, head, size):
    return "bin"


def move(folder: Path, settings: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ops", "move-evidence"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **settings, "AUDIT_STORE": "local",
                                            "AUDIT_DATA_DIR": str(folder)})


def test_the_folder_moves_into_the_bucket_verified_and_a_second_run_sends_nothing(tmp_path, s3_settings):
    folder = LocalBlobStore(tmp_path / "evidence")
    contents = [b"%PDF-1.4 one", "第二个文件".encode(), os.urandom(11 * MB)]
    hashes = [folder.put(io.BytesIO(c), max_bytes=20 * MB, check=accept).sha256 for c in contents]
    bucket = S3BlobStore(s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1"), s3_settings["AUDIT_S3_BUCKET"])

    first = move(tmp_path, s3_settings)
    assert first.returncode == 0, first.stderr
    assert "已上传 3 个文件，存储桶中已有 0 个，校验通过 3 个" in first.stdout
    for sha, data in zip(hashes, contents, strict=True):
        assert hashlib.sha256(b"".join(bucket.chunks(sha))).hexdigest() == sha and bucket.size(sha) == len(data)

    again = move(tmp_path, s3_settings)
    assert again.returncode == 0 and "已上传 0 个文件，存储桶中已有 3 个，校验通过 3 个" in again.stdout

    bucket.client.delete_object(Bucket=bucket.bucket, Key=hashes[2])  # as if the first run had stopped before it
    bucket.client.put_object(Bucket=bucket.bucket, Key=hashes[0], Body=b"%PDF-1.4 ONE")  # same size, wrong bytes
    resumed = move(tmp_path, s3_settings)
    assert resumed.returncode == 0, resumed.stderr
    assert "已上传 1 个文件，存储桶中已有 2 个，校验通过 3 个" in resumed.stdout
    assert b"".join(bucket.chunks(hashes[0])) == contents[0]


def test_a_damaged_local_file_is_reported_and_not_sent(tmp_path, s3_settings):
    folder = LocalBlobStore(tmp_path / "evidence")
    sha = folder.put(io.BytesIO(b"original bytes"), max_bytes=MB, check=accept).sha256
    folder.path(sha).write_bytes(b"changed bytes!")
    result = move(tmp_path, s3_settings)
    assert result.returncode == 1 and f"{sha}（本地文件已损坏）" in result.stdout
    bucket = S3BlobStore(s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1"), s3_settings["AUDIT_S3_BUCKET"])
    assert not bucket.exists(sha)


def test_without_a_bucket_the_command_says_what_to_set(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ops", "move-evidence"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "AUDIT_DATA_DIR": str(tmp_path), "AUDIT_S3_BUCKET": ""})
    assert result.returncode == 2 and "AUDIT_S3_BUCKET" in result.stderr


def test_the_installation_backup_copies_the_bucket_into_the_folder_layout(tmp_path, s3_settings):
    bucket = S3BlobStore(s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1"), s3_settings["AUDIT_S3_BUCKET"],
                         part_size=5 * MB, spool=tmp_path / "spool")
    contents = [b"%PDF-1.4 one", os.urandom(6 * MB)]
    hashes = [bucket.put(io.BytesIO(c), max_bytes=20 * MB, check=accept).sha256 for c in contents]
    result = subprocess.run([sys.executable, "-m", "ops", "backup", "-o", str(tmp_path / "out")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, **s3_settings, "AUDIT_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    copy = LocalBlobStore(Path(result.stdout.strip()) / "evidence")
    assert sorted(copy.files()) == sorted(hashes)
    assert all(copy.path(sha).read_bytes() == data for sha, data in zip(hashes, contents, strict=True))
