"""The browser benchmarks, in Debian's Chromium through Playwright: a rating clicked in the workspace, and the
first visit of the dashboard in a new browser session.

Each floor is the same action on a Streamlit page with nothing of ours in it, measured in the same run."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from bench.apptest import app_environment
from bench.data import ASSESSOR, PASSWORD
from bench.pages import EMPTY_PAGE, ONE_CHART_PAGE, ONE_WIDGET_PAGE
from tests.e2e.helpers import IDLE

CLICK_RESULTS = ("不符合", "符合")  # alternating, so every save moves the score
DEMO_USER = "zhang"  # the demo's lead assessor of its fully scored initial audit
VIEWPORT = {"width": 1400, "height": 1600}


def chromium_or_problem() -> tuple[str | None, str | None]:
    """(Chromium's path, None), or (None, what is missing for the browser benchmark and how to get it)."""
    import importlib.util
    if importlib.util.find_spec("playwright") is None:
        return None, ("缺少 Playwright（测试依赖）：请改用 scripts/run-bench.sh（会先安装所需软件），"
                      "或 .venv/bin/pip install -r requirements-dev.txt")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None, "缺少 Chromium：请改用 scripts/run-bench.sh（会用 apt-get 安装）"
    return chromium, None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextlib.contextmanager
def chromium_browser(chromium: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser, cookies: list | None = None):
    """A page in a new browser context: a new browser session, with nothing cached (cookies if given)."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def browser_clicks(folder: Path, engagement_id: int, code: str, clicks: int, chromium: str) -> dict[str, list[float]]:
    """Seconds from pressing 保存 to the new score on screen: in the workspace and on a one-widget page."""
    from tests.e2e.server import streamlit_app
    floor_app = folder / "one_widget.py"
    floor_app.write_text(ONE_WIDGET_PAGE, encoding="utf-8")
    with chromium_browser(chromium) as browser, app_environment(folder) as env:
        page = _new_page(browser)
        with streamlit_app(folder, folder / "floor.log", extra_env=env, script=floor_app) as base:
            page.goto(base)
            floor = [_timed_save(page, page) for _ in range(clicks)]
        with streamlit_app(folder, folder / "app.log", extra_env=env) as base:
            form = _open_workspace(page, base, engagement_id, code)
            workspace = []
            for n in range(clicks):
                page.wait_for_function(SETTLED)  # the last save's fragment has finished drawing
                form.get_by_text(CLICK_RESULTS[n % 2], exact=True).click()
                workspace.append(_timed_save(page, form))
    return {"floor": floor, "workspace": workspace}


def _open_workspace(page, base: str, engagement_id: int, code: str):
    from tests.e2e.helpers import clause_form, open_clause, wait_idle
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill(ASSESSOR)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("当前用户：").wait_for()
    page.goto(f"{base}/workspace?engagement={engagement_id}")
    wait_idle(page)
    open_clause(page, code)
    return clause_form(page, code)


SETTLED = IDLE  # the script has finished running (tests/e2e/helpers.py)
SCORE_SHOWN = """([label, old]) => {
    const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(m => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label);
    const value = box?.querySelector('[data-testid="stMetricValue"]')?.innerText;
    return value !== undefined && value !== old;
}"""


def _timed_save(page, within) -> float:
    """Press 保存 and wait for the 得分 metric to show a different value (the element may be redrawn)."""
    before = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text("得分", exact=True)) \
        .locator('[data-testid="stMetricValue"]').inner_text()
    start = time.perf_counter()
    within.get_by_role("button", name="保存").click()
    page.wait_for_function(SCORE_SHOWN, arg=["得分", before], polling="raf")
    return time.perf_counter() - start


DRAWN = """(title) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app?.getAttribute('data-test-script-state') !== 'notRunning') return false;  // 'initial' before the run
    if (title && ![...document.querySelectorAll('h1')].some(h => h.innerText.includes(title))) return false;
    if (document.querySelector('[data-testid^="stSkeleton"]')) return false;  // lazily loaded elements
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def first_visits(folder: Path, visits: int, chromium: str) -> dict[str, list[float]]:
    """Seconds from opening the address in a new browser session to the page drawn in full (the script finished,
    every chart drawn): the dashboard of the demo's scored engagement, signed in by the session cookie; an empty
    page (the floor); a page with one small plotly chart and nothing else. Each server gets one unmeasured visit
    first: its first run of a page imports the page's modules, once per process, which is the server starting
    rather than a browser session."""
    from tests.e2e.server import streamlit_app
    demo = folder / "demo"
    demo.mkdir(exist_ok=True)
    env = {"AUDIT_DATA_DIR": str(demo), "AUDIT_DATABASE_URL": f"sqlite:///{demo}/audit.db", "AUDIT_DEMO_DATA": "true"}
    times = {}
    with chromium_browser(chromium) as browser:
        for name, source in (("floor", EMPTY_PAGE), ("one chart", ONE_CHART_PAGE)):
            script = folder / f"{name.replace(' ', '_')}.py"
            script.write_text(source, encoding="utf-8")
            with streamlit_app(demo, folder / f"{script.stem}.log", extra_env=env, script=script) as base:
                times[name] = _visits(browser, base, visits)
        with streamlit_app(demo, folder / "demo.log", extra_env=env) as base:
            cookies = _session_cookies(browser, base)  # signing in also writes the demo data
            url = f"{base}/dashboard?engagement={_scored_demo_engagement(demo / 'audit.db')}"
            times["dashboard"] = _visits(browser, url, visits, cookies, title="仪表板")
    return times


def _visits(browser, url: str, visits: int, cookies: list | None = None, title: str = "") -> list[float]:
    times = []
    for _ in range(visits + 1):
        page = _new_page(browser, cookies)
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, arg=title, polling="raf")
        times.append(time.perf_counter() - start)
        page.context.close()
    return times[1:]


def _session_cookies(browser, base: str) -> list:
    """Sign in as the demo's lead assessor and keep the session cookie the server sets."""
    from tests.e2e.helpers import sign_in
    page = _new_page(browser)
    sign_in(page, base, DEMO_USER)  # returns once the server's answer has set the cookie (HttpOnly)
    cookies = page.context.cookies()
    page.context.close()
    return cookies


def _scored_demo_engagement(database: Path) -> int:
    """The demo's fully scored engagement: the one with the most rating changes."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT engagement_id FROM ratingchange GROUP BY engagement_id "
                          "ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
