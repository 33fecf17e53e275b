"""Objects the whole app shares across reruns and sessions (cached once per process and setting)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine

from config import settings
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from db import engine_for, session
from dossier.demo import load_demo_if_empty


def tree_registry() -> TreeRegistry:
    return _registry(settings().extra_trees_dir)


@st.cache_resource
def _registry(folder: Path) -> TreeRegistry:
    return TreeRegistry([folder])


def database() -> Engine:
    return _database(settings().effective_database_url, settings().load_demo)


@st.cache_resource(show_spinner="正在准备数据库…")
def _database(url: str, demo: bool) -> Engine:
    engine = engine_for(url)
    if demo:
        with session(engine) as s:
            load_demo_if_empty(s, tree_registry().get(DEFAULT_TREE_ID))
    return engine


def schema_problem() -> str | None:
    """Why the app must not serve yet (the schema is behind), checked at most every few seconds per process."""
    return _schema_problem(settings().effective_database_url)


@st.cache_data(ttl=5, show_spinner=False)
def _schema_problem(url: str) -> str | None:
    from db import schema_behind
    return schema_behind(engine_for(url))


def db_session():
    return session(database())


def remembered(name: str, stamp: tuple, compute):
    """`compute()` once per `stamp` in this browser session, for derived data that changes only with its stamp
    (the page reruns on every click; replaying a long history each time would make every click slow)."""
    held = st.session_state.get(name)
    if held is None or held[0] != stamp:
        held = (stamp, compute())
        st.session_state[name] = held
    return held[1]


def evidence_store():
    config = settings()
    return _evidence_store(config.store, config.evidence_folder, config.s3_endpoint, config.s3_bucket)


@st.cache_resource
def _evidence_store(kind: str, folder: Path, endpoint: str, bucket: str):
    """The store the settings choose (the local folder by default, or a bucket); leftovers of an interrupted
    write are removed once per start."""
    from evidence.store import store_from_settings
    store = store_from_settings(settings())
    store.sweep()
    return store
