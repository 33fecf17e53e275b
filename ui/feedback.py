"""The one place that turns the product's errors into messages on screen."""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from errors import AuditError


@contextmanager
def shown_errors():
    """Show an AuditError as an error box; anything unexpected is not swallowed."""
    try:
        yield
    except AuditError as exc:
        st.error(exc.message, icon="⚠️")
