"""The one place that turns the product's errors into messages on screen."""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from errors import AuditError

FLASH = "flash-messages"


@contextmanager
def shown_errors(*, stop: bool = False):
    """Show an AuditError as an error box (and end the page when `stop`); anything unexpected is not swallowed."""
    try:
        yield
    except AuditError as exc:
        st.error(exc.message, icon=":material/error:")
        if stop:
            st.stop()


def flash(message: str, kind: str = "error") -> None:
    """Keep a message to show after the next rerun (st.rerun would otherwise wipe it)."""
    st.session_state.setdefault(FLASH, []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop(FLASH, []):
        if kind == "toast":
            st.toast(message, icon=":material/check:")
        else:
            (st.error if kind == "error" else st.success)(message)
