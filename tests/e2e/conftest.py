"""Real-browser fixtures: a live app on a throwaway data folder, driven by Debian's Chromium via Playwright."""
import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import streamlit_app

try:
    from playwright.sync_api import expect
    expect.set_options(timeout=30_000)  # the first load migrates the database and writes the demo data
except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
    pass

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if os.environ.get("AUDIT_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests must run (scripts/system-packages.sh)")
        pytest.skip("Chromium is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def app_server(tmp_path):
    """A fresh app with its own empty data folder; yields (base_url, data_dir)."""
    data = tmp_path / "data"
    data.mkdir()
    with streamlit_app(data, tmp_path / "streamlit.log") as base:
        yield base, data


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        return page
    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
