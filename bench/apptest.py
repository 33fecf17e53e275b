"""AppTest reruns of the workspace and the dashboard, each against an empty page and against its own page drawing
the same elements with no data behind them (bench/pages.py).

The app runs on the benchmark's database, signed in as the engagement's lead assessor."""
from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.data import ASSESSOR, PASSWORD
from bench.pages import (
    DASHBOARD_ELEMENTS,
    EMPTY_PAGE,
    SHOWN,
    WORKSPACE_ELEMENTS,
    dashboard_shown,
    element_counts,
    workspace_shown,
)

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Reruns:
    page: float  # median seconds per rerun of the real page
    reference: float  # median seconds per rerun of its same-elements page
    differences: str  # element kinds drawn a different number of times by the two ("" when none)


@contextlib.contextmanager
def app_environment(folder: Path) -> Iterator[dict]:
    """The environment under which the app runs on the benchmark's database (and not the demo data)."""
    env = {"AUDIT_DATA_DIR": str(folder), "AUDIT_DATABASE_URL": f"sqlite:///{folder}/bench.db",
           "AUDIT_DEMO_DATA": "false"}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    from config import settings
    settings.cache_clear()
    try:
        yield env
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        settings.cache_clear()


def signed_in(engagement_id: int) -> AppTest:
    """The app in AppTest, signed in as the lead assessor, with the engagement in the URL (call it within
    `app_environment`)."""
    at = AppTest.from_file(str(ROOT / "audit_app.py"), default_timeout=120)
    at.run()
    at.text_input(key="login-username").set_value(ASSESSOR)
    at.text_input(key="login-password").set_value(PASSWORD)
    at.button(key="login-submit").click().run()
    at.query_params["engagement"] = str(engagement_id)
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"ui/views/{name}.py").run()
    if at.exception or not at.metric:
        raise RuntimeError(f"the {name} did not open for the benchmark: {at.exception}")
    return at


def median_rerun(at: AppTest, reruns: int) -> float:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"the page failed during the benchmark: {at.exception}")
    return statistics.median(times)


def page_from(source: str, shown: dict | None = None) -> AppTest:
    page = AppTest.from_string(source, default_timeout=60)
    if shown is not None:
        page.session_state[SHOWN] = shown
    page.run()
    if page.exception:
        raise RuntimeError(f"a reference page failed: {page.exception}")
    return page


def apptest_reruns(folder: Path, engagement_id: int, tree, reruns: int) -> tuple[float, dict[str, Reruns]]:
    """Median seconds per rerun of an empty page (the floor), and of the workspace and the dashboard with their
    same-elements pages."""
    floor = median_rerun(page_from(EMPTY_PAGE), reruns)
    pages = {}
    with app_environment(folder):
        at = signed_in(engagement_id)
        for name, source in (("workspace", WORKSPACE_ELEMENTS), ("dashboard", DASHBOARD_ELEMENTS)):
            open_page(at, name)
            real = median_rerun(at, reruns)
            shown = workspace_shown(tree, tree.leaves()[0].code) if name == "workspace" else dashboard_shown(at)
            reference = page_from(source, shown)
            pages[name] = Reruns(real, median_rerun(reference, reruns), _differences(at, reference))
    return floor, pages


def _differences(page: AppTest, reference: AppTest) -> str:
    drawn, same = element_counts(page), element_counts(reference)
    return ", ".join(f"{kind} {drawn[kind]} vs {same[kind]}" for kind in sorted(drawn | same)
                     if drawn[kind] != same[kind])
