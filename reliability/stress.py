"""Many simulated users working on one engagement at once, through the real services, then a reconciliation.

Each worker has its own session and, until time is up, picks one of: rate a clause (from the version it just
read, so it may be stale), upload a small evidence file linked to a clause, or move a nonconformity along
its workflow. Refusals the product is meant to give (stale edit, transition not allowed) are counted as
refused; anything else is a failure. Afterwards the database must equal the sum of the accepted operations:
each clause's version equals its accepted saves, its values are those of the last accepted save, its history
holds one row per save; every accepted upload is stored and linked; every accepted transition is in the
nonconformity's history and the state is the last one reached.
"""
from __future__ import annotations

import io
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import select

from accounts.actor import Actor
from audits.companies import create_company
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, get_rating, rate_clause
from criteria.model import Tree
from db import session
from errors import InvalidTransition, StaleEdit
from evidence.models import Evidence, EvidenceLink
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.models import NcEvent, Nonconformity
from nonconformities.services import (
    accept_rectification,
    raise_nonconformity,
    return_rectification,
    submit_rectification,
)
from records.models import ClauseRating, RatingChange
from vocabulary import ClauseStatus, NcState, Role

SYSTEM = Actor("压力测试", role=Role.SYSTEM, username="stress")


@dataclass
class Figures:
    attempted: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    saves: dict = field(default_factory=lambda: defaultdict(list))      # code -> [(version, finding)]
    uploads: list = field(default_factory=list)                         # (sha256, code)
    moves: dict = field(default_factory=lambda: defaultdict(list))      # nc id -> [(version, to_state)]
    start_versions: dict = field(default_factory=dict)                  # code -> version before the run
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict:
        return {"attempted": sum(self.attempted.values()), "accepted": sum(self.accepted.values()),
                "refused_stale": sum(self.refused.values()), "failed": len(self.failed), "lost": len(self.lost),
                "by_kind": {k: (self.attempted[k], self.accepted[k], self.refused[k]) for k in sorted(self.attempted)}}


def prepare(engine: Engine, tree: Tree, nonconformities: int = 6) -> tuple[int, list[int]]:
    with session(engine) as s:
        company = create_company(s, data={"name": "压力测试公司", "credit_code": "91350100M000100Y43"}, by=SYSTEM)
        eid = create_engagement(s, data={"company_id": company.id, "kind": "initial"}, tree=tree, team=[],
                                by=SYSTEM).id
        codes = [leaf.code for leaf in tree.leaves()][:nonconformities]
        for code in codes:
            rate_clause(s, engagement_id=eid, code=code, entry=RatingEntry("nonconform", finding="压力测试的不符合"),
                        expected_version=0,
                        tree=tree, by=SYSTEM)
        ncs = [raise_nonconformity(s, engagement_id=eid, severity="general", code=code, finding="压力测试",
                                   tree=tree, by=SYSTEM).id for code in codes]
    return eid, ncs


def run(engine: Engine, tree: Tree, store: LocalBlobStore, *, workers: int = 20, seconds: float = 5,
        seed: int = 27922) -> Figures:
    eid, ncs = prepare(engine, tree)
    figures = Figures()
    with session(engine) as s:
        figures.start_versions = {r.code: r.version for r in s.exec(
            select(ClauseRating).where(ClauseRating.engagement_id == eid))}
    codes = [leaf.code for leaf in tree.leaves()]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_worker, args=(engine, tree, store, eid, ncs, codes, figures, deadline,
                                                      random.Random(seed + n), n)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reconcile(engine, store, eid, figures)
    return figures


def _worker(engine, tree, store, eid, ncs, codes, figures: Figures, deadline, rng, number) -> None:
    count = 0
    while time.monotonic() < deadline:
        count += 1
        kind = rng.choice(["rate", "rate", "rate", "upload", "move"])
        with figures.lock:
            figures.attempted[kind] += 1
        try:
            with session(engine) as s:
                {"rate": _rate, "upload": _upload, "move": _move}[kind](s, tree, store, eid, ncs, codes, figures,
                                                                        rng, f"w{number}-{count}")
            with figures.lock:
                figures.accepted[kind] += 1
        except (StaleEdit, InvalidTransition):
            with figures.lock:
                figures.refused[kind] += 1
        except Exception as exc:  # counted, never hidden: the test fails on any
            with figures.lock:
                figures.failed.append(f"{kind}: {type(exc).__name__}: {exc}")


