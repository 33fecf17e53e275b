"""Objects the whole app shares across reruns and sessions (cached once per process and setting)."""
from pathlib import Path

import streamlit as st

from config import settings
from criteria.registry import TreeRegistry


def tree_registry() -> TreeRegistry:
    return _registry(settings().extra_trees_dir)


@st.cache_resource
def _registry(folder: Path) -> TreeRegistry:
    return TreeRegistry([folder])
