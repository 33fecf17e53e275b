"""Who is working and on which engagement: the signed-in actor, and the engagement id kept in the URL."""
from __future__ import annotations

import functools
from contextlib import contextmanager

import streamlit as st

from accounts.access import permits, remember_per_run
from accounts.actor import Actor
from accounts.policy import Action
from audits.scope import engagement_revision
from dossier.assessment import document_and_result
from scoring.engine import ScoreResult
from ui.state import remembered

ENGAGEMENT_PARAM = "engagement"


def actor() -> Actor:
    """The signed-in user (audit_app.py lets no page run without one)."""
    return st.session_state["signed-in"]


def may(session, action: Action, **target) -> bool:
    """Whether to offer an action: `permits` answers from the facts the service's `require` will check, so what a
    page offers is what the service then allows. Pass the Action the service requires, and its target
    (`engagement=`, `company_id=`, `kind=`)."""
    return permits(session, actor(), action, **target)


def fragment(body):
    """`st.fragment`, whose reruns share what the access checks read across the fragment's panels as a page run
    does (audit_app.py): a rerun of the fragment alone does not pass the app's top."""
    @functools.wraps(body)
    def shared(*args, **kwargs):
        with run_reads():
            return body(*args, **kwargs)
    return st.fragment(shared)


@contextmanager
def run_reads():
    """A page run's block (or a fragment rerun's): its panels share what the access checks read, starting from
    what a callback of this rerun kept (callback_reads)."""
    with remember_per_run(st.session_state.pop(HANDED_READS, None)):
        yield


@contextmanager
def callback_reads():
    """A callback's use case: a callback runs before the page, so what its access checks read, and its write left
    standing (the user, their team role), is handed to the run that follows instead of read again."""
    with remember_per_run() as memo:
        yield
    st.session_state[HANDED_READS] = memo


HANDED_READS = "access-reads-handed"


def engagement_id() -> int | None:
    raw = st.query_params.get(ENGAGEMENT_PARAM) or st.session_state.get("engagement-id")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    st.session_state["engagement-id"] = value
    return value


def open_engagement(engagement: int, page: str) -> None:
    st.session_state["engagement-id"] = engagement
    st.switch_page(page, query_params={ENGAGEMENT_PARAM: str(engagement)})


def require_engagement() -> int:
    """The current engagement id, or stop the page with a pointer to the engagement list."""
    found = engagement_id()
    if found is None:
        st.info("请先在“评价项目”页面打开一个项目。")
        st.page_link("ui/views/engagements.py", label="前往评价项目", icon=":material/folder_open:")
        st.stop()
    st.query_params[ENGAGEMENT_PARAM] = str(found)
    return found


def current_assessment(session, engagement: int, tree, revision: int | None = None) -> tuple[dict, ScoreResult]:
    """The engagement's assessment document and score, built again only when its revision moves: a rerun reads
    one number instead of scoring again. Pass the `revision` when the page has already read it."""
    def build() -> tuple[dict, ScoreResult]:
        return document_and_result(session, engagement, tree, by=actor())
    if revision is None:
        revision = engagement_revision(session, engagement, by=actor())
    return remembered(f"assessment-{engagement}", revision, build)
