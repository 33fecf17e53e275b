"""After a cluster load run: confirmed work that is not in the database or the store (must be none)."""
from __future__ import annotations

import hashlib

from sqlmodel import select

from db import session
from evidence.models import Evidence
from nonconformities.models import Nonconformity
from records.models import ClauseRating


def lost_work(engine, store, tallies) -> int:
    """Count what the product confirmed and no longer holds: a clause whose stored version is older than the
    newest confirmed save, or at that version with another result (a browser save is checked by its result: its
    user is alone on the engagement); an uploaded file missing or with other bytes; a nonconformity not in the
    state of its last confirmed move."""
    newest: dict[tuple[int, str], tuple[int, str]] = {}
    for tally in tallies:
        for key, (version, status) in tally.confirmed.items():
            if key not in newest or version > newest[key][0]:
                newest[key] = (version, status)
    lost = 0
    with session(engine) as s:
        for (engagement_id, code), (version, status) in newest.items():
            row = s.exec(select(ClauseRating).where(ClauseRating.engagement_id == engagement_id,
                                                    ClauseRating.code == code)).one()
            if row.version < version or (row.version == version or version < 0) and row.status != status:
                lost += 1
        for tally in tallies:
            for evidence_id, sha256 in tally.files.items():
                record = s.get(Evidence, evidence_id)
                if record is None or record.sha256 != sha256 or not store.exists(sha256) \
                        or hashlib.sha256(b"".join(store.chunks(sha256))).hexdigest() != sha256:
                    lost += 1
            for nc_id, state in tally.moves.items():
                nc = s.get(Nonconformity, nc_id)
                if nc is None or nc.state != state:
                    lost += 1
    return lost
