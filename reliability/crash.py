"""Crash safety: a child process works in a loop and is killed (SIGKILL) at a random moment; then we check.

Modes: `rate` (clause saves), `upload` (evidence files), `import` (the Excel checklist, all 39 clauses per file),
`restore` (an engagement backup). The child prints a line after each operation it saw committed. After the
kill: the database passes its integrity check; every reported operation is there; every import and restore is
whole or absent; every evidence record points at a complete file whose hash matches.
"""
from __future__ import annotations

import hashlib
import io
import random
import sys
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from accounts.actor import Actor
from db import make_engine, session
from evidence.models import Evidence
from evidence.store import LocalBlobStore
from records.models import ClauseRating, Engagement, RatingChange
from vocabulary import Role

SYSTEM = Actor("崩溃测试", role=Role.SYSTEM, username="crash")


def child(mode: str, folder: Path) -> None:
    """Work forever (until killed), printing what was committed."""
    from audits.ratings import RatingEntry, get_rating, rate_clause
    from criteria.registry import TreeRegistry
    from dossier.backup import restore_engagement
    from dossier.checklist import apply_import, export_checklist, plan_import
    from evidence.services import upload_evidence
    from tests.services.test_checklist import fill
    registry = TreeRegistry()
    tree = registry.get("gbt27922-2011")
    engine = make_engine(f"sqlite:///{folder}/audit.db")
    store = LocalBlobStore(folder / "evidence")
    codes = [leaf.code for leaf in tree.leaves()]
    rng = random.Random()
    for i in range(10**9):
        with session(engine) as s:
            if mode == "rate":
                code = rng.choice(codes)
                saved = rate_clause(s, engagement_id=1, code=code, entry=RatingEntry("conform", finding=f"s{i}"),
                                    expected_version=get_rating(s, 1, code, by=SYSTEM).version, tree=tree, by=SYSTEM)
                print(f"{code} {saved.version} s{i}", flush=True)
            elif mode == "upload":
                data = f"file {i} ".encode() * rng.randint(1, 200_000)
                upload_evidence(s, store, engagement_id=1, name=f"f{i}.txt", stream=io.BytesIO(data), tree=tree,
                                links={"5.1.1.1": set()}, by=SYSTEM, max_bytes=10**8)
                print(hashlib.sha256(data).hexdigest(), flush=True)
            elif mode == "import":
                status = "符合" if i % 2 else "不符合"
                data = fill(export_checklist(s, 1, tree, by=SYSTEM),
                            {c: {"结果": status, "审核发现": f"import-{i}"} for c in codes})
                apply_import(s, 1, plan_import(s, 1, tree, data, by=SYSTEM), by=SYSTEM)
                print(f"import-{i}", flush=True)
            else:
                restored = restore_engagement(s, store, (folder / "backup.zip").read_bytes(), registry, by=SYSTEM)
                print(restored, flush=True)


def check(mode: str, folder: Path, reported: list[str]) -> list[str]:
    """Inconsistencies found after a kill (none expected)."""
    problems = []
    engine = make_engine(f"sqlite:///{folder}/audit.db")
    with session(engine) as s:
        if s.connection().execute(text("PRAGMA integrity_check")).scalar() != "ok":
            problems.append("integrity_check failed")
        problems += {"rate": _rate, "upload": _upload, "import": _import, "restore": _restore}[mode](
            s, folder, reported)
    engine.dispose()
    return problems


def _rate(s, folder, reported) -> list[str]:
    saved = {(c.code, c.version): c.after.get("finding")
             for c in s.exec(select(RatingChange).where(RatingChange.engagement_id == 1))}
    out = [f"reported save {line} missing" for line in reported
           if saved.get((line.split()[0], int(line.split()[1]))) != line.split()[2]]
    for row in s.exec(select(ClauseRating).where(ClauseRating.engagement_id == 1)):
        if row.version != sum(1 for code, _ in saved if code == row.code):
            out.append(f"{row.code}: version {row.version} does not match its history")
    return out


def _upload(s, folder, reported) -> list[str]:
    store = LocalBlobStore(folder / "evidence")
    out = []
    for evidence in s.exec(select(Evidence)):
        path = store.path(evidence.sha256)
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != evidence.sha256:
            out.append(f"evidence {evidence.id} points at a missing or damaged file")
    stored = {e.sha256 for e in s.exec(select(Evidence))}
    out += [f"reported upload {sha[:8]} missing" for sha in reported if sha not in stored]
    return out


def _import(s, folder, reported) -> list[str]:
    """Whole or absent: every clause holds the same import's finding, or (before the first import committed)
    none holds any import's finding. The demo data's own findings differ from clause to clause, so "not all
    equal" alone is not a partial import: a kill before the first commit leaves them as they were."""
    findings = {r.finding for r in s.exec(select(ClauseRating).where(ClauseRating.engagement_id == 1))}
    imported = {f for f in findings if f.startswith("import-")}
    if not imported:
        return [f"reported {reported[-1]} but no import is in the database"] if reported else []
    if findings != imported or len(imported) != 1:
        return [f"a partly applied import: {sorted(findings)[:3]}"]
    current, last = int(next(iter(imported)).split("-")[1]), max((int(x.split("-")[1]) for x in reported), default=-1)
    return [f"reported {reported[-1]} but the database holds import-{current}"] if current < last else []


def _restore(s, folder, reported) -> list[str]:
    out = []
    for engagement in s.exec(select(Engagement).where(Engagement.id > 1)):
        count = len(s.exec(select(ClauseRating).where(ClauseRating.engagement_id == engagement.id)).all())
        if count != 39:
            out.append(f"restored engagement {engagement.id} has {count} ratings")
    ids = {e.id for e in s.exec(select(Engagement))}
    out += [f"reported restore {r} missing" for r in reported if int(r) not in ids]
    return out


if __name__ == "__main__":
    child(sys.argv[1], Path(sys.argv[2]))
