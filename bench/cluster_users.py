"""The simulated users of the cluster load run (bench/cluster_load.py): a light client for most of them and Chromium
pages for a few, each keeping a tally of what it did and what the product confirmed.

The light client does not speak Streamlit's WebSocket protocol. It performs the same use cases a page's click
runs, by calling the same service functions (authenticate and start a session, rate_clause with the version it
read, upload_evidence, raise / submit / accept a nonconformity) against the cluster's PostgreSQL and object
store, and it reads through the replicas over HTTP, behind nginx: the engagement and its score from the JSON API
with the user's token (opening the workspace, and the updated score after each save) and each uploaded file from
the streamed download route with the session cookie. So the replicas serve its reads and downloads, not its
writes. Chromium pages do everything through the replicas: sign in, open the workspace, click 保存, wait for the
new score.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from accounts.sessions import start_session
from accounts.users import actor_of, authenticate
from audits.ratings import RatingEntry, get_rating, rate_clause
from db import session
from errors import StaleEdit
from evidence.services import read_evidence, upload_evidence
from nonconformities.services import accept_rectification, raise_nonconformity, submit_rectification

PASSWORD = "load-password-2026"
FINDING = "负载测试：抽查记录不完整。"
DOWNLOAD_ROUTE = importlib.util.find_spec("web.files") is not None  # GET /files/{id}, streamed by the replicas
THINK = 5.0  # seconds a simulated assessor waits between operations on average (±50%): brisker than anyone
# working from evidence on site (reading a record, writing a finding takes minutes), so the load is an upper bound


@dataclass
class Tally:
    """What one user did. `confirmed` maps (engagement, clause) to the (version, status) of the user's last save
    the product confirmed; `files` the sha256 of each upload confirmed; `moves` each nonconformity's last state."""

    done: dict[str, int] = field(default_factory=dict)
    stale: int = 0
    failed: list[str] = field(default_factory=list)
    retried: int = 0       # a read that hit the killed replica and succeeded on the next try
    signed_in_again: int = 0
    saves: list[float] = field(default_factory=list)  # seconds from the save to the new score read back
    confirmed: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)
    moves: dict[int, str] = field(default_factory=dict)

    def count(self, operation: str) -> None:
        self.done[operation] = self.done.get(operation, 0) + 1


@dataclass(frozen=True)
class Seat:
    """A simulated assessor: who, on which engagement, which clauses they work on."""

    username: str
    engagement_id: int
    codes: tuple[str, ...]  # rated at random, by every seat of the engagement (so some saves are stale)
    nc_code: str            # a clause rated nonconform at the start, where nonconformities are raised
    token: str = ""         # their API token
    client: str = ""        # the company's client user, who answers nonconformities


