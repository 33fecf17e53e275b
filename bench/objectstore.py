"""Object-store benchmarks (issue 19), each in a fresh process against a throwaway SeaweedFS (scripts/s3-temp.sh):
storing a large file in the bucket against boto3's own upload of the same file with the same part size, and
streaming it through the download route (a real uvicorn server) against reading it from the store directly.
Peak RSS growth of the storing process and of the server is reported: flat memory means it does not grow with
the file."""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.figures import Figure
from evidence.s3store import PARALLEL_PARTS

ROOT = Path(__file__).resolve().parents[1]
MB = 1 << 20
PART_MB = 16
def objectstore_figures(file_mb: int, repeat: int = 3) -> list[Figure]:
    started = subprocess.run([str(ROOT / "scripts/s3-temp.sh"), "start"], capture_output=True, text=True,
                             check=True, timeout=180)
    server = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines())
    try:
        env = {**os.environ, "AUDIT_STORE": "s3", "AUDIT_S3_ENDPOINT": server["TEST_S3_ENDPOINT"],
               "AUDIT_S3_BUCKET": server["TEST_S3_BUCKET"], "AUDIT_S3_PART_SIZE_MB": str(PART_MB),
               "AWS_ACCESS_KEY_ID": server["AWS_ACCESS_KEY_ID"],
               "AWS_SECRET_ACCESS_KEY": server["AWS_SECRET_ACCESS_KEY"]}
        done = subprocess.run([sys.executable, "-m", "bench.objectstore", str(file_mb), str(repeat)], cwd=ROOT,
                              env=env, capture_output=True, text=True, check=False, timeout=1800)
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        got = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([str(ROOT / "scripts/s3-temp.sh"), "stop", server["S3TEST_DIR"]], timeout=60, check=False)
    return [Figure(f"storing a {file_mb} MB file in the object store (wall time, median of {repeat})", got["put"],
                   got["boto3"], "s", 1.5,
                   f"SeaweedFS on this machine, parts of {PART_MB} MB; the store spools and hashes the file, checks "
                   f"it, then sends {PARALLEL_PARTS} parts at a time, each read from the spool file as it is sent; "
                   f"floor: boto3's upload_file of the same file with the same part size (its default 10 threads); "
                   f"each object is deleted between runs, outside the time; peak RSS growth of the storing process "
                   f"{got['put_rss_mb']:.0f} MB for the file of {file_mb} MB (no part is held whole in memory)"),
            Figure(f"streaming a {file_mb} MB evidence download through the route (wall time, median of {repeat})",
                   got["route"], got["direct"], "s", 1.5,
                   f"GET /files/<id> on a uvicorn server (session cookie and access checked), from the bucket; "
                   f"floor: reading the same object from the store directly in this process; peak RSS growth of "
                   f"the server {got['server_rss_mb']:.0f} MB")]


def _measure(file_mb: int, repeat: int) -> dict:
    """Run in a fresh process with the AUDIT_S3_* settings of a running server."""
    from boto3.s3.transfer import TransferConfig

    from accounts.sessions import start_session
    from accounts.users import create_user
    from config import settings
    from db import engine_for, session
    from evidence.services import upload_evidence
    from evidence.store import store_from_settings
    from tests.factories import actor, default_tree, make_company, make_engagement
    folder = Path(tempfile.mkdtemp(prefix="bench-s3-"))
    os.environ["AUDIT_DATA_DIR"] = str(folder)
    settings.cache_clear()
    store = store_from_settings(settings())
    source = folder / "large.pdf"
    with open(source, "wb") as out:
        out.write(b"%PDF-1.4\n")
        for _ in range(file_mb):
            out.write(os.urandom(MB))
    sizes: list[float] = []
    keys: list[str] = []

    def put() -> None:
        with open(source, "rb") as stream:
            keys.append(store.put(stream, max_bytes=(file_mb + 1) * MB, check=lambda p, h, s: "pdf").sha256)

    def floor() -> None:
        store.client.upload_file(str(source), store.bucket, "boto3-floor", Config=config)
        keys.append("boto3-floor")

    def deleted() -> None:  # between runs, untimed: each run writes a new object, none overwrites
        store.client.delete_object(Bucket=store.bucket, Key=keys.pop())

    config = TransferConfig(multipart_threshold=PART_MB * MB, multipart_chunksize=PART_MB * MB)
    rss_before = _peak_rss()
    put()  # alone first, for the store's own memory
    put_rss = _peak_rss() - rss_before
    deleted()
    put_times, boto3_times = [], []
    for _ in range(repeat):  # in turns, so a busy moment of the machine weighs on both
        put_times.append(_timed(put))
        deleted()
        boto3_times.append(_timed(floor))
        deleted()
    with session(engine_for(settings().effective_database_url)) as s, open(source, "rb") as stream:
        evidence = upload_evidence(s, store, engagement_id=make_engagement(s, make_company(s)).id, name="现场记录.pdf",
                                   stream=stream, tree=default_tree(), links={"5.1.1.1": set()}, by=actor(),
                                   max_bytes=(file_mb + 1) * MB).evidence
        token = start_session(s, create_user(s, username="bench", display_name="基准", role="admin",
                                             password="a-long-password-1", by=actor()))
    route_times, direct_times, server_rss = _through_route(evidence.id, token, repeat, sizes, store, evidence.sha256)
    if len(set(sizes)) != 1 or sizes[0] != source.stat().st_size:
        raise AssertionError(f"sizes differ: {set(sizes)}")
    return {"put": statistics.median(put_times), "boto3": statistics.median(boto3_times), "put_rss_mb": put_rss,
            "direct": statistics.median(direct_times), "route": statistics.median(route_times),
            "server_rss_mb": server_rss}


def _through_route(evidence_id: int, token: str, repeat: int, sizes: list[int], store,
                   sha: str) -> tuple[list[float], list[float], float]:
    from tests.services.served import served  # the routes in a uvicorn process of their own, as the tests serve them
    from web.routes import COOKIE
    with served(None) as (server, port):
        def fetch() -> None:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/files/{evidence_id}",
                                             headers={"Cookie": f"{COOKIE}={token}"})
            total = 0
            with urllib.request.urlopen(request, timeout=600) as answer:
                while piece := answer.read(4 * MB):
                    total += len(piece)
            sizes.append(total)
        fetch()  # unmeasured: the server's first request opens its database and bucket connections
        before = _status(server.pid, "VmHWM")
        times, direct = [], []
        for _ in range(repeat):  # in turns with the floor
            times.append(_timed(fetch))
            direct.append(_timed(lambda: sizes.append(sum(len(p) for p in store.chunks(sha)))))
        return times, direct, (_status(server.pid, "VmHWM") - before) / MB


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux -> MB


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    print(json.dumps(_measure(int(sys.argv[1]), int(sys.argv[2]))))