def _rate(s, tree, store, eid, ncs, codes, figures: Figures, rng, tag) -> None:
    code = rng.choice(codes)
    version = get_rating(s, eid, code, by=SYSTEM).version
    status = rng.choice(["conform", "nonconform", "sampled"])
    entry = RatingEntry(status, 5 if status == ClauseStatus.SAMPLED else 0, rng.randint(0, 5) if status == ClauseStatus.SAMPLED else 0,
                        finding=tag)
    saved = rate_clause(s, engagement_id=eid, code=code, entry=entry, expected_version=version, tree=tree, by=SYSTEM)
    with figures.lock:
        figures.saves[code].append((saved.version, tag))


def _upload(s, tree, store, eid, ncs, codes, figures: Figures, rng, tag) -> None:
    code = rng.choice(codes)
    data = f"证据 {rng.randint(1, 40)}".encode()  # some content repeats: stored once, linked again
    upload = upload_evidence(s, store, engagement_id=eid, name=f"{tag}.txt", stream=io.BytesIO(data), tree=tree,
                             links={code: set()}, by=SYSTEM, max_bytes=1024)
    with figures.lock:
        figures.uploads.append((upload.evidence.sha256, code))


def _move(s, tree, store, eid, ncs, codes, figures: Figures, rng, tag) -> None:
    nc = s.get(Nonconformity, rng.choice(ncs))
    step = {NcState.RAISED: lambda v: submit_rectification(s, nc_id=nc.id, cause="因", correction="纠", corrective_action="措",
                                                     evidence_ids=[], expected_version=v, by=SYSTEM),
            NcState.RETURNED: lambda v: submit_rectification(s, nc_id=nc.id, cause="因", correction="纠",
                                                       corrective_action="措", evidence_ids=[], expected_version=v,
                                                       by=SYSTEM),
            NcState.SUBMITTED: lambda v: (return_rectification(s, nc_id=nc.id, reason=tag, expected_version=v, by=SYSTEM)
                                    if rng.random() < 0.7 else
                                    accept_rectification(s, nc_id=nc.id, comment=tag, expected_version=v, by=SYSTEM))}
    move = step.get(nc.state)
    if move is None:
        raise InvalidTransition("accepted: nothing more to do here")
    moved = move(nc.version)
    with figures.lock:
        figures.moves[nc.id].append((moved.version, moved.state))  # workers note their moves in any order


def reconcile(engine: Engine, store: LocalBlobStore, eid: int, figures: Figures) -> None:
    """Record in `figures.lost` every accepted operation the database does not show."""
    with session(engine) as s:
        rows = {r.code: r for r in s.exec(select(ClauseRating).where(ClauseRating.engagement_id == eid))}
        history = Counter(c.code for c in s.exec(select(RatingChange).where(RatingChange.engagement_id == eid)))
        for code, saves in figures.saves.items():
            expected_version = figures.start_versions[code] + len(saves)
            last = max(saves)
            if rows[code].version != expected_version or rows[code].finding != last[1] \
                    or history[code] != expected_version:  # one history row per save, before and during
                figures.lost.append(f"rating {code}: version {rows[code].version}, expected {expected_version}")
        linked = {(e.sha256, link.code) for e, link in s.exec(
            select(Evidence, EvidenceLink).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
            .where(Evidence.engagement_id == eid))}
        for sha, code in figures.uploads:
            if (sha, code) not in linked or not store.exists(sha):
                figures.lost.append(f"evidence {sha[:8]} -> {code}")
        for nc_id, moves in figures.moves.items():
            states = [state for _, state in sorted(moves)]
            events = s.exec(select(NcEvent).where(NcEvent.nonconformity_id == nc_id).order_by(NcEvent.id)).all()
            steps = sorted(version for version, _ in moves)  # each accepted move took the next version, once
            if [e.to_state for e in events] != states or s.get(Nonconformity, nc_id).state != states[-1] \
                    or steps != list(range(1, len(moves) + 1)):
                figures.lost.append(f"nonconformity {nc_id}: history {[e.to_state for e in events]} vs {states}")

