"""The parsed table an import keeps in the content store (CSV, by SHA-256), and what the analysis page shows of
it against a time limit. Parsing 100000 rows costs more than the page, so the page's result (a share, the times
taken, the months: small) is kept per process for the few tables in use, keyed by the content's hash and the
limit, so it can never be stale; the tables themselves are not kept (tens of MB each, per replica)."""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd

from evidence.store import BlobStore
from samples.logs import TimeLimit, Timeliness, table_from_csv, timeliness

KEPT = 8  # results held at once
_results: OrderedDict[tuple[str, TimeLimit], Timeliness] = OrderedDict()
_lock = threading.Lock()


def stored_table(store: BlobStore, sha256: str) -> pd.DataFrame:
    """The table stored under `sha256`, parsed."""
    with store.open(sha256) as stream:
        return table_from_csv(stream.read())


def stored_timeliness(store: BlobStore, sha256: str, limit: TimeLimit) -> Timeliness:
    """samples.logs.timeliness of the stored table, computed once while it is in use."""
    key = (sha256, limit)
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    found = timeliness(stored_table(store, sha256), limit)
    with _lock:
        _results[key] = found
        while len(_results) > KEPT:
            _results.popitem(last=False)
    return found
