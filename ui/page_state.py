"""What one page remembers between reruns, in one object per page: the ids chosen, the version each form showed,
the values its widgets show next, and what the page built or entered and keeps.

Widgets keep their own keys (`key=f"cause-{nc.id}"`: tests and the browser find them by key), and Streamlit
keeps what the user typed under those keys. A form with typed text never clears itself on submit
(`clear_on_submit` would wipe the text of a refused submit too); the page state says what its widgets show at
their next draw instead: blanks once a submit succeeded, the stored record after a reload. (A file uploader is
the exception: nothing but `clear_on_submit` empties one, so it sits in a small form of its own.)

A form's version is the one the user saw: taken when the form is first drawn and kept until the user's own
submit succeeds or the user reloads. The run that handles a click re-reads the record, and that newer version
is exactly what a stale-edit check must not be given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st


@dataclass
class PageState:
    chosen: dict[str, Any] = field(default_factory=dict)  # ids chosen that no widget holds (the open clause)
    seen: dict[str, int] = field(default_factory=dict)    # form -> version of its record when it was drawn
    drafts: dict[str, Any] = field(default_factory=dict)  # widget key -> value it shows at its next draw
    kept: dict[str, Any] = field(default_factory=dict)    # built or entered for later runs (documents, trials)

    def version_shown(self, form: str, current: int) -> int:
        """The version `form` showed when first drawn; `current` becomes it when the form is new."""
        return self.seen.setdefault(form, current)

    def saw(self, form: str, version: int) -> None:
        """From now on `form` stands for `version` (after the user's own success, or once they see a newer one)."""
        self.seen[form] = version

    def forget(self, form: str) -> None:
        """`form` is drawn afresh next time: it shows what is stored then, and takes that version."""
        self.seen.pop(form, None)

    def show_next(self, values: dict[str, Any]) -> None:
        """Put these values into their widgets before the next draw (widgets drawn in this run are locked)."""
        self.drafts.update(values)

    def put_drafts(self) -> None:
        """Called before any of the widgets concerned is drawn in this run."""
        for key, value in self.drafts.items():
            st.session_state[key] = value
        self.drafts.clear()


def page_state(page: str) -> PageState:
    """The page's state, with the values waiting for its widgets put in place (call before drawing them)."""
    state = st.session_state.setdefault(f"page-{page}", PageState())
    state.put_drafts()
    return state
