"""Layout helpers shared by the pages."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, *, key: str) -> Iterator[bool]:
    """An expander whose content is built only while it is open: a closed one costs nothing on a rerun, which
    matters on pages that rerun on every click. Yields whether it is open; `st.session_state[key] = True` opens it.

    Streamlit keys an expander's state by its label too, so a label with a count in it ("不符合项（2）") would
    close the expander whenever the count changes; the open state is therefore also kept under our own key."""
    remembered = f"{key}-remembered"
    box = st.expander(label, expanded=st.session_state.get(remembered, False), key=key, on_change="rerun")
    st.session_state[remembered] = is_open = bool(box.open)
    with box:
        yield is_open
