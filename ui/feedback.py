"""The one place that turns the product's errors and the pages' messages into messages on screen.

Messages are text (errors.AuditError: "shown to the user as it is"), and they often carry what users typed or
uploaded: a file name, a company's name. Streamlit shows alerts and toasts as markdown, so each message is
escaped here, once, with ui.text.as_text; callers pass plain text.
"""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from errors import AuditError
from ui.text import as_text

FLASH = "flash-messages"
SHOW = {"error": st.error, "success": st.success, "warning": st.warning}


@contextmanager
def shown_errors(*, stop: bool = False):
    """Show an AuditError as an error box (and end the page when `stop`); anything unexpected is not swallowed."""
    try:
        yield
    except AuditError as exc:
        st.error(as_text(exc.message), icon=":material/error:")
        if stop:
            st.stop()


def flash(message: str, kind: str = "error") -> None:
    """Keep a message (plain text) to show after the next rerun (st.rerun would otherwise wipe it). `kind` is
    error, success, warning or toast."""
    st.session_state.setdefault(FLASH, []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop(FLASH, []):
        if kind == "toast":
            st.toast(as_text(message), icon=":material/check:")
        else:
            SHOW.get(kind, st.error)(as_text(message))
