"""Layout helpers shared by the pages."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, *, key: str) -> Iterator[bool]:
    """An expander whose content is built only while it is open: a closed one costs nothing on a rerun, which
    matters on pages that rerun on every click. Yields whether it is open; `st.session_state[key] = True` opens it."""
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)
