"""The parsed table an import keeps in the content store (CSV, by SHA-256), read once per process while it is in
use: the analysis page, a measurement and a draw read the same table, and re-parsing 100000 rows on every rerun
cost more than the page. The key is the content's hash, so a cached table can never be stale."""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd

from evidence.store import BlobStore
from samples.logs import table_from_csv

KEPT = 2  # tables held at once (a large log is tens of MB parsed)
_tables: OrderedDict[str, pd.DataFrame] = OrderedDict()
_lock = threading.Lock()


def stored_table(store: BlobStore, sha256: str) -> pd.DataFrame:
    """The table stored under `sha256`, parsed; a copy, so a caller's changes never reach the next caller."""
    with _lock:
        table = _tables.get(sha256)
        if table is not None:
            _tables.move_to_end(sha256)
            return table.copy()
    with store.open(sha256) as stream:
        table = table_from_csv(stream.read())
    with _lock:
        _tables[sha256] = table
        while len(_tables) > KEPT:
            _tables.popitem(last=False)
    return table.copy()
