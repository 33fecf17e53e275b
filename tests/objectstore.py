"""A real S3 server for the tests: SeaweedFS started by scripts/s3-temp.sh once per session (or the one named by
TEST_S3_ENDPOINT), and a fresh bucket per test. Import the fixtures into a test module to use them."""
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from evidence.s3store import S3BlobStore, s3_client

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


@pytest.fixture(scope="session")
def s3_server():
    """(endpoint, access key, secret key) of a running S3 server on 127.0.0.1."""
    if os.environ.get("TEST_S3_ENDPOINT"):
        yield (os.environ["TEST_S3_ENDPOINT"], os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
        return
    started = subprocess.run([str(ROOT / "scripts/s3-temp.sh"), "start"], capture_output=True, text=True,
                             timeout=180, check=False)
    assert started.returncode == 0, f"SeaweedFS did not start: {started.stderr[-2000:]}"
    values = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines())
    try:
        yield values["TEST_S3_ENDPOINT"], values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"]
    finally:
        subprocess.run([str(ROOT / "scripts/s3-temp.sh"), "stop", values["S3TEST_DIR"]], timeout=60, check=False)


@pytest.fixture
def s3_settings(s3_server, monkeypatch):
    """The AUDIT_S3_* settings of a fresh, empty bucket (credentials in the environment, as in production)."""
    endpoint, key, secret = s3_server
    bucket = f"t-{uuid.uuid4().hex[:20]}"
    s3_client(endpoint, "us-east-1", key, secret).create_bucket(Bucket=bucket)
    values = {"AUDIT_STORE": "s3", "AUDIT_S3_ENDPOINT": endpoint, "AUDIT_S3_BUCKET": bucket,
              "AUDIT_S3_PART_SIZE_MB": "5", "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def s3_store(s3_settings, tmp_path):
    client = s3_client(s3_settings["AUDIT_S3_ENDPOINT"], "us-east-1")
    return S3BlobStore(client, s3_settings["AUDIT_S3_BUCKET"], part_size=5 * MB, spool=tmp_path / "spool")