class LightUser(threading.Thread):
    def __init__(self, engine, store, tree, base: str, seat: Seat, stop: threading.Event, seed: int,
                 think: float = THINK):
        super().__init__(daemon=True, name=f"light-{seat.username}")
        self.engine, self.store, self.tree, self.base, self.seat, self.stop_at = engine, store, tree, base, seat, stop
        self.think = think
        self.random, self.tally, self.cookie = random.Random(seed), Tally(), ""

    def run(self) -> None:
        try:
            with session(self.engine) as s:
                user = authenticate(s, self.seat.username, PASSWORD)
                self.actor, self.cookie = actor_of(user), start_session(s, user)
                self.client = actor_of(authenticate(s, self.seat.client, PASSWORD))
            self.tally.count("sign in")
            self._read_engagement()
            self.tally.count("open the workspace")
            step = 0
            while not self.stop_at.is_set():
                step += 1
                self._guarded(self._rate)
                if step % 4 == 0:
                    self._guarded(self._upload_and_download)
                if step % 6 == 0:
                    self._guarded(self._move_nonconformity)
                self.stop_at.wait(self.think * self.random.uniform(0.5, 1.5))
        except Exception as exc:  # noqa: BLE001 - a failed user is reported, not a crashed run
            self.tally.failed.append(f"{self.seat.username}: {type(exc).__name__}: {exc}"[:300])

    def _guarded(self, operation) -> None:
        try:
            operation()
        except StaleEdit:
            self.tally.stale += 1
        except Exception as exc:  # noqa: BLE001
            self.tally.failed.append(f"{self.seat.username} {operation.__name__}: {type(exc).__name__}: {exc}"[:300])

    def _rate(self) -> None:
        code = self.random.choice(self.seat.codes)
        status = self.random.choice(("conform", "nonconform"))
        entry = RatingEntry(status, finding=FINDING if status == "nonconform" else "")
        with session(self.engine) as s:
            version = get_rating(s, self.seat.engagement_id, code, by=self.actor).version
            start = time.perf_counter()
            saved = rate_clause(s, engagement_id=self.seat.engagement_id, code=code, entry=entry,
                                expected_version=version, tree=self.tree, by=self.actor)
        self.tally.confirmed[(self.seat.engagement_id, code)] = (saved.version, status)
        self._read_engagement()
        self.tally.saves.append(time.perf_counter() - start)
        self.tally.count("rate a clause")

    def _upload_and_download(self) -> None:
        content = f"%PDF-1.4 {self.seat.username} {time.time_ns()} {self.random.random()} %%EOF".encode()
        with session(self.engine) as s:
            upload = upload_evidence(s, self.store, engagement_id=self.seat.engagement_id, name="抽查记录.pdf",
                                     stream=io.BytesIO(content), tree=self.tree,
                                     links={self.seat.nc_code: set()}, by=self.actor, max_bytes=1024 * 1024)
        self.tally.files[upload.evidence.id] = hashlib.sha256(content).hexdigest()
        self.tally.count("upload evidence")
        if DOWNLOAD_ROUTE:
            body = self._get(f"/files/{upload.evidence.id}", cookie=self.cookie)
        else:  # a checkout without the streamed download route: the service read the page's button made
            with session(self.engine) as s:
                body = read_evidence(s, self.store, upload.evidence.id, by=self.actor)[1]
        if hashlib.sha256(body).hexdigest() != self.tally.files[upload.evidence.id]:
            raise AssertionError(f"证据 {upload.evidence.id} 下载内容与上传不一致")
        self.tally.count("download evidence")

    def _move_nonconformity(self) -> None:
        with session(self.engine) as s:
            nc = raise_nonconformity(s, engagement_id=self.seat.engagement_id, severity="general",
                                     code=self.seat.nc_code, tree=self.tree, finding=FINDING, by=self.actor)
            self.tally.moves[nc.id] = nc.state
            moved = submit_rectification(s, nc_id=nc.id, cause="记录表格缺少字段", correction="补记",
                                         corrective_action="修订表格", evidence_ids=[], expected_version=0,
                                         by=self.client)
            self.tally.moves[nc.id] = moved.state
            moved = accept_rectification(s, nc_id=nc.id, comment="", expected_version=1, by=self.actor)
            self.tally.moves[nc.id] = moved.state
        self.tally.count("move a nonconformity")

    def _read_engagement(self) -> dict:
        import json
        return json.loads(self._get(f"/api/v1/engagements/{self.seat.engagement_id}",
                                    bearer=self.seat.token))

    def _get(self, path: str, *, bearer: str = "", cookie: str = "") -> bytes:
        """GET through nginx; one more try when the answer is a proxy error (the replica was killed under it)."""
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {"Cookie": f"audit_session={cookie}"}
        for attempt in range(3):
            try:
                with urllib.request.urlopen(urllib.request.Request(self.base + path, headers=headers),
                                            timeout=60) as answer:
                    return answer.read()
            except (urllib.error.HTTPError, urllib.error.URLError, ConnectionError) as exc:
                if isinstance(exc, urllib.error.HTTPError) and exc.code not in (502, 503, 504) or attempt == 2:
                    raise
                self.tally.retried += 1
                time.sleep(1)
        raise AssertionError("unreachable")
